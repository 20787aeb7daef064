"""matching aggregate."""
