"""goal aggregate."""
