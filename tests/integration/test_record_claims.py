"""Staged records are caught and honest ones verified, through the command line, on both
databases. The fixture `staged` holds one shift of each kind:

S-HONEST  H1 alone, 14 t in 6 h (200%)                              honest
S-SHARED  H4 and H6 split 20 t by hours (142.9% each)               honest
S-LONE    H7 alone, 30 t in 6 h (428.6%, 5 t/h under the 10 t/h max) honest and high
S-POOL    H2 credited 30.0 t of 31.5, H3 0.0                         pooled
S-HELP    H1 24 t while T1 timbered and P1 assisted, not declared    undeclared helpers
S-FAST    H4 66 t in 6 h: 11 t/h over the 10 t/h maximum            implausible
S-PREP    H5 21 t on a prepared face                                 prepared
S-MISS    H7 18 t; the attempt declared T1 as timberer, not logged  declared help missing
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.commands import cli, ok

pytestmark = pytest.mark.storage
STAGED = Path(__file__).parent.parent / "fixtures" / "staged"
AUDITOR = "Trust Inspector"
MASTER_DATA = ("workers.csv", "norms.csv")


def import_part(db_url: str, tmp_path: Path, names: tuple[str, ...], folder: str) -> None:
    target = tmp_path / folder
    target.mkdir()
    for name in names:
        shutil.copy(STAGED / name, target / name)
    assert cli(db_url, "import", str(target))[0] == 0


def scenario(db_url: str, tmp_path: Path) -> dict[str, str]:
    """Register two attempts before the shift logs arrive, then claim the other results."""
    import_part(db_url, tmp_path, MASTER_DATA, "master")
    ids = {
        "S-HELP": ok(
            db_url, "records", "register", "--worker", "H1", "--operation", "hewing",
            "--date", "1935-09-05", "--witness", "shift engineer", "--by", "foreman",
        )["claim_id"],
        "S-MISS": ok(
            db_url, "records", "register", "--worker", "H7", "--operation", "hewing",
            "--date", "1935-09-10", "--helper", "T1:timbering", "--by", "foreman",
        )["claim_id"],
    }  # fmt: skip
    logs = tuple(p.name for p in STAGED.iterdir() if p.name not in MASTER_DATA)
    import_part(db_url, tmp_path, logs, "logs")
    for shift, worker in (
        ("S-HONEST", "H1"),
        ("S-SHARED", "H6"),
        ("S-LONE", "H7"),
        ("S-POOL", "H2"),
        ("S-FAST", "H4"),
        ("S-PREP", "H5"),
    ):
        ids[shift] = ok(db_url, "records", "claim", shift, "--worker", worker)["claim_id"]
    return ids


def verify(db_url: str, claim_id: str) -> tuple[int, str, str]:
    return cli(
        db_url, "records", "verify", claim_id, "--by", AUDITOR, "--evidence", "slips", "--json"
    )


def test_every_staged_record_is_caught_and_no_honest_one_blocked(
    db_url: str, tmp_path: Path
) -> None:
    ids = scenario(db_url, tmp_path)
    decided = {}
    for shift in ("S-HONEST", "S-SHARED", "S-LONE", "S-HELP", "S-PREP"):
        code, out, err = verify(db_url, ids[shift])
        assert code == 0, (shift, err)
        decided[shift] = json.loads(out)
    assert {s: d["status"] for s, d in decided.items()} == {
        "S-HONEST": "verified",
        "S-SHARED": "verified",
        "S-LONE": "verified",
        "S-HELP": "assisted",
        "S-PREP": "assisted",
    }
    assert (
        "not declared before the shift: P1 (assist), T1 (timbering)"
        in (decided["S-HELP"]["reason"])
    )
    for shift, blocker in (
        ("S-POOL", "open pooled finding"),
        ("S-FAST", "open implausible finding"),
        ("S-MISS", "declared crew missing from the ledger: T1 (timbering)"),
    ):
        code, _, err = verify(db_url, ids[shift])
        assert code == 1 and blocker in err and "nothing was written" in err, shift
    # Once an auditor upholds the findings, the staged claims are rejected, with the reason.
    for shift, kind in (("S-POOL", "pooled"), ("S-FAST", "implausible")):
        code, _, err = cli(
            db_url, "audit", "review", shift, "--kind", kind, "--operation", "hewing",
            "--decision", "upheld", "--reason", "weighbridge disagrees", "--by", AUDITOR,
        )  # fmt: skip
        assert code == 0, err
        code, out, _ = verify(db_url, ids[shift])
        assert code == 0 and json.loads(out)["status"] == "rejected"
        assert json.loads(out)["reason"].startswith(f"{kind} finding upheld")
    claims = {c["claim_id"]: c for c in ok(db_url, "records", "claims")}
    assert claims[ids["S-HELP"]]["pre_registered"] is True
    assert claims[ids["S-HONEST"]]["pre_registered"] is False
    assert claims[ids["S-MISS"]]["status"] == "claimed"
    assert claims[ids["S-MISS"]]["blockers"]


def test_records_hold_the_best_verified_result_and_assisted_ones_apart(
    db_url: str, tmp_path: Path
) -> None:
    ids = scenario(db_url, tmp_path)
    for shift in ("S-HONEST", "S-SHARED", "S-LONE", "S-HELP", "S-PREP"):
        assert verify(db_url, ids[shift])[0] == 0
    rows = ok(db_url, "records", "--scope", "all-time", "--measure", "percent")
    assert all(
        set(row) >= {
            "scope", "scope_id", "operation", "worker_id", "shift_id", "date", "output", "unit",
            "percent", "fair_percent", "status",
        }
        for row in rows
    )  # fmt: skip
    best = {row["status"]: row for row in rows}
    assert set(best) == {"verified", "assisted"}
    verified, assisted = best["verified"], best["assisted"]
    assert (verified["worker_id"], verified["shift_id"]) == ("H7", "S-LONE")
    assert (verified["percent"], verified["fair_percent"]) == ("428.6", "428.6")
    # Fair 300% on the prepared face beats the 114.3% fair of the helped 342.9% shift.
    assert (assisted["shift_id"], assisted["percent"], assisted["fair_percent"]) == (
        "S-PREP",
        "300.0",
        "300.0",
    )
    brigade = ok(db_url, "records", "--scope", "brigade", "--measure", "output")
    by_unit = {(r["scope_id"], r["status"]): r for r in brigade}
    helped = by_unit[("Mine/Section 1/Brigade 1", "assisted")]
    # 24 t by a crew of three
    assert (Decimal(helped["output"]), Decimal(helped["fair_value"])) == (24, 8)
    assert by_unit[("Mine/Section 1/Brigade 1", "verified")]["shift_id"] == "S-HONEST"
    assert {r["worker_id"] for r in ok(db_url, "records", "--scope", "worker")} == {
        "H1",
        "H5",
        "H6",
        "H7",
    }
    historical = ok(db_url, "records", "--scope", "historical")
    assert len(historical) == 23 and {r["status"] for r in historical} == {"historical"}
    assert {"source", "person"} <= set(historical[0])


def test_the_auditor_must_be_an_outsider(db_url: str, tmp_path: Path) -> None:
    ids = scenario(db_url, tmp_path)
    for insider in ("T1", "Party Organiser"):
        code, _, err = cli(
            db_url, "records", "verify", ids["S-HELP"], "--by", insider, "--evidence", "x"
        )
        assert code == 1 and "is in the crew" in err
        code, _, err = cli(db_url, "records", "reject", ids["S-HELP"], "--by", insider,
                           "--reason", "x")  # fmt: skip
        assert code == 1 and "is in the crew" in err


def test_a_correction_reopens_a_decision_and_an_award_follows_a_record(
    db_url: str, tmp_path: Path
) -> None:
    ids = scenario(db_url, tmp_path)
    code, out, _ = verify(db_url, ids["S-HONEST"])
    award = json.loads(out)["award"]
    assert award["code"] == "record" and award["amount"] == "500.00" and award["currency"] == "RUB"
    bonuses = ok(db_url, "awards", "bonuses", "--period", "1935-09")
    assert bonuses == [
        {
            "worker_id": "H1",
            "date": "1935-09-02",
            "code": "award:record",
            "amount": "500.00",
            "currency": "RUB",
            "explain": bonuses[0]["explain"],
            "reference": f"award {award['award_id']}",
        }
    ]
    assert verify(db_url, ids["S-HONEST"])[0] == 1  # already decided
    folder = tmp_path / "fix"
    folder.mkdir()
    (folder / "output.csv").write_text(
        "shift_id,operation,quantity,unit,rejected\nS-HONEST,hewing,13,t,\n"
    )
    (folder / "crew.csv").write_text(
        "shift_id,worker_id,operation,hours,credited,coefficient\nS-HONEST,H1,hewing,6,13,\n"
    )
    assert cli(db_url, "import", str(folder), "--correct", "--reason", "reweighed")[0] == 0
    claims = {c["claim_id"]: c for c in ok(db_url, "records", "claims")}
    assert (claims[ids["S-HONEST"]]["status"], claims[ids["S-HONEST"]]["lapsed"]) == (
        "claimed",
        True,
    )
    assert all(r["shift_id"] != "S-HONEST" for r in ok(db_url, "records", "--scope", "worker"))
    # While the claim is reopened its award is withheld: listed, not paid.
    assert ok(db_url, "awards", "bonuses", "--period", "1935-09") == []
    (held,) = ok(db_url, "awards", "--period", "1935-09")
    assert held["withheld"] == f"claim {ids['S-HONEST']} is reopened by a correction"
    code, out, _ = verify(db_url, ids["S-HONEST"])
    assert code == 0 and json.loads(out)["status"] == "verified"
    assert json.loads(out)["award"] is None  # decided again: the award it earned, not a second
    assert ok(db_url, "awards", "bonuses", "--period", "1935-09") == bonuses
    # A helper found afterwards: decided again, it is an assisted record and earns no award.
    (folder / "output.csv").unlink()
    (folder / "crew.csv").write_text(
        "shift_id,worker_id,operation,hours,credited,coefficient\n"
        "S-HONEST,H1,hewing,6,13,\nS-HONEST,P1,assist,6,0,\n"
    )
    assert cli(db_url, "import", str(folder), "--correct", "--reason", "helper found")[0] == 0
    code, out, _ = verify(db_url, ids["S-HONEST"])
    assert code == 0 and json.loads(out)["status"] == "assisted"
    assert ok(db_url, "awards", "bonuses", "--period", "1935-09") == []
    assert ok(db_url, "awards", "--period", "1935-09") == []  # cancelled, with its reason


def test_claims_are_checked(db_url: str, tmp_path: Path) -> None:
    ids = scenario(db_url, tmp_path)
    code, _, err = cli(db_url, "records", "claim", "S-HELP", "--worker", "H1")
    assert code == 1 and f"already claim {ids['S-HELP']}" in err
    code, _, err = cli(db_url, "records", "claim", "S-HELP", "--worker", "T1")
    assert code == 1 and "T1 has no measured result in S-HELP" in err
    code, _, err = cli(
        db_url, "records", "register", "--worker", "NOBODY", "--operation", "sawing",
        "--date", "1935-09-20",
    )  # fmt: skip
    assert code == 1
    assert "no norm for 'sawing' on 1935-09-20" in err and "unknown worker 'NOBODY'" in err
    assert cli(db_url, "records", "register", "--worker", "H1", "--operation", "hewing",
               "--date", "1935-13-01")[0] == 2  # fmt: skip
    code, out, _ = cli(db_url, "records", "check", ids["S-POOL"], "--auditor", "H3", "--json")
    checked = json.loads(out)
    assert code == 0 and checked["outcome_if_verified"] is None
    assert any("is in the crew" in b for b in checked["blockers"])


def test_a_tree_with_trusts_keeps_records_at_every_level(db_url: str, tmp_path: Path) -> None:
    """Home units four deep are trust, enterprise, section and brigade; faces lie below."""
    folder = tmp_path / "trusts"
    folder.mkdir()
    homes = {
        "A": "Donbass/Irmino/Section 1/Brigade 1",
        "B": "Donbass/Irmino/Section 2/Brigade 1",
        "C": "Donbass/Gorlovka/Section 1/Brigade 1",
        "D": "Kuzbass/Prokop/Section 1/Brigade 1",
    }
    tonnes = {"A": 14, "B": 15, "C": 16, "D": 17}  # 200%, 214.3%, 228.6%, 242.9%
    files = {
        "workers.csv": ["worker_id,name,unit,trade,grade"]
        + [f"{w},Worker {w},{home},hewer,5" for w, home in homes.items()],
        "norms.csv": [
            "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,method,source",
            "hewing,t,output,7,6,,10,1935-01-01,decree,test",
        ],
        "shifts.csv": ["shift_id,date,hours,workplace,conditions,note"]
        + [f"S{w},1935-10-01,6,{home}/Face 1,standard," for w, home in homes.items()],
        "output.csv": ["shift_id,operation,quantity,unit,rejected"]
        + [f"S{w},hewing,{t},t," for w, t in tonnes.items()],
        "crew.csv": ["shift_id,worker_id,operation,hours,credited,coefficient"]
        + [f"S{w},{w},hewing,6,," for w in homes],
    }
    for name, lines in files.items():
        (folder / name).write_text("\n".join(lines) + "\n")
    assert cli(db_url, "import", str(folder))[0] == 0
    for worker in homes:
        claim_id = ok(db_url, "records", "claim", f"S{worker}", "--worker", worker)["claim_id"]
        assert verify(db_url, claim_id)[0] == 0

    def best(scope: str) -> dict[str, str]:
        rows = ok(db_url, "records", "--scope", scope, "--measure", "percent")
        return {r["scope_id"]: r["worker_id"] for r in rows}

    assert best("trust") == {"Donbass": "C", "Kuzbass": "D"}
    assert best("enterprise") == {"Donbass/Irmino": "B", "Donbass/Gorlovka": "C",
                                  "Kuzbass/Prokop": "D"}  # fmt: skip
    assert best("section")["Donbass/Irmino/Section 1"] == "A"
    assert best("brigade") == {home: w for w, home in homes.items()}
    assert best("workplace") == {f"{home}/Face 1": w for w, home in homes.items()}
    assert best("all-time") == {None: "D"}  # type: ignore[dict-item]


def test_crew_and_helpers_may_be_given_as_comma_lists(db_url: str, tmp_path: Path) -> None:
    import_part(db_url, tmp_path, MASTER_DATA, "master")
    claim = ok(db_url, "records", "register", "--worker", "H1", "--operation", "hewing",
               "--date", "1935-10-01", "--crew", "H2,H3",
               "--helper", "T1:timbering,P1")  # fmt: skip
    assert claim["crew"] == [
        {"worker_id": "H2", "operation": "hewing"},
        {"worker_id": "H3", "operation": "hewing"},
        {"worker_id": "T1", "operation": "timbering"},
        {"worker_id": "P1", "operation": "assist"},
    ]


def test_an_attempt_that_found_two_shifts_may_be_registered_again_naming_one(
    db_url: str, tmp_path: Path
) -> None:
    import_part(db_url, tmp_path, MASTER_DATA, "master")
    first = ok(db_url, "records", "register", "--worker", "H1", "--operation", "hewing",
               "--date", "1935-10-01")["claim_id"]  # fmt: skip
    logs = tmp_path / "two"
    logs.mkdir()
    (logs / "shifts.csv").write_text(
        "shift_id,date,hours,workplace,conditions,note\n"
        "D-1,1935-10-01,6,Mine/Section 1/Brigade 1,standard,\n"
        "D-2,1935-10-01,6,Mine/Section 1/Brigade 2,standard,\n"
    )
    (logs / "output.csv").write_text(
        "shift_id,operation,quantity,unit,rejected\nD-1,hewing,7,t,\nD-2,hewing,14,t,\n"
    )
    (logs / "crew.csv").write_text(
        "shift_id,worker_id,operation,hours,credited,coefficient\n"
        "D-1,H1,hewing,6,,\nD-2,H1,hewing,6,,\n"
    )
    assert cli(db_url, "import", str(logs))[0] == 0
    code, _, err = verify(db_url, first)
    assert code == 1 and "several shifts (D-1, D-2); name one with --shift" in err
    named = ok(db_url, "records", "register", "--worker", "H1", "--operation", "hewing",
               "--date", "1935-10-01", "--shift", "D-2")["claim_id"]  # fmt: skip
    code, out, _ = verify(db_url, named)
    assert code == 0 and json.loads(out)["status"] == "verified"
    assert ok(db_url, "records", "claim", "D-1", "--worker", "H1")["shift_id"] == "D-1"
    code, _, err = cli(db_url, "records", "claim", "D-2", "--worker", "H1")
    assert code == 1 and f"is already claim {named}" in err


def test_a_result_off_the_workers_trade_is_a_personal_best_only(
    db_url: str, tmp_path: Path
) -> None:
    """With hewers declared to be judged on timbering alone, a hewer's verified hewing shift
    stands as his personal best and holds no brigade, workplace or all-time record (0860)."""
    ids = scenario(db_url, tmp_path)
    assert verify(db_url, ids["S-HONEST"])[0] == 0
    shared = {"brigade", "workplace", "section", "all-time"}

    def holders() -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for row in ok(db_url, "records"):
            if row["shift_id"] == "S-HONEST":
                found.setdefault(row["scope"], set()).add(row["worker_id"])
        return found

    before = holders()
    assert before["worker"] == {"H1"} and shared <= set(before)
    rules = tmp_path / "trades.toml"
    rules.write_text(
        """name = "trades"
version = 2
[honour.trades]
hewer = ["timbering"]
[[titles]]
code = "shock-worker"
name = "Shock worker"
when = "fair_percent >= 125"
valid_months = 6
""",
        encoding="utf-8",
    )
    assert cli(db_url, "rulebook", "import", str(rules))[0] == 0
    after = holders()
    assert after == {"worker": {"H1"}}
