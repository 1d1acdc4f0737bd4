"""Proposals, decisions and the norm versions they write, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from stakhanov.domain.audit import Decision as AuditDecision
from stakhanov.domain.audit import FindingKind
from stakhanov.domain.fulfilment import results
from stakhanov.domain.governance import Status, Verdict
from stakhanov.domain.periods import Period
from stakhanov.domain.proposals import Basis
from stakhanov.services import policies, proposals, reports, reviews, revisions
from stakhanov.services.importing import ImportRejected, import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.scales import import_scales
from stakhanov.services.tables import read_source
from tests.governance_ledgers import Builder, scenario
from tests.integration.helpers import write

pytestmark = pytest.mark.storage
MARCH = Period(dt.date(1936, 3, 1), dt.date(1936, 3, 31))
D = Decimal


def load(engine: Engine, build: Builder, folder: Path) -> None:
    for name, body in build.csv().items():
        write(folder, name, body)
    import_batch(engine, read_source(folder, set(FORMATS)))


def request(basis: Basis = Basis.STATISTICAL, **kwargs: object) -> proposals.Request:
    values: dict[str, object] = {
        "operation": "hewing",
        "basis": basis,
        "by": "rate-setter",
        "reason": "review",
        "proposed_on": dt.date(1936, 4, 1),
        "window": MARCH,
        **kwargs,
    }
    return proposals.Request(**values)  # type: ignore[arg-type]


def test_statistical_proposal_leaves_out_records_and_is_recorded(
    engine: Engine, tmp_path: Path
) -> None:
    load(engine, scenario(), tmp_path)
    document = proposals.propose(engine, request(percentile=D(75)))
    stats = document["statistical"]
    assert stats["excluded"] == {"prepared": 1, "assisted": 1, "finding": 0, "own record": 1}
    reasons = {e["shift_id"]: e["reasons"] for e in stats["exclusions"]}
    assert reasons == {"S8": ["own record"], "S9": ["prepared"], "S10": ["assisted"]}
    assert stats["value"] == D("110.0")
    assert document["proposed"]["norm"] == D("6.60")  # 6 t x 110%
    assert document["revision_id"] == 1
    stored = revisions.revision(engine, 1)
    assert stored.document["statistical"]["exclusions"] == stats["exclusions"]
    assert stored.state.status is Status.PENDING


def test_an_explained_finding_comes_back_into_the_sample(engine: Engine, tmp_path: Path) -> None:
    build = scenario()
    pooled = build.pooled("G", "H", "12")
    load(engine, build, tmp_path)
    first = proposals.propose(engine, request(), dry_run=True)["statistical"]
    assert {e["shift_id"] for e in first["exclusions"] if e["reasons"] == ["finding"]} == {pooled}
    reviews.review(
        engine, FindingKind.POOLED, pooled, "hewing", AuditDecision.EXPLAINED, "H was ill", "aud"
    )
    second = proposals.propose(engine, request(), dry_run=True)["statistical"]
    assert pooled in {s["shift_id"] for s in second["sample"]}


def test_governed_approval_writes_a_future_version_used_by_date(
    engine: Engine, tmp_path: Path
) -> None:
    load(engine, scenario(), tmp_path)
    proposals.propose(engine, request(Basis.TECHNICAL, norm=D("6.5"), evidence="new picks"))
    with pytest.raises(revisions.DecisionRefused, match="next step is rate-setter"):
        revisions.decide(engine, 1, "director", Verdict.APPROVE, "d", "ok", dt.date(1936, 4, 2))
    day = dt.date(1936, 4, 2)
    revisions.decide(engine, 1, "rate-setter", Verdict.APPROVE, "rs", "checked", day)
    revisions.decide(engine, 1, "representatives", Verdict.REJECT, "union", "too soon", day)
    done = revisions.decide(engine, 1, "director", Verdict.APPROVE, "dir", "new picks in", day)
    # Announced 2 April; 60 days' notice; the 6 t version is from 1 Jan, 180 days apart.
    assert done.effective_from == dt.date(1936, 6, 29)
    assert done.state.status is Status.APPROVED
    versions = {n.effective_from: n for n in reports.norms(engine)}
    assert versions[dt.date(1936, 6, 29)].norm == D("6.5")
    assert versions[dt.date(1936, 6, 29)].method == "technical"
    # A shift before the effective date is measured against 6 t, one after against 6.5 t.
    later = Builder()
    later.shift("A", "6.5", day=dt.date(1936, 6, 28))
    later.shift("A", "6.5", day=dt.date(1936, 6, 29))
    files = later.csv()
    folder = tmp_path / "later"
    write(folder, "shifts.csv", files["shifts.csv"].replace("S1,", "L1,").replace("S2,", "L2,"))
    write(folder, "output.csv", files["output.csv"].replace("S1,", "L1,").replace("S2,", "L2,"))
    write(folder, "crew.csv", files["crew.csv"].replace("S1,", "L1,").replace("S2,", "L2,"))
    import_batch(engine, read_source(folder, set(FORMATS)))
    june = reports.ledger_for(engine, Period(dt.date(1936, 6, 1), dt.date(1936, 6, 30)))
    by_shift = {r.shift_id: r.percent for r in results(june, june_start(), june_end())}
    assert by_shift["L1"] == Fraction("6.5") / 6 * 100
    assert by_shift["L2"] == 100
    with engine.connect() as connection:
        provenance = connection.execute(
            text("SELECT method, approved_by FROM provenance_entries")
        ).one()
    assert provenance.method == "technical"
    assert "representatives: union, reject" in provenance.approved_by
    with pytest.raises(revisions.DecisionRefused, match="closed"):
        revisions.decide(engine, 1, "director", Verdict.APPROVE, "dir", "again", day)


def june_start() -> dt.date:
    return dt.date(1936, 6, 1)


def june_end() -> dt.date:
    return dt.date(1936, 6, 30)


def test_revisions_never_reach_back_and_go_stale(engine: Engine, tmp_path: Path) -> None:
    load(engine, scenario(), tmp_path)
    policies.write(engine, "notice_days = 0\nmin_interval_days = 0\n", "hr", None)
    early = dt.date(1936, 3, 5)
    first = request(Basis.TECHNICAL, norm=D("6.3"), evidence="x", proposed_on=early)
    proposals.propose(engine, first)
    proposals.propose(engine, request(Basis.TECHNICAL, norm=D("6.4"), evidence="y"))
    revisions.decide(engine, 1, "rate-setter", Verdict.APPROVE, "rs", "ok", early)
    revisions.decide(engine, 1, "representatives", Verdict.APPROVE, "u", "ok", early)
    # Announced with no notice while later March shifts are already recorded: refused.
    with pytest.raises(revisions.DecisionRefused, match="never applies to recorded shifts"):
        revisions.decide(engine, 1, "director", Verdict.APPROVE, "d", "ok", early)
    april = dt.date(1936, 4, 1)
    done = revisions.decide(engine, 1, "director", Verdict.APPROVE, "d", "ok", april)
    assert done.effective_from == april
    for step in ("rate-setter", "representatives"):
        revisions.decide(engine, 2, step, Verdict.APPROVE, "x", "ok", april)
    with pytest.raises(revisions.DecisionRefused, match="newer version"):
        revisions.decide(engine, 2, "director", Verdict.APPROVE, "d", "ok", april)


def test_raises_are_capped_and_unchanged_proposals_refused(engine: Engine, tmp_path: Path) -> None:
    load(engine, scenario(), tmp_path)
    document = proposals.propose(engine, request(Basis.TECHNICAL, norm=D(9), evidence="x"))
    assert document["capped"] and document["proposed"]["norm"] == D("6.60")
    assert any("capped" in w for w in document["warnings"])
    same = proposals.propose(engine, request(Basis.TECHNICAL, norm=D(6), evidence="x"))
    assert same["revision_id"] is None and "nothing is recorded" in same["warnings"][-1]
    assert [r.revision_id for r in revisions.revisions(engine)] == [1]


def test_governance_tables_are_append_only(engine: Engine, tmp_path: Path) -> None:
    load(engine, scenario(), tmp_path)
    proposals.propose(engine, request(Basis.TECHNICAL, norm=D("6.3"), evidence="x"))
    revisions.decide(engine, 1, "rate-setter", Verdict.APPROVE, "rs", "ok", dt.date(1936, 4, 2))
    for table in ("norm_revisions", "revision_decisions"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(f"DELETE FROM {table}"))


def test_provenance_and_plans_import_all_or_nothing(engine: Engine, tmp_path: Path) -> None:
    load(engine, scenario(), tmp_path)
    folder = tmp_path / "more"
    write(
        folder,
        "provenance.csv",
        """
