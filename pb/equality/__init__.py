"""Equality and participation insight (issue #10): who took part against who lives there, published
without exposing anyone. So far: the statistical disclosure rules (pb.equality.rules)."""
