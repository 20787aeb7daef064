"""allocation aggregate: SEM's programme agreement and the federal integration credit it allocates."""
