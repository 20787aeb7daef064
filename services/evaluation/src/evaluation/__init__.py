"""The evaluation service: whether the integration programmes work (evaluations, recommendations, indicators)."""
