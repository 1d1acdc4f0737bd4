"""The Central-Irmino demo mine, August-September 1935, written as import-format v1 CSV files.

Historical (see PROVENANCE.md): Alexei Stakhanov (W001), hewer; Konstantin Petrov (W002), the
mine's party organiser; Miron Dyukanov (W005), hewer at the same mine; the hewing norm of 7 t per
6 h shift, which included the hewer's own timbering; the record of 31 August 1935, 102 t in a 6 h
shift while two timberers propped the tunnel and Petrov held the lamp; 175 t on 9 September and
227 t in six hours on 19 September 1935.

Invented for the demo: every other name (the two timberers of 31 August, W003 and W004, too), the
sections and brigades, all ordinary output, the crews of 9 and 19 September (modelled on
31 August), the hours of 9 September (the sources give none: 6 h assumed), the loading, haulage
and drill-sharpening norms, one staged pooled shift and one implausible haulage credit.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

__all__ = ["HEADERS", "write_demo_dataset"]

ENTERPRISE = "Central-Irmino"
FIRST_DAY = date(1935, 8, 1)
LAST_DAY = date(1935, 9, 30)

HEADERS: dict[str, tuple[str, ...]] = {
    "workers.csv": ("worker_id", "name", "unit", "trade", "grade"),
    "norms.csv": (
        "operation",
        "unit",
        "kind",
        "norm",
        "norm_hours",
        "includes",
        "max_rate",
        "effective_from",
        "method",
        "source",
    ),
    "shifts.csv": ("shift_id", "date", "hours", "workplace", "conditions", "note"),
    "output.csv": ("shift_id", "operation", "quantity", "unit", "rejected"),
    "crew.csv": ("shift_id", "worker_id", "operation", "hours", "credited", "coefficient"),
    "incidents.csv": ("incident_id", "date", "shift_id", "worker_ids", "severity", "description"),
}

INVENTED = "invented for the demo"
# Named as a reader finds it, not by the collection's file id (004_8aa0dc975b1c32ea.txt:46).
MOLOTOV = (
    'history thesis "Immortal through Labor: The Stakhanovite Movement in Soviet Ideology", '
    "line 46 (Molotov: norm 6-7 t)"
)
NORMS: tuple[tuple[str, ...], ...] = (
    ("hewing", "t", "output", "7", "6", "timbering", "40", "1935-01-01", "decree", MOLOTOV),
    ("loading", "t", "output", "14", "6", "", "6", "1935-01-01", "statistical", INVENTED),
    ("haulage", "t", "output", "20", "6", "", "8", "1935-01-01", "statistical", INVENTED),
    ("drill sharpening", "piece", "time", "4", "", "", "30", "1935-01-01", "time study", INVENTED),
)
HEWING_NORM = Decimal(7)  # t per 6 h
LOADING_NORM = Decimal(14)  # t per 6 h
HAULAGE_NORM = Decimal(20)  # t per 6 h
SHARPENING_MINUTES = Decimal(4)  # standard minutes per piece

UNDERGROUND_HOURS = Decimal(6)
SHORTENED_HOURS = Decimal("5.75")
SMITHY_HOURS = Decimal(7)  # the drill smithy is on the surface
TENTH = Decimal("0.1")
ABSENCE = 0.09  # chance that a worker misses a given day
ASSISTED_GAIN = 1.12  # a hewer whose face is timbered by someone else only hews

# The historical shifts: date -> (hewn t, note). Crews: W001 hews, W003 and W004 timber, W002.
RECORDS: dict[date, tuple[Decimal, str]] = {
    date(1935, 8, 31): (
        Decimal(102),
        "record attempt (night of 30/31 Aug): face prepared; two timberers propped the tunnel; "
        "party organiser Petrov held the lamp",
    ),
    date(1935, 9, 9): (
        Decimal(175),
        "record attempt: face prepared; the sources give no hours (6 h assumed) and no crew "
        "(two timberers and Petrov invented; modelled on 31 Aug)",
    ),
    date(1935, 9, 19): (
        Decimal(227),
        "record attempt: face prepared; 227 t in six hours; crew invented (two timberers and "
        "Petrov; modelled on 31 Aug)",
    ),
}
POOLED_DAY = date(1935, 9, 12)
POOLED_BRIGADE = (6, 2)
POOLED_CREDITS = (Decimal("30.0"), Decimal("1.5"), Decimal("0.0"))
POOLED_NOTE = "invented for the demo: staged pooled credit; the face's output written to one hewer"
IMPLAUSIBLE_DAY = date(1935, 9, 14)
IMPLAUSIBLE_SECTION = 6
IMPLAUSIBLE_CREDIT = Decimal("60.0")
IMPLAUSIBLE_NOTE = "invented for the demo: haulage credited beyond the physical maximum"
KG_DAYS = (date(1935, 8, 5), date(1935, 8, 6), date(1935, 8, 7))
KG_BRIGADE = (9, 1)  # its face F1 is weighed in kg on KG_DAYS
KG_NOTE = "weighed in kg at the pit-head"
SHORTENED_NOTE = "shift shortened: roof inspection"
# Invented safety incidents: (id, first day to look from, section, trade, severity, description).
# Each befalls the ablest worker of that trade in the section, on their first shift from that
# day; chosen after the shifts are made, so the random draws of the data set do not change.
INCIDENTS = (
    ("INC-1", date(1935, 8, 22), 6, "haulier", "serious", "runaway tub on the haulage way"),
    (
        "INC-2",
        date(1935, 9, 16),
        7,
        "hewer",
        "minor",
        "roof fall at the face; hewer bruised, back at work the next day",
    ),
    ("INC-3", date(1935, 9, 24), 9, "loader", "serious", "hand crushed between tubs"),
)


@dataclass(frozen=True)
class BrigadeLayout:
    """How a brigade is organised: hewers on faces of their own or sharing a face."""

    section: int
    number: int
    own_faces: int
    shared_faces: tuple[int, ...]  # hewers per shared face; its output is split by the importer
    timberers: int
    loaders: int
    split_loading: bool  # loading output split by the importer, not credited per loader
    senior_coefficient: Decimal | None  # coefficient of the first hewer on a shared face


@dataclass(frozen=True)
class SectionLayout:
    number: int
    hauliers: int
    own_haulage: bool  # each haulier has a haulage shift of his own, credited individually
    sharpeners: int


B = BrigadeLayout
SENIOR = Decimal("1.2")
BRIGADES: tuple[BrigadeLayout, ...] = (
    B(6, 1, 5, (), 1, 3, False, None),
    B(6, 2, 2, (3,), 1, 3, True, SENIOR),  # its shared face F3 carries the pooled shift
    B(6, 3, 0, (3, 3), 2, 4, True, SENIOR),
    B(7, 1, 4, (3,), 1, 3, False, None),
    B(7, 2, 2, (4,), 1, 4, True, SENIOR),
    B(8, 1, 5, (), 2, 4, False, None),  # Stakhanov's brigade
    B(8, 2, 4, (3,), 1, 3, True, SENIOR),
    B(8, 3, 0, (4, 2), 1, 4, True, None),
    B(8, 4, 5, (), 1, 3, False, None),
    B(9, 1, 3, (2,), 1, 4, False, None),
    B(9, 2, 0, (3, 3), 2, 4, True, SENIOR),
    B(9, 3, 4, (3,), 1, 3, True, None),
)
SECTIONS: tuple[SectionLayout, ...] = (
    SectionLayout(6, 4, True, 2),
    SectionLayout(7, 3, False, 1),
    SectionLayout(8, 4, True, 2),
    SectionLayout(9, 4, False, 1),
)

FIRST_NAMES_TEXT = """
Aleksandr Andrei Anton Arkadii Boris Danilo Dmitrii Efim Egor Fedot Filipp Fyodor Grigorii
Ilya Ivan Kirill Kuzma Leonid Luka Maksim Matvei Mikhail Mykola Nazar Nikolai Ostap Pavel
Pyotr Roman Semyon Sergei Stepan Taras Timofei Vasilii Viktor Yakov Yurii Zakhar
"""
FIRST_NAMES = tuple(FIRST_NAMES_TEXT.split())
SURNAMES_TEXT = """
Antonenko Babenko Bondar Bondarenko Chernenko Demidov Dorosh Fedorenko Gavrilenko Gorbunov
Gritsenko Guzenko Karpenko Kharchenko Klimenko Kolesnikov Kovalenko Kovalev Kravchenko
Kudryavtsev Kulik Kuzmenko Lebedev Levchenko Litvinenko Lysenko Makarenko Marchenko Melnik
Mironenko Morozov Nazarenko Nesterenko Osipenko Pavlenko Ponomarenko Prokopenko Rudenko
Savchenko Semenko Shevchenko Sidorenko Sokolov Tarasenko Tkachenko Vasilenko Volkov
Yakovenko Zaitsev Zhuk
"""
SURNAMES = tuple(SURNAMES_TEXT.split())


@dataclass(frozen=True)
class Worker:
    worker_id: str
    name: str
    unit: str
    trade: str
    grade: str
    skill: float = 1.0  # usual output as a multiple of the norm; not written


STAKHANOV = Worker(
    "W001", "Alexei Stakhanov", f"{ENTERPRISE}/Section 8/Brigade 1", "hewer", "6", 1.3
)
PETROV = Worker("W002", "Konstantin Petrov", ENTERPRISE, "party organiser", "5")
TIMBERERS_OF_THE_RECORD = (
    Worker("W003", "Gerasim Kolesnik", f"{ENTERPRISE}/Section 8/Brigade 1", "timberer", "4"),
    Worker("W004", "Prokhor Moroz", f"{ENTERPRISE}/Section 8/Brigade 1", "timberer", "4"),
)
DYUKANOV = Worker("W005", "Miron Dyukanov", f"{ENTERPRISE}/Section 8/Brigade 2", "hewer", "6", 1.28)
HISTORICAL_PLACES = {
    (8, 1, "hewer"): [STAKHANOV],
    (8, 1, "timberer"): list(TIMBERERS_OF_THE_RECORD),
    (8, 2, "hewer"): [DYUKANOV],
}


@dataclass
class Brigade:
    layout: BrigadeLayout
    unit: str
    faces: list[tuple[Worker, ...]]  # own faces first (one hewer each), then shared faces
    timberers: list[Worker]
    loaders: list[Worker]

    def is_shared(self, face_index: int) -> bool:
        return face_index >= self.layout.own_faces


@dataclass
class Section:
    layout: SectionLayout
    unit: str
    hauliers: list[Worker]
    sharpeners: list[Worker]


@dataclass
class Mine:
    workers: list[Worker]
    brigades: list[Brigade]
    sections: list[Section]


@dataclass
class CrewRow:
    worker_id: str
    operation: str
    hours: Decimal
    credited: Decimal | None = None
    coefficient: Decimal | None = None


@dataclass
class Shift:
    shift_id: str
    day: date
    hours: Decimal
    workplace: str
    operation: str
    quantity: Decimal
    unit: str
    rejected: Decimal | None = None
    conditions: str = "standard"
    note: str = ""
    crew: list[CrewRow] = field(default_factory=list)

    def shift_row(self) -> tuple[str, ...]:
        return (
            self.shift_id,
            self.day.isoformat(),
            _text(self.hours),
            self.workplace,
            self.conditions,
            self.note,
        )

    def output_row(self) -> tuple[str, ...]:
        return (
            self.shift_id,
            self.operation,
            _text(self.quantity),
            self.unit,
            _text(self.rejected),
        )

    def crew_row(self, row: CrewRow) -> tuple[str, ...]:
        return (
            self.shift_id,
            row.worker_id,
            row.operation,
            _text(row.hours),
            _text(row.credited),
            _text(row.coefficient),
        )


def write_demo_dataset(directory: Path, seed: int = 1935) -> None:
    """Write workers, norms, shifts, output, crew and incidents CSV files into `directory`.

    The same seed always gives byte-identical files.
    """
    rng = random.Random(seed)
    mine = _staff_mine(rng)
    shifts = [shift for day in _working_days() for shift in _work_day(mine, day, rng)]
    tables: dict[str, list[tuple[str, ...]]] = {
        "workers.csv": [(w.worker_id, w.name, w.unit, w.trade, w.grade) for w in mine.workers],
        "norms.csv": list(NORMS),
        "shifts.csv": [s.shift_row() for s in shifts],
        "output.csv": [s.output_row() for s in shifts],
        "crew.csv": [s.crew_row(c) for s in shifts for c in s.crew],
        "incidents.csv": _incidents(mine, shifts),
    }
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        _write(directory / name, rows)


def _incidents(mine: Mine, shifts: list[Shift]) -> list[tuple[str, ...]]:
    """The invented incidents, each on a shift its worker really worked."""
    rows: list[tuple[str, ...]] = []
    for incident_id, first_day, section, trade, severity, description in INCIDENTS:
        prefix = f"{ENTERPRISE}/Section {section}"
        staff = [w for w in mine.workers if w.trade == trade and w.unit.startswith(prefix)]
        worker = max(staff, key=lambda w: (w.skill, w.worker_id))
        shift = next(
            s
            for s in shifts
            if s.day >= first_day and any(c.worker_id == worker.worker_id for c in s.crew)
        )
        rows.append(
            (
                incident_id,
                shift.day.isoformat(),
                shift.shift_id,
                worker.worker_id,
                severity,
                f"{description} ({INVENTED})",
            )
        )
    return rows


def _write(path: Path, rows: Iterable[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(HEADERS[path.name])
        writer.writerows(rows)


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _working_days() -> Iterator[date]:
    day = FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() != 6:  # Sunday
            yield day
        day += timedelta(days=1)


# --- staffing -------------------------------------------------------------------------------


def _staff_mine(rng: random.Random) -> Mine:
    """Invent the workforce around the historical people, in a fixed order."""
    historical = [STAKHANOV, PETROV, *TIMBERERS_OF_THE_RECORD, DYUKANOV]
    taken = {w.name for w in historical}
    workers = list(historical)
    reserved = {key: list(people) for key, people in HISTORICAL_PLACES.items()}

    def hire(unit: str, trade: str, key: tuple[int, int, str] | None = None) -> Worker:
        waiting = reserved.get(key, []) if key is not None else []
        if waiting:
            return waiting.pop(0)
        worker = Worker(
            f"W{len(workers) + 1:03d}", _invent_name(rng, taken), unit, trade, "", _skill(rng)
        )
        worker = _graded(worker, rng)
        workers.append(worker)
        return worker

    brigades = []
    for layout in BRIGADES:
        unit = f"{ENTERPRISE}/Section {layout.section}/Brigade {layout.number}"
        place = (layout.section, layout.number)
        faces: list[tuple[Worker, ...]] = [
            (hire(unit, "hewer", (*place, "hewer")),) for _ in range(layout.own_faces)
        ]
        faces += [
            tuple(hire(unit, "hewer", (*place, "hewer")) for _ in range(size))
            for size in layout.shared_faces
        ]
        timberers = [hire(unit, "timberer", (*place, "timberer")) for _ in range(layout.timberers)]
        loaders = [hire(unit, "loader") for _ in range(layout.loaders)]
        brigades.append(Brigade(layout, unit, faces, timberers, loaders))
    sections = []
    for section_layout in SECTIONS:
        unit = f"{ENTERPRISE}/Section {section_layout.number}"
        hauliers = [hire(unit, "haulier") for _ in range(section_layout.hauliers)]
        sharpeners = [hire(unit, "drill sharpener") for _ in range(section_layout.sharpeners)]
        sections.append(Section(section_layout, unit, hauliers, sharpeners))
    return Mine(workers, brigades, sections)


def _invent_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        if name not in taken:
            taken.add(name)
            return name


def _skill(rng: random.Random) -> float:
    """Usual output against the norm: mostly 0.88-1.30, one worker in ten weaker."""
    if rng.random() < 0.1:
        return rng.uniform(0.78, 0.92)
    return rng.uniform(0.88, 1.30)


def _graded(worker: Worker, rng: random.Random) -> Worker:
    if worker.trade == "hewer":
        grade = "6" if worker.skill >= 1.25 else "5" if worker.skill >= 0.9 else "4"
    elif worker.trade in ("timberer", "drill sharpener"):
        grade = "4" if rng.random() < 0.7 else "5"
    else:
        grade = "3" if rng.random() < 0.8 else "4"
    return Worker(worker.worker_id, worker.name, worker.unit, worker.trade, grade, worker.skill)


# --- one working day ------------------------------------------------------------------------


def _work_day(mine: Mine, day: date, rng: random.Random) -> Iterator[Shift]:
    present = {w.worker_id for w in mine.workers if rng.random() >= ABSENCE}
    present |= _needed_on(mine, day)
    for brigade in mine.brigades:
        yield from _brigade_day(brigade, day, present, rng)
    for section in mine.sections:
        yield from _haulage(section, day, present, rng)
        yield from _drill_sharpening(section, day, present, rng)


def _needed_on(mine: Mine, day: date) -> set[str]:
    """The workers that the special shifts of the day cannot do without."""
    needed: set[str] = set()
    if day in RECORDS:
        needed |= {STAKHANOV.worker_id, PETROV.worker_id}
        needed |= {w.worker_id for w in TIMBERERS_OF_THE_RECORD}
    for brigade in mine.brigades:
        place = (brigade.layout.section, brigade.layout.number)
        if day == POOLED_DAY and place == POOLED_BRIGADE:
            needed |= {w.worker_id for w in brigade.faces[brigade.layout.own_faces]}
        if day in KG_DAYS and place == KG_BRIGADE:
            needed.add(brigade.faces[0][0].worker_id)
    if day == IMPLAUSIBLE_DAY:
        section = next(s for s in mine.sections if s.layout.number == IMPLAUSIBLE_SECTION)
        needed.add(section.hauliers[0].worker_id)
    return needed


def _brigade_day(
    brigade: Brigade, day: date, present: set[str], rng: random.Random
) -> Iterator[Shift]:
    layout = brigade.layout
    place = (layout.section, layout.number)
    prefix = f"{day.isoformat()}-S{layout.section}-B{layout.number}"
    shortened = rng.random() < 0.03
    hours = SHORTENED_HOURS if shortened else UNDERGROUND_HOURS
    note = SHORTENED_NOTE if shortened else ""
    record = RECORDS.get(day) if brigade.faces[0][0] is STAKHANOV else None

    faces: list[Shift] = []
    ordinary: list[tuple[Shift, int]] = []  # faces that may get a timberer
    for index, hewers in enumerate(brigade.faces):
        crew = [w for w in hewers if w.worker_id in present]
        if not crew:
            continue
        shift_id = f"{prefix}-F{index + 1}"
        if index == 0 and record is not None:
            faces.append(_record_shift(shift_id, day, brigade.unit, *record))
        elif brigade.is_shared(index) and day == POOLED_DAY and place == POOLED_BRIGADE:
            faces.append(_pooled_shift(shift_id, day, brigade.unit, crew))
        else:
            shift = Shift(shift_id, day, hours, brigade.unit, "hewing", Decimal(0), "t", note=note)
            faces.append(shift)
            ordinary.append((shift, index))

    busy = set(TIMBERERS_OF_THE_RECORD) if record is not None else set()
    timberers = [w for w in brigade.timberers if w.worker_id in present and w not in busy]
    timbered = rng.sample(range(len(ordinary)), min(len(timberers), len(ordinary)))
    timberer_at = dict(zip(timbered, timberers, strict=False))
    for position, (shift, index) in enumerate(ordinary):
        crew = [w for w in brigade.faces[index] if w.worker_id in present]
        _hew(
            shift,
            crew,
            brigade.is_shared(index),
            layout.senior_coefficient,
            timberer_at.get(position),
            rng,
        )
        if day in KG_DAYS and place == KG_BRIGADE and index == 0:
            _weigh_in_kg(shift)
    yield from faces

    loaders = [w for w in brigade.loaders if w.worker_id in present]
    if loaders:
        yield _measured_shift(
            f"{prefix}-L",
            day,
            hours,
            brigade.unit,
            "loading",
            LOADING_NORM,
            loaders,
            split=layout.split_loading,
            rng=rng,
            note=note,
        )


def _hew(
    shift: Shift,
    hewers: list[Worker],
    shared: bool,
    senior_coefficient: Decimal | None,
    timberer: Worker | None,
    rng: random.Random,
) -> None:
    """Fill an ordinary face: its hewers' output, split by the importer on a shared face."""
    gain = ASSISTED_GAIN if timberer is not None else 1.0
    total = 0.0
    for position, hewer in enumerate(hewers):
        hours = shift.hours
        if shared and len(hewers) > 1 and rng.random() < 0.04:
            hours = rng.choice((Decimal(3), Decimal("4.5")))  # came late or left early
        tonnes = float(HEWING_NORM * hours / UNDERGROUND_HOURS) * hewer.skill * gain * _noise(rng)
        total += tonnes
        coefficient = senior_coefficient if shared and position == 0 else None
        shift.crew.append(CrewRow(hewer.worker_id, "hewing", hours, coefficient=coefficient))
    shift.quantity = _tenths(total)
    if not shared:
        shift.crew[0].credited = shift.quantity
    if timberer is not None:
        shift.crew.append(CrewRow(timberer.worker_id, "timbering", shift.hours))
    if rng.random() < 0.35:
        shift.rejected = Decimal(rng.randint(1, 5)) / 10


