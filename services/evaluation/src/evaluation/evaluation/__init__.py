"""evaluation aggregate."""
