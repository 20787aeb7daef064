"""funding_programme aggregate."""
