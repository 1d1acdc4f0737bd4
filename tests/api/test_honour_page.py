"""The honour board page prints the rules it ranks by, and ranks on one operation when asked;
every role that may see recognition gets it, the others are refused."""

from __future__ import annotations

import pytest

from stakhanov.domain.access import Permission
from stakhanov.services import accounts
from tests.api.conftest import USERS, Site
from tests.api.test_pages import add_shift, page_client

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def test_the_board_prints_its_rules_and_ranks_on_an_operation(site: Site) -> None:
    add_shift(site, "LUCKY", "1935-10-01", "6", "H1", "22.288")  # one shift at 278.6%
    for day in (2, 3, 4):
        add_shift(site, f"H2-{day}", f"1935-10-0{day}", "6", "H2", "9.6")  # 120%
    async with await page_client(site, "worker") as client:
        board = await client.get("/honour", params={"unit": "Mine", "period": "1935-10"})
        hewing = await client.get(
            "/honour", params={"unit": "Mine", "period": "1935-10", "operation": "hewing"}
        )
        turning = await client.get(
            "/honour", params={"unit": "Mine", "period": "1935-10", "operation": "turning"}
        )
        wall = await client.get("/honour", params={"unit": "Mine", "period": "1935-10", "wall": 1})
    assert board.status_code == 200
    assert "at least 3 shifts in the period" in board.text
    assert "hewer: hewing" in board.text
    assert "never averages their percentages" in board.text
    people = board.text[board.text.index('id="people-h"') : board.text.index('id="teams-h"')]
    assert "Hewer Two" in people and "Hewer One" not in people and "278.6" not in people
    assert "Workers of Mine, 1935-10: hewing" in hewing.text and "Hewer Two" in hewing.text
    assert "No one yet." in turning.text and "No brigade yet." in turning.text
    assert "at least 3 shifts" in wall.text and 'id="rules-h"' not in wall.text
    async with site.client("worker") as api:
        rows = (
            await api.get(
                "/api/honour",
                params={
                    "unit": "Mine",
                    "period": "1935-10",
                    "workers": "true",
                    "operation": "hewing",
                },
            )
        ).json()
    assert [(r["worker_id"], r["min_shifts"], r["operation"], r["trade"]) for r in rows] == [
        ("H2", 3, "hewing", "hewer")
    ]


async def test_every_role_gets_the_board_by_its_permission(site: Site) -> None:
    for username in USERS:
        account = accounts.account_named(site.engine, username)
        assert account is not None
        async with await page_client(site, username) as client:
            response = await client.get("/honour", params={"period": "1935-09"})
        allowed = account.scopes(Permission.VIEW_RECOGNITION) != []
        assert response.status_code == (200 if allowed else 403), username
