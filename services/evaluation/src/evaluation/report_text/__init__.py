"""report_text aggregate: the canton's own text for the annual report (coordination, financial supervision)."""
