"""Open data: a read-only JSON API with an OpenAPI schema, CSV downloads and Atom feeds.

Everything here is public by construction: rows pass through the serialisers in `serialise.py`,
which copy named public fields only, never whole rows. No personal data (no emails, user ids or
names), no drafts, no hidden content, no unpublished decisions, no feasibility notes, no ballots.
"""
