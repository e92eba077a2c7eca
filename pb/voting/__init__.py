"""Voting: ballots, the register, counting and results."""
