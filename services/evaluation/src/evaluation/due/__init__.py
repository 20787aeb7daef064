"""due aggregate."""
