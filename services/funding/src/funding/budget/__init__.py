"""budget aggregate."""