def _record_shift(shift_id: str, day: date, workplace: str, tonnes: Decimal, note: str) -> Shift:
    hours = UNDERGROUND_HOURS
    shift = Shift(
        shift_id, day, hours, workplace, "hewing", tonnes, "t", conditions="prepared", note=note
    )
    shift.crew = [
        CrewRow(STAKHANOV.worker_id, "hewing", hours, credited=tonnes),
        *(CrewRow(w.worker_id, "timbering", hours) for w in TIMBERERS_OF_THE_RECORD),
        CrewRow(PETROV.worker_id, "assist", hours),
    ]
    return shift


def _pooled_shift(shift_id: str, day: date, workplace: str, hewers: list[Worker]) -> Shift:
    hours = UNDERGROUND_HOURS
    shift = Shift(
        shift_id,
        day,
        hours,
        workplace,
        "hewing",
        sum(POOLED_CREDITS, Decimal(0)),
        "t",
        note=POOLED_NOTE,
    )
    shift.crew = [
        CrewRow(hewer.worker_id, "hewing", hours, credited=credit)
        for hewer, credit in zip(hewers, POOLED_CREDITS, strict=True)
    ]
    return shift


def _weigh_in_kg(shift: Shift) -> None:
    """Write a face's output in kg, as the pit-head scales gave it (exercises unit conversion)."""
    kg = Decimal(1000)
    shift.unit = "kg"
    shift.note = KG_NOTE
    shift.quantity = (shift.quantity * kg).quantize(Decimal(1))
    if shift.rejected is not None:
        shift.rejected = (shift.rejected * kg).quantize(Decimal(1))
    for row in shift.crew:
        if row.credited is not None:
            row.credited = (row.credited * kg).quantize(Decimal(1))