operation,effective_from,method,observations,pace_rating,allowances,evidence,approved_by
hewing,1936-01-01,time study,25,105,12,timed at face 3,rate-setter
hewing,1936-02-01,decree,,,,,
""",
    )
    write(
        folder,
        "plans.csv",
        """
unit,operation,period_start,period_end,target,unit_of_measure
Mine/Section 1,hewing,1936-03-01,1936-03-31,120,t
Mine/Nowhere,hewing,1936-03-01,1936-03-31,10,t
Mine/Section 1,hewing,1936-03-01,1936-03-31,5,m
""",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_batch(engine, read_source(folder, set(FORMATS)))
    messages = sorted(str(p) for p in rejected.value.problems)
    assert messages == [
        "plans.csv:3:unit: unknown unit 'Mine/Nowhere'",
        "plans.csv:4:period_end: duplicate of row 2 "
        "(Mine/Section 1, hewing, 1936-03-01, 1936-03-31)",
        "plans.csv:4:unit_of_measure: 'm' is not compatible with 't', the unit of the hewing norm",
        "provenance.csv:3:effective_from: no hewing norm takes effect on 1936-02-01",
    ]
    write(
        folder,
        "plans.csv",
        "unit,operation,period_start,period_end,target,unit_of_measure\n"
        "Mine/Section 1,hewing,1936-03-01,1936-03-31,120,t\n",
    )
    write(
        folder,
        "provenance.csv",
        "operation,effective_from,method,observations,pace_rating,"
        "allowances,evidence,approved_by\nhewing,1936-01-01,time study,25,105,12,timed,rs\n",
    )
    report = import_batch(engine, read_source(folder, set(FORMATS)))
    assert report.files["plans.csv"].added == 1 and report.files["provenance.csv"].added == 1
    again = import_batch(engine, read_source(folder, set(FORMATS)))
    assert not again.changed
    write(
        folder,
        "plans.csv",
        "unit,operation,period_start,period_end,target,unit_of_measure\n"
        "Mine/Section 1,hewing,1936-03-01,1936-03-31,130,t\n",
    )
    with pytest.raises(ImportRejected, match="problem"):
        import_batch(engine, read_source(folder, set(FORMATS)))
    corrected = import_batch(engine, read_source(folder, set(FORMATS)), correct=True)
    assert corrected.files["plans.csv"].corrected == 1


SCALE = """
name = "test-1936"
effective_from = "1936-01-01"
currency = "RUB"
basis = "shift"
percent = "auto"
[grades]
"5" = "1.00"
[[tiers]]
above = 100
multiplier = "1.5"
"""


def test_impact_pay_figures_by_hand(engine: Engine, tmp_path: Path) -> None:
    load(engine, scenario(), tmp_path)
    scale = tmp_path / "scale.toml"
    scale.write_text(SCALE)
    import_scales(engine, [scale], author="test")
    fast = proposals.propose(engine, request(percentile=D(75)), dry_run=True)
    document = proposals.propose(engine, request(percentile=D(75), pay_search=True), dry_run=True)
    assert document["proposed"]["norm"] == D("6.60")
    quick = {w["worker_id"]: w for w in fast["impact"]["workers"]}["A"]
    # Without the search: A's output on all shifts at the same percent of the revised norm.
    assert (quick["pay_old"], quick["pay_new"], quick["pay_output"]) == (
        "12.90",
        "11.45",
        D("12.6"),
    )
    assert (quick["pay_output_needed"], quick["pay_output_needed_by"]) == (
        D("13.86"),
        "same percent",
    )
    # E's only shift was prepared: no ordinary result, so no row; F's assisted 12 t counts.
    rows = {w["worker_id"]: w for w in fast["impact"]["workers"]}
    assert "E" not in rows and rows["F"]["pay_output_needed"] == D("13.2")
    a = {w["worker_id"]: w for w in document["impact"]["workers"]}["A"]
    # Old norm 6 t per 6 h at 1.00 an hour: 1.00 a tonne. S1 6 t = 6.00; S2 6.6 t = 6.60 plus
    # 0.6 t above 100% x 1.00 x (1.5 - 1) = 0.30: 12.90.
    assert a["pay_old"] == "12.90"
    # Revised 6.6 t: 1.00 x 6 / 6.6 = 0.909... a tonne; 12.6 t = 11.4545..., no tier: 11.45.
    assert (a["pay_new"], a["pay_change"]) == ("11.45", "-1.45")
    # Keeping the same standard hours needs 12.6 t x 1.1 = 13.86 t; under this scale that also
    # keeps the pay; the pay engine searches for the least such output, to the cent.
    assert a["output_same_percent"] == D("13.86")
    assert a["pay_output"] == D("12.6")
    assert D("13.85") <= a["pay_output_needed"] <= D("13.86")
    assert a["pay_output_needed_by"] == "search"


def test_without_a_pay_scale_the_proposal_says_pay_cannot_be_shown(
    engine: Engine, tmp_path: Path
) -> None:
    load(engine, scenario(), tmp_path)
    document = proposals.propose(engine, request(percentile=D(75)), dry_run=True)
    assert document["impact"]["pay_old"] is None and document["impact"]["pay_new"] is None
    assert any("no pay scale pays hewing" in w for w in document["warnings"])


def test_a_zero_percentile_or_target_is_refused_not_replaced_by_the_default(
    engine: Engine, tmp_path: Path
) -> None:
    load(engine, scenario(), tmp_path)
    with pytest.raises(proposals.ProposalRefused, match="percentile"):
        proposals.propose(engine, request(percentile=D(0)), dry_run=True)
    with pytest.raises(proposals.ProposalRefused, match="target"):
        proposals.propose(engine, request(target=D(0)), dry_run=True)
