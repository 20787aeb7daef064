"""indicator_value aggregate."""
