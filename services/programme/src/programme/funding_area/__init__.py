"""funding_area aggregate."""
