"""settlement aggregate."""
