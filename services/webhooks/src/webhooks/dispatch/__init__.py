"""Dispatch slice of the webhooks service."""
