"""The audit, set-based: SQL picks the crew groups that need a second look, Python words them.

Messages are built only for findings, so the cost in Python grows with the findings, not the
ledger. Wording, keys and order are domain.audit's, which stays the reference.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import duckdb

from stakhanov.domain.audit import Finding, FindingKind
from stakhanov.domain.norms import Norm
from stakhanov.domain.quantities import conversion_factor
from stakhanov.engine.exact import of_micro
from stakhanov.engine.session import versions
from stakhanov.store.frames import Frames

_LISTS = """
WITH dl AS (
  SELECT shift_id, operation, list(worker_id ORDER BY entry_id) AS ids,
         max(hours_places) AS places
  FROM doers GROUP BY shift_id, operation),
hl AS (
  SELECT shift_id, group_operation AS operation,
         list(struct_pack(w := worker_id, op := operation, h := hours, p := hours_places)
              ORDER BY entry_id) AS work,
         max(hours_places) AS places
  FROM helpers GROUP BY shift_id, group_operation)
"""

ASSISTED = (
    _LISTS
    + """
SELECT g.date, g.shift_id, g.operation, g.crew_hours, coalesce(dl.ids, []), hl.work,
       greatest(coalesce(dl.places, 0), hl.places, 0)
FROM crew_groups g JOIN hl USING (shift_id, operation) LEFT JOIN dl USING (shift_id, operation)
"""
)

PREPARED = (
    _LISTS
    + """
SELECT g.date, g.shift_id, g.operation, coalesce(dl.ids, []),
       coalesce(list_transform(hl.work, lambda x: x.w), [])
FROM crew_groups g LEFT JOIN hl USING (shift_id, operation) LEFT JOIN dl USING (shift_id, operation)
WHERE g.prepared
"""
)

POOLED = """
SELECT g.date, g.shift_id, g.operation,
       list(d.worker_id ORDER BY d.entry_id) FILTER (WHERE d.beneficiary),
       list(d.worker_id ORDER BY d.entry_id) FILTER (WHERE d.donor)
FROM crew_groups g JOIN doers d USING (shift_id, operation)
WHERE g.pooled GROUP BY g.date, g.shift_id, g.operation
"""

# Credited output per hour above max_rate, compared exactly: c x f / h > max (micro-units
# cancel; max_rate is a plain fraction).
IMPLAUSIBLE = """
SELECT g.date, g.shift_id, g.operation, g.norm_id, g.out_unit,
       list(struct_pack(w := d.worker_id, c := d.credit, h := d.hours) ORDER BY d.entry_id)
FROM crew_groups g JOIN doers d USING (shift_id, operation)
JOIN norms n ON n.norm_id = g.norm_id
JOIN rates r ON r.norm_id = g.norm_id AND r.out_unit = g.out_unit
WHERE n.max_num IS NOT NULL
  AND CAST(d.credit AS HUGEINT) * r.f_num * n.max_den
      > CAST(n.max_num AS HUGEINT) * d.hours * r.f_den
