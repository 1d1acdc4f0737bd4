"""Recompute the chain from the rows as they are now and name every row that is not as linked.

Each link is checked against the one before it (a link edited, removed or reordered breaks
the walk), then every chained table is read whole and each row's content hash compared with
its link: a row without a link was inserted, a link without a row names a deleted row, a row
whose content differs was edited, or reordered when it holds what was linked for another key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select

from stakhanov.domain.canonical import GENESIS, link_hash
from stakhanov.store import shift_dates
from stakhanov.store.chain import CHAINED, CHAINED_NAMES, RECORD_STATUSES, Row, hashed_rows
from stakhanov.store.chain_tables import chain_links, chain_seals
from stakhanov.store.metadata import batches
from stakhanov.store.pay_tables import pay_periods
from stakhanov.store.recognition_tables import claim_decisions

EDITED, DELETED, INSERTED, REORDERED = "edited", "deleted", "inserted", "reordered"
LINK_BROKEN, SEAL_BROKEN, UNSEALED = "link broken", "seal broken", "unsealed"


@dataclass(frozen=True)
class Finding:
    """One row (or link, or seal) that is not as the chain recorded it."""

    table: str
    key: str
    batch: int | None
    what: str
    detail: str
    shift: str | None = None


@dataclass
class Verification:
    links: int = 0
    head: str = GENESIS
    rows: int = 0
    seals: int = 0
    findings: list[Finding] = field(default_factory=list)
    rolled_back: list[int] = field(default_factory=list)  # batch ids never committed

    @property
    def intact(self) -> bool:
        return not self.findings


@dataclass(frozen=True)
class _Link:
    seq: int
    batch: int | None
    content: str
    shift: str | None


def verify(connection: Connection, progress: Callable[[int], None] | None = None) -> Verification:
    """The chain's state: every link walked, every chained row compared with its link."""
    result = Verification()
    linked = _walk(connection, result)
    for name in CHAINED_NAMES:
        _compare(connection, name, linked.get(name, {}), result, progress)
    _check_shift_dates(connection, result, linked.get("shift_entries", {}))
    _check_seals(connection, result)
    _explain_gaps(connection, linked.get("batches", {}), result)
    result.findings.sort(key=_order)
    return result


def _order(found: Finding) -> tuple[int, int, str, str]:
    """Chain order of tables (the chain's own tables last), then keys as numbers."""
    table = CHAINED_NAMES.index(found.table) if found.table in CHAINED else len(CHAINED)
    key = found.key.split("-")[0]
    return (table, int(key) if key.isdigit() else 0, found.key, found.what)


def _walk(connection: Connection, result: Verification) -> dict[str, dict[str, _Link]]:
    """Check each link against the one before; the links by table and key."""
    linked: dict[str, dict[str, _Link]] = {}
    previous, expected = GENESIS, 1
    query = select(chain_links).order_by(chain_links.c.seq)
    for link in connection.execute(query.execution_options(yield_per=20_000)):
        if link.seq != expected:
            missing = f"{expected}" if link.seq == expected + 1 else f"{expected}-{link.seq - 1}"
            result.findings.append(
                Finding("chain", missing, None, LINK_BROKEN, "links missing before this one")
            )
        again = link_hash(previous, link.table_name, link.row_key, link.batch_id, link.content_hash)
        if again != link.chain_hash:
            detail = f"link {link.seq} does not follow from the one before"
            table, key = _table(link.table_name), link.row_key
            result.findings.append(
                Finding(table, key, link.batch_id, LINK_BROKEN, detail, link.shift_id)
            )
        linked.setdefault(link.table_name, {})[link.row_key] = _Link(
            link.seq, link.batch_id, link.content_hash, link.shift_id
        )
        previous, expected = link.chain_hash, link.seq + 1
        result.links += 1
    result.head = previous
    return linked


def _table(name: str) -> str:
    return name if name in CHAINED else "chain"


