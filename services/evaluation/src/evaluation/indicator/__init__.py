"""indicator aggregate."""
