"""Simulations: models that show why policies work or backfire, run by hand or from the CLI."""
