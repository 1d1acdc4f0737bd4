"""`stakhanov tickets`: the tickets a script prints are the ones the scanning page accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from stakhanov.domain.tickets import Ticket, decode
from stakhanov.services import tickets
from tests.commands import cli, ok
from tests.integration.helpers import MINI

pytestmark = pytest.mark.storage
BRIGADE = "Mine/Section 1/Brigade 1"


def test_print_lists_the_tickets_writes_the_sheet_and_they_scan(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    assert cli(db_url, "import", str(MINI))[0] == 0
    sheet = tmp_path / "tickets.pdf"
    printed = ok(
        db_url, "tickets", "print", "--workplace", BRIGADE, "--operation", "hewing",
        "--quantity", "2.5", "--unit", "t", "--order", "Face 9", "--count", "3",
        "--pdf", str(sheet),
    )  # fmt: skip
    assert sheet.read_bytes().startswith(b"%PDF-")
    assert [sorted(t) for t in printed] == [
        ["operation", "order_id", "payload", "quantity", "ticket_id", "unit", "workplace"]
    ] * 3
    assert len({t["ticket_id"] for t in printed}) == 3
    ticket = decode(printed[0]["payload"])
    assert isinstance(ticket, Ticket) and ticket.ticket_id == printed[0]["ticket_id"]
    assert printed[0]["quantity"] == "2.5"
    entry = {
        "client_id": "c-1", "worker_id": "H1", "ticket": printed[0]["payload"], "hours": "2",
        "date": "1935-10-07",
    }  # fmt: skip
    [outcome] = tickets.sync(engine, lambda _p, _u: True, "operator", [entry])
    assert outcome.status == "recorded"
    badges = ok(db_url, "tickets", "badges", "--unit", BRIGADE)
    assert [b["payload"] for b in badges][:2] == ["stk1:worker?id=H1", "stk1:worker?id=H2"]


def test_a_refused_print_writes_nothing_and_says_why(db_url: str) -> None:
    assert cli(db_url, "import", str(MINI))[0] == 0
    code, _, err = cli(
        db_url, "tickets", "print", "--workplace", "Mine/Nowhere", "--operation", "hewing",
        "--quantity", "1", "--unit", "t", "--order", "X",
    )  # fmt: skip
    assert code == 1 and "'Mine/Nowhere' is not a unit here" in err