def _compare(
    connection: Connection,
    name: str,
    linked: dict[str, _Link],
    result: Verification,
    progress: Callable[[int], None] | None,
) -> None:
    table = CHAINED[name]
    unmatched: dict[str, tuple[str, int | None, str | None]] = {}  # key -> content, batch, shift
    seen: set[str] = set()
    row = Row(table)
    for key, batch, content, values in hashed_rows(connection, table):
        result.rows += 1
        seen.add(key)
        link = linked.get(key)
        if link is None or link.content != content:
            shift = row.get(values, "shift_id")
            unmatched[key] = (content, link.batch if batch is None and link else batch, shift)
        if progress and result.rows % 10_000 == 0:
            progress(10_000)
    # What was linked for keys whose rows no longer hold it, by content: a row holding it moved.
    lost = {
        link.content: key for key, link in linked.items() if key not in seen or key in unmatched
    }
    moved: set[str] = set()
    for key, (content, batch, shift) in unmatched.items():
        origin = lost.get(content)
        if origin is not None and origin != key:
            moved.add(origin)
            what, detail = REORDERED, f"holds what was linked for {name} {origin}"
        elif key in linked:
            what, detail = EDITED, "content differs from its link"
        else:
            what, detail = INSERTED, "no link names this row"
        result.findings.append(Finding(name, key, batch, what, detail, shift))
    for key, link in linked.items():
        if key not in seen and key not in moved:
            detail = f"link {link.seq} names a row that is gone"
            result.findings.append(Finding(name, key, link.batch, DELETED, detail, link.shift))


def _check_shift_dates(
    connection: Connection, result: Verification, shifts_linked: dict[str, _Link]
) -> None:
    """A row's shift date is left out of its content (decision 0594): checked here against
    the shift entries, which are chained. Rows of a shift whose own entries are not as linked
    are not judged: the shift's entry is named, and what derives from it cannot be checked."""
    shifts = shift_dates.ShiftDates.read(connection)
    tampered = set()
    for found in result.findings:
        if found.table == "shift_entries":
            link = shifts_linked.get(found.key)
            tampered |= {found.shift, link.shift if link else None}
    for table in shift_dates.DATED:
        named = {f.key for f in result.findings if f.table == table}
        for row in shift_dates.mismatches(connection, table, shifts):
            if str(row.key) in named or row.shift_id in tampered:
                continue
            detail = f"shift_date {row.stored} differs from its shift's date"
            result.findings.append(
                Finding(table, str(row.key), row.batch, EDITED, detail, row.shift_id)
            )


def _check_seals(connection: Connection, result: Verification) -> None:
    quoted = select(chain_links.c.seq, chain_links.c.chain_hash).where(
        chain_links.c.seq.in_(select(chain_seals.c.seq))
    )
    hashes: dict[int, str] = {row.seq: row.chain_hash for row in connection.execute(quoted)}
    sealed: set[tuple[str, str]] = set()
    for seal in connection.execute(select(chain_seals).order_by(chain_seals.c.seal_id)):
        result.seals += 1
        sealed.add((seal.subject, seal.subject_key))
        if hashes.get(seal.seq) != seal.chain_hash:
            result.findings.append(
                Finding(
                    "chain_seals",
                    str(seal.seal_id),
                    None,
                    SEAL_BROKEN,
                    f"{seal.subject} {seal.subject_key} quotes a head the chain does not have",
                )
            )
    periods = connection.execute(select(pay_periods.c.period_id, pay_periods.c.start_date))
    for period_id, start in periods:
        if ("period", str(start)) not in sealed:
            detail = f"period from {start} has no seal"
            result.findings.append(Finding("pay_periods", str(period_id), None, UNSEALED, detail))
    records = select(claim_decisions.c.decision_id, claim_decisions.c.claim_id).where(
        claim_decisions.c.status.in_(RECORD_STATUSES)
    )
    for decision_id, claim_id in connection.execute(records):
        if ("record", str(claim_id)) not in sealed:
            detail = f"record {claim_id} has no seal"
            result.findings.append(
                Finding("claim_decisions", str(decision_id), None, UNSEALED, detail)
            )


def _explain_gaps(connection: Connection, linked: dict[str, _Link], result: Verification) -> None:
    """Batch ids missing with no link naming them: a batch that rolled back, never committed.

    Every committed batch is linked in the same transaction that writes it, so a missing id
    that no link names was never committed (PostgreSQL's sequences do not hand ids back).
    """
    last = connection.execute(select(func.max(batches.c.batch_id))).scalar() or 0
    present = set(connection.scalars(select(batches.c.batch_id)))
    result.rolled_back = [
        i for i in range(1, int(last) + 1) if i not in present and str(i) not in linked
    ]
