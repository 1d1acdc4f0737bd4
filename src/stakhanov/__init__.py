"""stakhanov: run work by norms, with honest accounting."""

__version__ = "0.1.0"
