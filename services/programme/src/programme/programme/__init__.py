"""programme aggregate."""
