"""Indicator values in bulk: a year's values from a CSV or XLSX file, dry run, then all or nothing."""
