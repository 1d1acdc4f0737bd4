"""`stakhanov generate`: a month of realistic work in import format v1, streamed to disk.

The organisation (enterprise / sections / brigades, mixed industries) is laid out first, a few
numbers per brigade. Each brigade is then worked through the period with its own random stream
(seeded from the seed and the brigade's number), and its rows go straight to the file sinks, so
memory holds one brigade and one chunk per file whatever the size. Quantities are drawn as floats
but written as whole numbers of quanta (tenths of a tonne, kilograms, pieces): every cell is
exact decimal text. The same seed gives the same bytes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from stakhanov.data.irmino import FIRST_NAMES, SURNAMES
from stakhanov.services.generator_profiles import INDUSTRIES, Industry, Team
from stakhanov.services.generator_shifts import BrigadeDay, Planted, WorkerDraw, Writers, work_crew
from stakhanov.services.generator_sinks import open_sink
from stakhanov.services.parsing import FORMATS

__all__ = ["DEFAULT_START", "Brigade", "Generated", "Settings", "generate", "organisation"]

ENTERPRISE = "Zarya Combine"
DEFAULT_START = date(2025, 9, 1)
MANIFEST = "manifest.json"
FILES = ("workers", "norms", "shifts", "output", "crew", "time", "rejects")
OPTIONAL = {"resources", "start_time", "end_time", "cause"}  # not filled: files stay as before
COLUMNS = {
    f"{name}.csv": tuple(c for c in FORMATS[f"{name}.csv"].columns if c not in OPTIONAL)
    for name in FILES
}
BRIGADE_SIZE = (10, 30)
BRIGADES_PER_SECTION = 8
DAY_OFF = 0.02  # a brigade sent elsewhere, or no work for it, on a working day


@dataclass(frozen=True)
class Settings:
    workers: int
    days: int
    seed: int
    start: date = DEFAULT_START

    @property
    def revision(self) -> date | None:
        """When the revised norms take effect: mid-period (no revision in a one-day period)."""
        return self.start + timedelta(days=self.days // 2) if self.days >= 2 else None


@dataclass(frozen=True)
class Brigade:
    number: int  # over the enterprise, from 1
    industry: Industry
    section: int
    in_section: int
    first_worker: int  # number of its first worker, from 1
    size: int

    @property
    def unit(self) -> str:
        return f"{ENTERPRISE}/{self.industry.section} {self.section}/Brigade {self.in_section}"


def month_scale(name: str) -> str:
    """A pay scale (TOML) that pays a generated month by every rule its data can meet: the
    grades' tariffs, two tiers, time work, the guarantee, rest at the average, the weekly
    minimum wage and a capped deduction (the close's benchmark and tests load it)."""
    return f"""name = "{name}"
effective_from = "2025-01-01"
currency = "USD"
basis = "shift"
percent = "stated"
[grades]
"1" = "16.50"
"2" = "18.00"
"3" = "20.00"
"4" = "22.00"
"5" = "24.00"
"6" = "26.00"
[[tiers]]
above = 100
multiplier = "1.25"
[[tiers]]
above = 130
multiplier = "1.5"
[time_work]
fraction = "1"
[guarantee]
fraction = "1"
[rest]
pay = "average"
[minimum_wage]
hourly = "16.50"
week_starts = "sunday"
[[deductions]]
code = "uniform"
name = "Uniform rental"
amount = "5.00"
cap_percent = "5"
[deduction_cap]
percent = "25"
"""


def organisation(settings: Settings) -> list[Brigade]:
    """Brigades of 10-30 workers; each goes to the industry furthest below its worker share."""
    rng = random.Random(f"{settings.seed}:organisation")
    brigades: list[Brigade] = []
    staffed = dict.fromkeys(INDUSTRIES, 0)
    count = dict.fromkeys(INDUSTRIES, 0)
    low, high = BRIGADE_SIZE
    first = 1
    while first <= settings.workers:
        remaining = settings.workers - first + 1
        size = remaining if remaining <= high else low + int(rng.random() * (high - low + 1))
        if 0 < remaining - size < low:  # leave no brigade of fewer than ten behind
            size = remaining - low
        total = first - 1 + size
        industry = max(INDUSTRIES, key=lambda i: i.share * total - staffed[i])
        section, in_section = divmod(count[industry], BRIGADES_PER_SECTION)
        brigades.append(
            Brigade(len(brigades) + 1, industry, section + 1, in_section + 1, first, size)
        )
        staffed[industry] += size
        count[industry] += 1
        first += size
    return brigades


@dataclass
class Generated:
    """What was written: rows per file and the planted results, as the manifest records them."""

    settings: Settings
    files: dict[str, int] = field(default_factory=dict)
    planted: Planted = field(default_factory=Planted)

    def manifest(self) -> dict[str, object]:
        s = self.settings
        return {
            "format": "import format v1",
            "seed": s.seed,
            "workers": s.workers,
            "days": s.days,
            "start": s.start.isoformat(),
            "end": (s.start + timedelta(days=s.days - 1)).isoformat(),
            "norm_revision": s.revision.isoformat() if s.revision else None,
            "files": self.files,
            "planted": {
                kind: {"count": len(ids), "shift_ids": ids} for kind, ids in self.planted.ids()
            },
            "assisted_shifts": self.planted.assisted,
        }


def generate(
    settings: Settings,
    out: Path,
    parquet: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Generated:
    """Write the files and manifest.json into `out`; `progress` gets each brigade's workers."""
    out.mkdir(parents=True, exist_ok=True)
    sinks = {name: open_sink(out, name, columns, parquet) for name, columns in COLUMNS.items()}
    result = Generated(settings)
    for row in _norm_rows(settings):
        sinks["norms.csv"].add(row)
    width = max(6, len(str(settings.workers)))
    brigades = organisation(settings)
    code_width = max(4, len(str(len(brigades))))
    dates = [settings.start + timedelta(days=d) for d in range(settings.days)]
    write = Writers(*(sinks[f"{name}.csv"].add for name in Writers._fields))
    for brigade in brigades:
        rng = random.Random(f"{settings.seed}:{brigade.number}")
        staff = _staff(brigade, rng, width, sinks["workers.csv"].add)
        code = f"B{brigade.number:0{code_width}d}"
        _work(brigade, staff, dates, settings, rng, code, write, result.planted)
        for sink in sinks.values():
            sink.flush_if_full()
        if progress:
            progress(brigade.size)
    for name, sink in sinks.items():
        sink.close()
        result.files[name.replace(".csv", ".parquet") if parquet else name] = sink.rows
    (out / MANIFEST).write_text(json.dumps(result.manifest(), indent=1) + "\n", encoding="utf-8")
    return result


def _norm_rows(settings: Settings) -> list[tuple[str, ...]]:
    first = date(settings.start.year - 1, 1, 1).isoformat()
    rows: list[tuple[str, ...]] = []
    for industry in INDUSTRIES:
        for team in industry.teams:
            op = team.operation
            row = (op.name, op.unit, op.kind, op.norm, op.norm_hours, op.includes, op.max_rate)
            rows.append((*row, first, op.method, op.source))
            if op.revised and settings.revision:
                revised = (*row[:3], op.revised, *row[4:])
                note = f"{op.source}: {op.revised_because}"
                rows.append((*revised, settings.revision.isoformat(), op.method, note))
    return rows


@dataclass
class Staff:
    """A brigade's workers by team, and its helpers, as (worker_id, skill) draws."""

    teams: list[list[WorkerDraw]]
    helpers: list[WorkerDraw]


def _staff(
    brigade: Brigade, rng: random.Random, width: int, write: Callable[[tuple[str, ...]], None]
) -> Staff:
    industry = brigade.industry
    helpers = round(brigade.size * industry.helpers.share) if industry.helpers else 0
    doers = brigade.size - helpers
    counts, placed = [], 0
    for i, team in enumerate(industry.teams):
        last = i == len(industry.teams) - 1
        counts.append(doers - placed if last else round(doers * team.share))
        placed += counts[-1]
    trades = [t.trade for t, n in zip(industry.teams, counts, strict=True) for _ in range(n)]
    if industry.helpers:
        trades += [industry.helpers.trade] * helpers
    staff = Staff([[] for _ in industry.teams], [])
    groups = [g for g, n in zip(staff.teams, counts, strict=True) for _ in range(n)]
    groups += [staff.helpers] * helpers
    for offset, (trade, group) in enumerate(zip(trades, groups, strict=True)):
        number = brigade.first_worker + offset
        worker_id = f"W{number:0{width}d}"
        # Skill: usual output as a multiple of the norm, 0.8-1.35, most near 1.07.
        skill = 0.8 + 0.55 * (rng.random() + rng.random() + rng.random()) / 3
        grade = str(2 + int((skill - 0.8) / 0.55 * 4.99))
        name = f"{FIRST_NAMES[int(rng.random() * len(FIRST_NAMES))]} "
        name += SURNAMES[int(rng.random() * len(SURNAMES))]
        write((worker_id, name, brigade.unit, trade, grade))
        group.append(WorkerDraw(worker_id, skill, number))
    return staff


def _work(
    brigade: Brigade,
    staff: Staff,
    dates: list[date],
    settings: Settings,
    rng: random.Random,
    code: str,
    write: Writers,
    planted: Planted,
) -> None:
    industry = brigade.industry
    day_width = len(str(len(dates)))
    for index, day in enumerate(dates):
        if day.weekday() not in industry.workdays or rng.random() < DAY_OFF:
            continue
        today = BrigadeDay(
            brigade=code,
            day=day.isoformat(),
            day_number=f"{index + 1:0{day_width}d}",
            workplace=f"{industry.section} {brigade.section} {industry.place} {brigade.in_section}",
            revised=settings.revision is not None and day >= settings.revision,
            hot=rng.random() < industry.heat_rest,
        )
        crews: list[tuple[Team, list[WorkerDraw], list[WorkerDraw]]] = []
        for team, workers in zip(industry.teams, staff.teams, strict=True):
            present = _present(workers, industry, index, rng)
            low, high = team.crew
            at = 0
            while at < len(present):
                size = low + int(rng.random() * (high - low + 1))
                crews.append((team, present[at : at + size], []))
                at += size
        helped = [c for c in crews if c[0] is industry.teams[0]]
        if helped:
            for i, helper in enumerate(_present(staff.helpers, industry, index, rng)):
                helped[i % len(helped)][2].append(helper)
        for number, (team, doers, helpers) in enumerate(crews, start=1):
            work_crew(rng, industry, team, today, number, doers, helpers, write, planted)


def _present(
    workers: list[WorkerDraw], industry: Industry, day: int, rng: random.Random
) -> list[WorkerDraw]:
    """Who turns up: not absent, and not on their rest day where the work never stops."""
    return [
        w
        for w in workers
        if rng.random() >= industry.absence
        and not (industry.rest_day_rota and (w.number + day) % 7 == 0)
    ]