def _haulage(section: Section, day: date, present: set[str], rng: random.Random) -> Iterator[Shift]:
    prefix = f"{day.isoformat()}-S{section.layout.number}"
    hauliers = [w for w in section.hauliers if w.worker_id in present]
    if not section.layout.own_haulage:
        if hauliers:
            yield _measured_shift(
                f"{prefix}-H",
                day,
                UNDERGROUND_HOURS,
                section.unit,
                "haulage",
                HAULAGE_NORM,
                hauliers,
                split=True,
                rng=rng,
            )
        return
    for number, haulier in enumerate(section.hauliers, start=1):
        if haulier not in hauliers:
            continue
        shift_id = f"{prefix}-H{number}"
        implausible = (
            day == IMPLAUSIBLE_DAY and number == 1 and section.layout.number == IMPLAUSIBLE_SECTION
        )
        if implausible:
            shift = Shift(
                shift_id,
                day,
                UNDERGROUND_HOURS,
                section.unit,
                "haulage",
                IMPLAUSIBLE_CREDIT,
                "t",
                note=IMPLAUSIBLE_NOTE,
            )
            shift.crew = [
                CrewRow(
                    haulier.worker_id, "haulage", UNDERGROUND_HOURS, credited=IMPLAUSIBLE_CREDIT
                )
            ]
            yield shift
        else:
            yield _measured_shift(
                shift_id,
                day,
                UNDERGROUND_HOURS,
                section.unit,
                "haulage",
                HAULAGE_NORM,
                [haulier],
                split=False,
                rng=rng,
            )


