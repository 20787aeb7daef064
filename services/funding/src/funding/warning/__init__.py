"""warning aggregate: what the rules allow but a person should look at."""
