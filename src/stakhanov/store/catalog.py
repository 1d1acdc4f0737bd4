"""Every table the code maps, gathered on the one `metadata` for the migrations and the schema
test. Nothing else needs it: a repository imports the table modules it queries.
"""

from __future__ import annotations

# Importing a table module defines its tables on `metadata`.
from stakhanov.store import (  # noqa: F401
    account_tables,
    chain_tables,
    dispute_tables,
    governance_tables,
    pay_tables,
    read_model_tables,
    recognition_tables,
    registry_tables,
    review_tables,
    schema,
    signoff_tables,
    ticket_tables,
    work_order_tables,
)
from stakhanov.store.metadata import metadata

__all__ = ["metadata"]
