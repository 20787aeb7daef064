"""measure aggregate."""
