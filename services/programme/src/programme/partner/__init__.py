"""partner aggregate."""
