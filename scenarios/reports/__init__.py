"""Reports of a scenario run. Each reads only the values in ``scenarios.results``."""
