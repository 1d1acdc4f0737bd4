"""Verifying the tamper-evident ledger: the chain recomputed from the rows as they are now."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from stakhanov.store.chain_verify import Verification, verify

__all__ = ["Verification", "chain_state", "verify_ledger"]


def verify_ledger(engine: Engine, progress: Callable[[int], None] | None = None) -> Verification:
    """Walk the chain and compare every chained row with its link, on one consistent snapshot."""
    options: dict[str, Any] = {"read_only": True}  # SQLite: a reader takes no write lock
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"  # writers meanwhile are not findings
    with engine.connect().execution_options(**options) as connection, connection.begin():
        return verify(connection, progress)


def finding_line(finding: dict[str, Any]) -> str:
    """One finding as the command prints it on stderr: the table, the entry and its shift."""
    where = [f"shift {finding['shift']}"] if finding["shift"] else []
    where += [f"batch {finding['batch']}"] if finding["batch"] is not None else []
    place = f" ({', '.join(where)})" if where else ""
    return f"{finding['table']} {finding['id']}{place}: {finding['what']}: {finding['detail']}"


def chain_state(found: Verification) -> dict[str, Any]:
    """The verification as the command line's --json and the API give it (docs/contract.md)."""
    return {
        "intact": found.intact,
        "links": found.links,
        "rows": found.rows,
        "seals": found.seals,
        "head": found.head,
        "findings": [
            {
                "table": f.table,
                "id": f.key,
                "batch": f.batch,
                "shift": f.shift,
                "what": f.what,
                "detail": f.detail,
            }
            for f in found.findings
        ],
        "rolled_back_batches": found.rolled_back,
    }
