"""Small ledgers built in code, for tests that check numbers by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.shifts import Conditions, Shift
from stakhanov.domain.workers import Worker
from stakhanov.services.parsing import parse_hours_text

DAY = dt.date(1935, 8, 31)


def hewing_norm(norm: str = "7", max_rate: str | None = "40") -> Norm:
    return Norm(
        "hewing",
        "t",
        NormKind.OUTPUT,
        Decimal(norm),
        Decimal(6),
        dt.date(1935, 1, 1),
        ("timbering",),
        Decimal(max_rate) if max_rate else None,
    )


def worker(worker_id: str, unit: str = "Mine/Section 1/Brigade 1") -> Worker:
    return Worker(worker_id, f"Worker {worker_id}", unit)


def shift(
    shift_id: str = "S1", hours: str = "6", prepared: bool = False, day: dt.date = DAY
) -> Shift:
    conditions = Conditions.PREPARED if prepared else Conditions.STANDARD
    return Shift(shift_id, day, Decimal(hours), "Mine/Section 1/Brigade 1", conditions)


def crew(
    worker_id: str,
    operation: str = "hewing",
    hours: str = "6",
    credited: str | None = None,
    coefficient: str | None = None,
    shift_id: str = "S1",
) -> CrewEntry:
    return CrewEntry(
        shift_id,
        worker_id,
        operation,
        Decimal(hours),
        Decimal(credited) if credited is not None else None,
        Decimal(coefficient) if coefficient is not None else None,
    )


def one_shift(
    quantity: str,
    *entries: CrewEntry,
    prepared: bool = False,
    norm: Norm | None = None,
    unit: str = "t",
) -> Ledger:
    ids = sorted({e.worker_id for e in entries})
    return Ledger.of(
        workers=[worker(w) for w in ids],
        norms=[norm or hewing_norm()],
        shifts=[shift(prepared=prepared)],
        outputs=[MeasuredOutput("S1", "hewing", Decimal(quantity), unit)],
        crew=entries,
    )


def stakhanov_shift() -> Ledger:
    """31 August 1935: 102 t credited to the hewer; two timberers and an assistant."""
    return one_shift(
        "102",
        crew("AS", credited="102"),
        crew("T1", "timbering"),
        crew("T2", "timbering"),
        crew("KP", "assist"),
        prepared=True,
    )


# Random ledgers for property tests: several shifts and operations, norm versions changing
# within the period, output and time norms, kg against t, given and split credits, helpers,
# assists, pooled credits, implausible rates, prepared shifts and outputs nobody was credited.
NORMED = {"hewing": ("t", ("timbering",)), "loading": ("t", ("hauling",)), "turning": ("part", ())}
HELPING = ("timbering", "hauling", "assist")
HOMES = ("Mine/Section 1/Brigade 1", "Mine/Section 1/Brigade 2", "Mine/Section 2/Brigade 1")
START = dt.date(1935, 8, 28)
WORKERS = tuple(f"W{i}" for i in range(1, 7))


def _decimal(draw: st.DrawFn, top: int, places: int) -> Decimal:
    return Decimal(draw(st.integers(0, top * 10**places))).scaleb(-places)


def _norms(draw: st.DrawFn) -> list[Norm]:
    norms = []
    for operation in draw(st.lists(st.sampled_from(sorted(NORMED)), unique=True, min_size=2)):
        unit, included = NORMED[operation]
        days = draw(st.lists(st.integers(-6, 4), min_size=1, max_size=2, unique=True))
        for day in days:
            time = operation == "turning"
            max_rate = draw(st.sampled_from([None, "0.5", "2.5", "40", "1.25"]))
            norms.append(
                Norm(
                    operation,
                    unit,
                    NormKind.TIME if time else NormKind.OUTPUT,
                    Decimal(
                        draw(
                            st.sampled_from(
                                ["3", "2.5", "7"] if time else ["7", "6.5", "0.75", "12"]
                            )
                        )
                    ),
                    None if time else Decimal(draw(st.sampled_from(["6", "7", "8", "7.5"]))),
                    START + dt.timedelta(days=day),
                    included if draw(st.booleans()) else (),
                    Decimal(max_rate) if max_rate else None,
                )
            )
    return norms


def _crew(
    draw: st.DrawFn, shift_id: str, measured: dict[str, Decimal], hours: list[str]
) -> list[CrewEntry]:
    operations = sorted(measured) * 3 + sorted(NORMED) + list(HELPING)
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(WORKERS), st.sampled_from(operations)),
            unique=True,
            min_size=1,
            max_size=7,
        )
    )
    given = {op: draw(st.sampled_from(["split", "share", "one"])) for op in measured}
    entries = []
    for worker_id, operation in pairs:
        credited = None
        mode = given.get(operation, "split")
        if mode == "share":
            credited = _decimal(draw, 60, draw(st.integers(0, 2)))
        elif mode == "one":  # pooled: everything onto the first doer
            first = next(w for w, op in pairs if op == operation)
            credited = measured[operation] if worker_id == first else Decimal(0)
        entries.append(
            CrewEntry(
                shift_id,
                worker_id,
                operation,
                # Decimal hours, and hours written as minutes or fractions (docs/import.md).
                parse_hours_text(draw(st.sampled_from(hours)), "hours"),
                credited if operation in measured else None,
                draw(st.sampled_from([None, None, Decimal("1"), Decimal("1.5"), Decimal("0.5")])),
            )
        )
    return entries


CREW_HOURS = ["6", "6.0", "7.5", "0.25", "3", "4.50", "6h15min", "45min", "3:03", "1/4"]
# Hours no six-place decimal holds (ExactHours): the set-based engine steps aside for them.
EXACT_HOURS = ["20min", "6h20min", "1/3", "10min", "0:40"]


@st.composite
def ledgers(draw: st.DrawFn, exact_hours: bool = True) -> tuple[Ledger, dt.date, dt.date]:
    """A random ledger and a period over it; crew hours of thirds too unless told otherwise."""
    hours = CREW_HOURS + EXACT_HOURS if exact_hours else CREW_HOURS
    shifts, outputs, crew_entries = [], [], []
    for i in range(draw(st.integers(1, 5))):
        shift_id = f"S{i}"
        prepared = draw(st.booleans())
        shifts.append(
            Shift(
                shift_id,
                START + dt.timedelta(days=draw(st.integers(0, 6))),
                Decimal(draw(st.sampled_from(["6", "7.5"]))),
                draw(st.sampled_from(HOMES)),
                Conditions.PREPARED if prepared else Conditions.STANDARD,
                draw(st.sampled_from([None, "extra lamps"])),
            )
        )
        measured = {}
        for operation in draw(
            st.lists(st.sampled_from(sorted(NORMED)), unique=True, min_size=1, max_size=2)
        ):
            unit = NORMED[operation][0]
            if unit == "t":
                unit = draw(st.sampled_from(["t", "kg"]))
            quantity = _decimal(draw, 5000 if unit == "kg" else 150, draw(st.integers(0, 3)))
            measured[operation] = quantity
            outputs.append(MeasuredOutput(shift_id, operation, quantity, unit))
        crew_entries += _crew(draw, shift_id, measured, hours)
    known = draw(st.lists(st.sampled_from(WORKERS), unique=True, min_size=len(WORKERS) - 1))
    workers = [worker(w, draw(st.sampled_from(HOMES))) for w in known]
    ledger = Ledger.of(workers, _norms(draw), shifts, outputs, crew_entries)
    start = START + dt.timedelta(days=draw(st.integers(-1, 2)))
    return ledger, start, start + dt.timedelta(days=draw(st.integers(1, 8)))
