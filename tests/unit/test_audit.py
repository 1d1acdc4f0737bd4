"""Each audit finding fires on what it names and stays silent on honest work."""

from __future__ import annotations

from stakhanov.domain.audit import FindingKind, audit
from tests.ledgers import DAY, crew, hewing_norm, one_shift, stakhanov_shift


def kinds(ledger: object) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.kind.value, f.worker_ids) for f in audit(ledger, DAY, DAY)]  # type: ignore[arg-type]


def test_record_shift_is_assisted_and_prepared() -> None:
    assert kinds(stakhanov_shift()) == [
        ("assisted", ("AS", "KP", "T1", "T2")),
        ("prepared", ("AS", "KP", "T1", "T2")),
    ]


def test_honest_crew_has_no_finding() -> None:
    assert kinds(one_shift("21", crew("A"), crew("B", coefficient="1.2"), crew("C"))) == []
    assert kinds(one_shift("7", crew("A", credited="7"))) == []


def test_pooling_names_beneficiary_then_donor() -> None:
    ledger = one_shift(
        "31.5", crew("A", credited="30.0"), crew("B", credited="1.5"), crew("C", credited="0.0")
    )
    assert kinds(ledger) == [("pooled", ("A", "C"))]


def test_pooling_threshold_is_a_tenth_of_the_hours_share() -> None:
    # Shares are 10 t each; 1 t is exactly a tenth, which is not "less than a tenth".
    at_limit = one_shift(
        "30", crew("A", credited="19"), crew("B", credited="1"), crew("C", credited="10")
    )
    assert kinds(at_limit) == []
    below = one_shift(
        "30", crew("A", credited="19.1"), crew("B", credited="0.9"), crew("C", credited="10")
    )
    assert kinds(below) == [("pooled", ("A", "B"))]


def test_pooling_uses_hours_not_heads() -> None:
    # A worked 1 h of 7: a share of 1 t; credited 0.2 t is not under a tenth (0.1 t).
    ledger = one_shift("7", crew("A", hours="1", credited="0.2"), crew("B", credited="6.8"))
    assert kinds(ledger) == []


def test_implausible_rate_above_max_rate() -> None:
    ledger = one_shift("250", crew("A", credited="250"))  # 41.7 t/h against 40
    (finding,) = audit(ledger, DAY, DAY)
    assert finding.kind is FindingKind.IMPLAUSIBLE and finding.worker_ids == ("A",)
    assert "41.67 t/h" in finding.message
    assert kinds(one_shift("240", crew("A", credited="240"))) == []  # exactly the maximum


def test_no_max_rate_means_no_plausibility_check() -> None:
    ledger = one_shift("900", crew("A", credited="900"), norm=hewing_norm(max_rate=None))
    assert kinds(ledger) == []


def test_uncredited_output_is_reported() -> None:
    assert kinds(one_shift("10")) == [("uncredited", ())]
