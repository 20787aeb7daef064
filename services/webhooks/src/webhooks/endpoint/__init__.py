"""Endpoint slice of the webhooks service."""