GROUP BY g.date, g.shift_id, g.operation, g.norm_id, g.out_unit
"""

UNCREDITED = """
SELECT date, shift_id, operation, quantity, places, out_unit FROM crew_groups WHERE doers = 0
"""

PREPARED_EMPTY = """
SELECT s.date, s.shift_id, coalesce(list(c.worker_id) FILTER (WHERE c.worker_id IS NOT NULL), [])
FROM shifts s LEFT JOIN crew c USING (shift_id)
WHERE s.prepared AND NOT EXISTS (SELECT 1 FROM outputs o WHERE o.shift_id = s.shift_id)
GROUP BY s.date, s.shift_id
"""


def _unique(ids: list[str]) -> list[str]:
    return sorted(set(ids))


def _assisted(row: tuple[Any, ...]) -> Finding:
    day, shift_id, operation, crew_hours, doers, work, places = row
    ids = _unique(doers)
    helpers = [w for w in _unique([h["w"] for h in work]) if w not in ids]
    done = ", ".join(
        f"{h['w']} {h['op']} {of_micro(h['h'], h['p'])} h"
        for h in sorted(work, key=lambda h: (h["w"], h["op"]))
    )
    return Finding(
        FindingKind.ASSISTED,
        shift_id,
        operation,
        (*ids, *helpers),
        f"{operation} result contains helpers' work ({done}); "
        f"fair fulfilment counts the crew's {of_micro(crew_hours, places)} h",
        day,
    )


def _pooled(row: tuple[Any, ...]) -> Finding:
    day, shift_id, operation, beneficiaries, donors = row
    return Finding(
        FindingKind.POOLED,
        shift_id,
        operation,
        (*_unique(beneficiaries), *_unique(donors)),
        f"output pooled onto {', '.join(sorted(beneficiaries))}: "
        f"{', '.join(sorted(donors))} credited under a tenth of their hours share",
        day,
    )


def _implausible(row: tuple[Any, ...], norms: list[Norm]) -> Finding:
    day, shift_id, operation, norm_id, out_unit, over = row
    norm = norms[norm_id]
    factor = conversion_factor(out_unit, norm.unit)
    rates = ", ".join(
        f"{o['w']} {(of_micro(o['c']) * factor / of_micro(o['h'])).quantize(Decimal('0.01'))}"
        f" {norm.unit}/h"
        for o in over
    )
    return Finding(
        FindingKind.IMPLAUSIBLE,
        shift_id,
        operation,
        tuple(_unique([o["w"] for o in over])),
        f"credited output per hour above the physical maximum of {norm.max_rate} "
        f"{norm.unit}/h: {rates}",
        day,
    )


def _prepared(row: tuple[Any, ...], notes: dict[str, str | None]) -> Finding:
    day, shift_id, operation, doers, helpers = row
    note = notes.get(shift_id)
    return Finding(
        FindingKind.PREPARED,
        shift_id,
        operation,
        tuple(_unique(doers + helpers)),
        f"shift run under prepared conditions{f': {note}' if note else ''}; "
        "kept out of norm statistics",
        day,
    )


def _uncredited(row: tuple[Any, ...]) -> Finding:
    day, shift_id, operation, quantity, places, unit = row
    return Finding(
        FindingKind.UNCREDITED,
        shift_id,
        operation,
        (),
        f"{of_micro(quantity, places)} {unit} measured but credited to no one",
        day,
    )


def _prepared_empty(row: tuple[Any, ...]) -> Finding:
    day, shift_id, ids = row
    return Finding(
        FindingKind.PREPARED,
        shift_id,
        None,
        tuple(_unique(ids)),
        "shift run under prepared conditions; no output measured yet",
        day,
    )


def findings(db: duckdb.DuckDBPyConnection, frames: Frames) -> list[Finding]:
    """Every finding of domain.audit.audit over the frames' period, in its order."""
    found = [_assisted(r) for r in db.execute(ASSISTED).fetchall()]
    found += [_pooled(r) for r in db.execute(POOLED).fetchall()]
    implausible = db.execute(IMPLAUSIBLE).fetchall()
    if implausible:
        norms = versions(frames.norms)
        found += [_implausible(r, norms) for r in implausible]
    prepared = db.execute(PREPARED).fetchall()
    if prepared:
        notes = dict(
            db.execute(
                "SELECT shift_id, note FROM shifts WHERE prepared AND note IS NOT NULL"
            ).fetchall()
        )
        found += [_prepared(r, notes) for r in prepared]
    found += [_uncredited(r) for r in db.execute(UNCREDITED).fetchall()]
    found += [_prepared_empty(r) for r in db.execute(PREPARED_EMPTY).fetchall()]
    order = {kind: i for i, kind in enumerate(FindingKind)}
    found.sort(key=lambda f: (f.date or dt.date.min, f.shift_id, f.operation or "", order[f.kind]))
    return found
