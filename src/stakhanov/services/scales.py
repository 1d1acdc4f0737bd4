"""Import pay scales from TOML files: all or nothing, idempotent, corrections as reversals."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from stakhanov.data.rulepacks import pack_text
from stakhanov.domain.errors import Problem, Source
from stakhanov.domain.scale_files import MAX_SCALE_CHARS, parse_scale
from stakhanov.domain.scales import PayScale
from stakhanov.domain.wording import say
from stakhanov.services.importing import ImportRejected, default_author
from stakhanov.store.payroll import PayStore
from stakhanov.store.records import SCALES, ScaleDocument


@dataclass
class ScaleImport:
    batch_id: int | None = None
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)


def scale_files(paths: list[Path]) -> list[Path]:
    """The files to read: each file given, and every .toml file in each directory given."""
    found: list[Path] = []
    for path in paths:
        found += sorted(path.glob("*.toml")) if path.is_dir() else [path]
    return found


def read_scales(paths: list[Path]) -> tuple[list[tuple[PayScale, ScaleDocument]], list[Problem]]:
    found, problems = [], []
    for path in scale_files(paths):
        try:
            if path.stat().st_size > MAX_SCALE_CHARS * 4:  # read no bomb into memory
                problems.append(Problem(Source(path.name, 1), "-", say("is larger than 1 MiB")))
                continue
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            problems.append(
                Problem(Source(path.name, 1), "-", say("cannot read: %(err)s", err=str(err)))
            )
            continue
        scale, wrong = parse_scale(text, path.name, pack_text)
        problems += sorted(wrong, key=lambda p: p.source.row if p.source else 0)
        if scale is not None:
            document = ScaleDocument(
                scale.name, scale.effective_from, scale.currency, text, Source(path.name, 1)
            )
            found.append((scale, document))
    return found, problems


def import_scales(
    engine: Engine,
    paths: list[Path],
    *,
    correct: bool = False,
    reason: str | None = None,
    author: str | None = None,
    label: str | None = None,
) -> ScaleImport:
    """Store every scale version in the files; raise ImportRejected with every problem if any.

    A version is its name and effective_from. The same version again (however it is written)
    changes nothing; a different one is an error unless `correct`, which reverses the old one.
    """
    incoming, problems = read_scales(paths)
    seen: dict[tuple[str, object], ScaleDocument] = {}
    for scale, document in incoming:
        key = (scale.name, scale.effective_from)
        if key in seen:
            first = seen[key].origin
            problems.append(
                Problem(
                    document.origin,
                    "name",
                    say(
                        "%(label)s is also in %(value)s",
                        label=scale.label,
                        value=first.file if first else "?",
                    ),
                )
            )
        seen[key] = document
    report = ScaleImport()
    with engine.begin() as connection:
        store = PayStore(connection)
        stored = {SCALES.key(d): (entry_id, d) for entry_id, d in store.documents()}
        added, reversals = [], []
        for scale, document in incoming:
            existing = stored.get(SCALES.key(document))
            if existing is None:
                added.append(document)
                report.added.append(scale.label)
                continue
            entry_id, old = existing
            before, _ = parse_scale(old.document, scale.label, pack_text)
            if before == scale:
                report.unchanged.append(scale.label)
                continue
            if not correct:
                problems.append(
                    Problem(
                        document.origin,
                        "effective_from",
                        say(
                            "%(label)s is already stored with other terms; give it a new "
                            "effective_from, or use --correct to record a correction",
                            label=scale.label,
                        ),
                    )
                )
                continue
            reversals.append((entry_id, old, document.origin))
            added.append(document)
            report.corrected.append(scale.label)
        if problems:
            raise ImportRejected(problems)
        if not added:
            return report
        # The files by name: where they lay on the machine is no part of the record.
        label = label or ", ".join(p.name for p in paths)
        report.batch_id = store.ledger.new_batch(
            "correction" if reversals else "scales", label, author or default_author(), reason
        )
        if reversals:
            store.ledger.reverse(
                SCALES, report.batch_id, reversals, reason or f"corrected by {label}"
            )
        store.ledger.append(SCALES, report.batch_id, added)
    return report


def stored_scales(engine: Engine) -> list[PayScale]:
    with engine.connect() as connection:
        found, _ = PayStore(connection).scales()
    return sorted(found, key=lambda s: (s.name, s.effective_from))
