"""KIP webhooks service: registrations of receivers and signed deliveries of the platform's domain events."""
