"""disbursement aggregate."""
