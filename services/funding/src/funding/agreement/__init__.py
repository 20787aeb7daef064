"""agreement aggregate."""
