"""Storage: SQLAlchemy tables mapped outside the domain, migrations, the append-only ledger."""
