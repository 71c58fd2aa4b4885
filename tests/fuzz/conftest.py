import mutate  # noqa: F401  (registers and loads the hypothesis profile)
