"""credit aggregate."""
