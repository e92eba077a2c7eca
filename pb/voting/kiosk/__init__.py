"""Assisted voting at a kiosk: a facilitator opens the ballot for one person at a time."""
