"""achievement aggregate."""
