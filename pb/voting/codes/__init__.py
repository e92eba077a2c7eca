"""Voting codes: printed one-time codes for people without an account (format, forms, actions, pages)."""
