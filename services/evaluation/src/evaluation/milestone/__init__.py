"""milestone aggregate."""
