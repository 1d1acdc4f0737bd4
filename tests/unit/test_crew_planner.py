from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from stakhanov.sim.crew_file import CrewMember, CrewRejected, read_crew
from stakhanov.sim.planner import explain, plan_crew
from stakhanov.sim.workplace import Operation, Workplace

OPS = ("cut", "prop", "haul")
LEVELS = {"low": Decimal(2), "mid": Decimal("3.5"), "high": Decimal(5)}


@st.composite
def instances(draw: st.DrawFn) -> tuple[Workplace, list[CrewMember]]:
    operations = tuple(
        Operation(
            name,
            rates={lvl: LEVELS[lvl] * (i + 1) / 2 for lvl in LEVELS},
            certification=draw(st.sampled_from([None, "drill"])),
            at_face=draw(st.booleans()),
            min_crew=draw(st.integers(0, 2)),
            max_crew=draw(st.sampled_from([None, 1, 2])),
            pay=Decimal(draw(st.sampled_from([1, 2]))),
        )
        for i, name in enumerate(OPS)
    )
    workplace = Workplace(
        "random",
        "t",
        Decimal(1),
        Decimal(8),
        operations,
        min_at_face=draw(st.integers(0, 2)),
        max_consecutive=draw(st.sampled_from([None, 1, 2])),
    )
    crew = []
    for n in range(draw(st.integers(2, 5))):
        skills = draw(st.dictionaries(st.sampled_from(OPS), st.sampled_from(list(LEVELS))))
        crew.append(
            CrewMember(
                f"W{n}",
                f"W{n}",
                skills,
                frozenset(draw(st.sets(st.sampled_from(["drill"])))),
                Decimal(draw(st.sampled_from([4, 8, 10]))),
                tuple(draw(st.lists(st.sampled_from(OPS), max_size=3))),
            )
        )
    return workplace, crew


def allowed(workplace: Workplace, w: CrewMember, op: Operation) -> bool:
    """The rules written out again, plainly, for the exhaustive search."""
    low = {
        o.name for o in workplace.operations if o.pay == min(x.pay for x in workplace.operations)
    }
    if len({o.pay for o in workplace.operations}) < 2:
        low = set()
    k = workplace.max_consecutive
    return (
        op.name in w.skills
        and (op.certification is None or op.certification in w.certifications)
        and w.hours >= workplace.shift_hours
        and not (k and len(w.recent) >= k and set(w.recent[:k]) == {op.name})
        and not (op.name in low and w.recent and set(w.recent) <= low)
    )


def exhaustive(workplace: Workplace, crew: list[CrewMember]) -> tuple[Decimal, Decimal] | None:
    best = None
    choices = [None, *workplace.operations]
    for assignment in itertools.product(choices, repeat=len(crew)):
        pairs = [(w, op) for w, op in zip(crew, assignment, strict=True) if op is not None]
        if not all(allowed(workplace, w, op) for w, op in pairs):
            continue
        counts = {op.name: sum(1 for _, o in pairs if o is op) for op in workplace.operations}
        if any(counts[op.name] < max(1, op.min_crew) for op in workplace.operations):
            continue
        if any(
            op.max_crew is not None and counts[op.name] > op.max_crew for op in workplace.operations
        ):
            continue
        at_face = sum(1 for _, op in pairs if op.at_face)
        if at_face and at_face < workplace.min_at_face:
            continue
        rates = {
            op.name: sum((op.rates[w.skills[op.name]] for w, o in pairs if o is op), Decimal(0))
            for op in workplace.operations
        }
        value = (min(rates.values()), sum(rates.values(), Decimal(0)))
        best = value if best is None or value > best else best
    return best


@settings(max_examples=40, deadline=None)
@given(instances())
def test_the_plan_is_as_good_as_an_exhaustive_search(
    instance: tuple[Workplace, list[CrewMember]],
) -> None:
    workplace, crew = instance
    plan = plan_crew(workplace, crew, time_limit=5)
    best = exhaustive(workplace, crew)
    if best is None:
        assert plan.status == "infeasible"
        return
    assert plan.status == "optimal"
    assert (plan.rate, plan.spare_rate) == best
    assert plan.expected_output == best[0] * workplace.working_hours


IRMINO_CREW = """worker_id,name,skills,certifications,hours,recent
A,Hewer A,hewing:master;loading:good,drill,6,hewing
B,Hewer B,hewing:good;timbering:good,drill,6,
C,Loader C,loading:good;haulage:good,,6,timbering
D,Haulier D,haulage:ordinary;timbering:ordinary,,6,loading
E,Part-timer,loading:master,,4,
"""


def irmino() -> Workplace:
    from tests.unit.test_site_simulation import IRMINO

    return IRMINO


def test_the_explanation_names_the_bottleneck_and_why_a_worker_is_left_out() -> None:
    workplace = irmino()
    crew = read_crew(IRMINO_CREW, workplace)
    plan = plan_crew(workplace, crew)
    report = explain(workplace, crew, plan)
    assert report["status"] == "optimal"
    rates = {o["operation"]: o["rate"] for o in report["operations"]}
    assert report["bottleneck"] == min(rates, key=lambda k: rates[k])
    assert report["rate"] == min(rates.values())
    left_out = next(w for w in report["workers"] if w["worker_id"] == "E")
    assert left_out["role"] is None
    assert "available 4 h of the 6 h shift" in left_out["why"]
    # Safety: at least two at the face whenever anyone is.
    at_face = [w for w, r in plan.roles.items() if workplace.operation(r).at_face]
    assert len(at_face) >= workplace.min_at_face


def test_a_bad_crew_file_is_refused_with_located_problems() -> None:
    text = "worker_id,name,skills,certifications,hours,recent\nA,,hewing:genius,,25,walking\n"
    try:
        read_crew(text, irmino(), "crew.csv")
    except CrewRejected as err:
        shown = [str(p) for p in err.problems]
    else:
        raise AssertionError("refused")
    assert any(s.startswith("crew.csv:2:skills: hewing: unknown skill 'genius'") for s in shown)
    assert any(s.startswith("crew.csv:2:hours:") for s in shown)
    assert any(s.startswith("crew.csv:2:recent:") for s in shown)


def test_a_large_crew_returns_the_best_plan_found_in_the_time_limit() -> None:
    workplace = irmino()
    lines = ["worker_id,name,skills,certifications,hours,recent"]
    levels = ["ordinary", "good", "master"]
    for n in range(60):
        skills = ";".join(f"{op}:{levels[(n + i) % 3]}" for i, op in enumerate(workplace.names))
        lines.append(f"W{n},W{n},{skills},{'drill' if n % 2 else ''},6,")
    crew = read_crew("\n".join(lines), workplace)
    plan = plan_crew(workplace, crew, time_limit=0.5)
    assert plan.status in ("optimal", "feasible")
    assert plan.rate > 0
    if plan.status == "feasible":
        assert plan.bound is not None and plan.bound >= plan.rate
