"""Auditors' reviews of findings, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from stakhanov.domain.audit import Decision, FindingKind
from stakhanov.domain.periods import parse_period
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.reviews import ReviewRefused, review, reviewed_findings
from stakhanov.services.tables import read_source
from tests.integration.helpers import mini_copy

pytestmark = pytest.mark.storage
SEPTEMBER = parse_period("1935-09")


def statuses(engine: Engine) -> dict[tuple[str, str], str]:
    return {
        (r.finding.kind.value, r.finding.shift_id): r.status
        for r in reviewed_findings(engine, SEPTEMBER)
    }


def test_review_closes_a_finding_and_keeps_who_and_why(engine: Engine, tmp_path: Path) -> None:
    import_batch(engine, read_source(mini_copy(tmp_path), set(FORMATS)))
    assert statuses(engine) == {("pooled", "S3"): "open", ("implausible", "S5"): "open"}
    done = review(
        engine,
        FindingKind.IMPLAUSIBLE,
        "S5",
        "hewing",
        Decision.EXPLAINED,
        "weighed twice, witnessed",
        "auditor-1",
    )
    assert done.status == "explained" and done.review.reviewer == "auditor-1"  # type: ignore[union-attr]
    assert statuses(engine)[("implausible", "S5")] == "explained"
    # A later decision supersedes; the earlier one stays in the table.
    review(engine, FindingKind.IMPLAUSIBLE, "S5", "hewing", Decision.UPHELD, "scale faulty", "a2")
    assert statuses(engine)[("implausible", "S5")] == "upheld"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM finding_reviews")).scalar() == 2


def test_a_correction_reopens_a_reviewed_finding(engine: Engine, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    import_batch(engine, read_source(folder, set(FORMATS)))
    review(engine, FindingKind.IMPLAUSIBLE, "S5", "hewing", Decision.EXPLAINED, "ok", "a1")
    for name, old, new in (
        ("output.csv", "S5,hewing,250,t,", "S5,hewing,245,t,"),
        ("crew.csv", "S5,H3,hewing,6,250,", "S5,H3,hewing,6,245,"),
    ):
        path = folder / name
        path.write_text(path.read_text().replace(old, new))
    import_batch(engine, read_source(folder, set(FORMATS)), correct=True)
    assert statuses(engine)[("implausible", "S5")] == "open"


def test_reviews_need_a_current_finding_and_a_reason(engine: Engine, tmp_path: Path) -> None:
    import_batch(engine, read_source(mini_copy(tmp_path), set(FORMATS)))
    with pytest.raises(ReviewRefused, match="no pooled finding"):
        review(engine, FindingKind.POOLED, "S5", "hewing", Decision.UPHELD, "x", "a1")
    with pytest.raises(ReviewRefused, match="reason"):
        review(engine, FindingKind.POOLED, "S3", "hewing", Decision.UPHELD, " ", "a1")
    with pytest.raises(ReviewRefused, match="unknown shift"):
        review(engine, FindingKind.POOLED, "S99", "hewing", Decision.UPHELD, "x", "a1")
    review(engine, FindingKind.POOLED, "S3", "hewing", Decision.UPHELD, "x", "a1")
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text("DELETE FROM finding_reviews"))


def test_the_operation_may_be_left_out_when_the_shift_has_one_such_finding(
    engine: Engine, tmp_path: Path
) -> None:
    import_batch(engine, read_source(mini_copy(tmp_path), set(FORMATS)))
    done = review(engine, FindingKind.IMPLAUSIBLE, "S5", None, Decision.UPHELD, "x", "a1")
    assert done.review.operation == "hewing"  # type: ignore[union-attr]
    assert statuses(engine)[("implausible", "S5")] == "upheld"
    with pytest.raises(ReviewRefused, match="give --operation, one of: hewing"):
        review(engine, FindingKind.POOLED, "S3", "loading", Decision.UPHELD, "x", "a1")
