"""spending aggregate."""