def _measured_shift(
    shift_id: str,
    day: date,
    hours: Decimal,
    workplace: str,
    operation: str,
    norm: Decimal,
    crew: list[Worker],
    *,
    split: bool,
    rng: random.Random,
    note: str = "",
) -> Shift:
    """A loading or haulage shift: tonnes per worker, credited one by one or split."""
    shift = Shift(shift_id, day, hours, workplace, operation, Decimal(0), "t", note=note)
    tonnes = [float(norm * hours / UNDERGROUND_HOURS) * w.skill * _noise(rng) for w in crew]
    if split:
        shift.quantity = _tenths(sum(tonnes))
        shift.crew = [CrewRow(w.worker_id, operation, hours) for w in crew]
    else:
        credits = [_tenths(t) for t in tonnes]
        shift.quantity = sum(credits, Decimal(0))
        shift.crew = [
            CrewRow(w.worker_id, operation, hours, credited=c)
            for w, c in zip(crew, credits, strict=True)
        ]
    return shift


def _drill_sharpening(
    section: Section, day: date, present: set[str], rng: random.Random
) -> Iterator[Shift]:
    """The section's smithy: sharpened drill steels counted in pieces, credited by smith."""
    smiths = [w for w in section.sharpeners if w.worker_id in present]
    if not smiths:
        return
    pieces_at_norm = SMITHY_HOURS * 60 / SHARPENING_MINUTES
    pieces = [round(float(pieces_at_norm) * w.skill * _noise(rng)) for w in smiths]
    shift = Shift(
        f"{day.isoformat()}-S{section.layout.number}-D",
        day,
        SMITHY_HOURS,
        section.unit,
        "drill sharpening",
        Decimal(sum(pieces)),
        "piece",
    )
    shift.crew = [
        CrewRow(w.worker_id, "drill sharpening", SMITHY_HOURS, credited=Decimal(p))
        for w, p in zip(smiths, pieces, strict=True)
    ]
    if rng.random() < 0.3:
        shift.rejected = Decimal(rng.randint(1, 4))
    yield shift


def _noise(rng: random.Random) -> float:
    """Day-to-day variation of one worker's output."""
    return min(1.25, max(0.8, rng.gauss(1.0, 0.09)))


def _tenths(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(TENTH, rounding=ROUND_HALF_UP)
