"""recommendation aggregate."""
