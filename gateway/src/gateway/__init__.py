"""The KIP gateway: one door to the platform. It owns no data and no business rules."""
