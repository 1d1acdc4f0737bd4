"""The ticket pages: the foreman prints for his brigade, the phone's sync needs the CSRF header."""

from __future__ import annotations

import re

import pytest

from stakhanov.api.security import COOKIE
from stakhanov.domain.tickets import decode
from stakhanov.i18n import COOKIE as LANGUAGE_COOKIE
from tests.api.conftest import BRIGADE, Site, without_noise

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def test_the_foreman_prints_tickets_and_a_phone_credits_one(site: Site) -> None:
    login = (await site.login("foreman")).json()
    async with site.client() as client:
        client.cookies.set(COOKIE, login["token"])
        form = {
            "csrf_token": login["csrf_token"],
            "workplace": BRIGADE,
            "operation": "hewing",
            "quantity": "2",
            "unit": "t",
            "order_id": "Face 7",
            "count": "2",
        }
        made = await client.post("/tickets", data=form)
        assert made.status_code == 303
        sheet = await client.get(made.headers["location"])
        payloads = [
            p.replace("&amp;", "&") for p in re.findall(r'data-payload="([^"]+)"', sheet.text)
        ]
        assert len(payloads) == 2 and sheet.text.count("<svg") == 2
        first = decode(payloads[0])
        pdf = await client.get(made.headers["location"].replace("/sheet?", "/sheet.pdf?"))
        assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
        png = await client.get(f"/tickets/{first.ticket_id}.png")
        assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
        badges = await client.get("/tickets/badges", params={"unit": BRIGADE})
        assert "stk1:worker?id=H1" in badges.text and "H3" not in without_noise(badges.text)
        outside = await client.get("/tickets/badges", params={"unit": "Mine/Section 1/Brigade 2"})
        assert outside.status_code == 403

        entry = {
            "client_id": "c-1",
            "worker_id": "H1",
            "ticket": payloads[0],
            "hours": "2",
            "date": "1935-10-02",
        }
        forged = await client.post("/scan/sync", json={"entries": [entry]})
        assert forged.status_code == 403
        headers = {"X-CSRF-Token": login["csrf_token"]}
        sent = await client.post("/scan/sync", json={"entries": [entry]}, headers=headers)
        again = await client.post("/scan/sync", json={"entries": [entry]}, headers=headers)
        assert [o["status"] for o in sent.json()["outcomes"]] == ["recorded"]
        assert [o["status"] for o in again.json()["outcomes"]] == ["replayed"]
        shifts = await client.get("/shifts", params={"period": "1935-10"})
        assert shifts.text.count(first.ticket_id) >= 1
        scan = await client.get("/scan")
        assert 'capture="environment"' in scan.text and "<script>" not in scan.text
        worker = await client.get("/offline-sw.js")
        assert "caches" in worker.text and worker.headers["content-type"].startswith(
            "text/javascript"
        )


async def test_who_may_print(site: Site) -> None:
    for username, status in (
        ("worker", 403),
        ("accountant", 403),
        ("director", 403),
        ("foreman", 200),
    ):
        login = (await site.login(username)).json()
        async with site.client() as client:
            client.cookies.set(COOKIE, login["token"])
            assert (await client.get("/tickets")).status_code == status, username
            assert (await client.get("/scan")).status_code == status, username


@pytest.mark.parametrize(
    ("language", "pin", "badge"),
    [
        (
            "ru",
            "сделано без сети и без токена: введите PIN-код",
            "'nothing' — не талон и не пропуск работника",
        ),
        (
            "es",
            "hecho sin red y sin token: introduzca el PIN",
            "'nothing' no es ni un vale ni una credencial de trabajador",
        ),
    ],
)
async def test_a_sync_says_its_outcomes_in_the_kiosk_s_language(
    site: Site, language: str, pin: str, badge: str
) -> None:
    """The kiosk and the phone show `said` (their language, by the cookie); `message` and
    `errors` stay the English of the contract."""
    login = (await site.login("foreman")).json()
    async with site.client() as client:
        client.cookies.set(COOKIE, login["token"])
        client.cookies.set(LANGUAGE_COOKIE, language)
        headers = {"X-CSRF-Token": login["csrf_token"]}
        line = {"worker_id": "H1", "shift_id": "S1", "operation": "hewing", "hours": "2"}
        kiosk = await client.post(
            "/kiosk/sync", json={"entries": [{"client_id": "k-1", **line}]}, headers=headers
        )
        scanned = {"worker_id": "H1", "ticket": "stk1:nothing", "hours": "2", "date": "1935-10-02"}
        scan = await client.post(
            "/scan/sync", json={"entries": [{"client_id": "s-1", **scanned}]}, headers=headers
        )
        expired = await client.post("/scan/sync", json={"entries": []})
    [needs] = kiosk.json()["outcomes"]
    english = "made without a network and without a token: enter the PIN"
    assert (needs["status"], needs["message"], needs["errors"]) == (
        "needs_pin",
        english,
        {"pin": english},
    )
    assert (needs["said"], needs["said_errors"]) == (pin, {"pin": pin})
    [refused] = scan.json()["outcomes"]
    assert refused["status"] == "refused"
    assert refused["errors"] == {"ticket": "'nothing' is neither a ticket nor a worker badge"}
    assert (refused["said"], refused["said_errors"]) == (badge, {"ticket": badge})
    assert expired.status_code == 403
    assert expired.json()["error"] == "reload the page: its form has expired"
    assert expired.json()["said"] != expired.json()["error"]
