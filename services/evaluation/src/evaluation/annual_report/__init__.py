"""annual_report aggregate."""
