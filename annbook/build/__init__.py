"""Building and caching the compiled module of a network structure."""
