"""Paper ballots: boxes entered twice by two people, discrepancies resolved, batches counted."""
