"""period aggregate."""
