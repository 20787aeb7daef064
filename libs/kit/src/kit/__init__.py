"""Plumbing shared by every KIP service: problems, settings, database sessions, tokens, health, request ids.

Holds no domain code: nothing here knows what a programme, a franc or an evaluation is.
"""
