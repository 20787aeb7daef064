"""Helpers for tests that run the platform's real processes."""
