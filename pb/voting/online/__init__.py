"""Online voting with an account or a code held in the session: eligibility, the ballot, review, cast, receipt."""
