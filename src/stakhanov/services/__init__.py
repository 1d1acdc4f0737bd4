"""Use cases: import, report, audit, demo. They use the domain and the store."""
