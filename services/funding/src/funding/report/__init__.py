"""report aggregate."""
