"""Delivery slice of the webhooks service."""
