"""A shift's clock times through the API: entered with the form, returned with the shift."""

from __future__ import annotations

import pytest

from tests.api.conftest import Site
from tests.api.test_writes import SHIFT

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


async def test_a_night_shift_keeps_its_clock_times(site: Site) -> None:
    night = {**SHIFT, "shift_id": "F9", "start_time": "22:00", "end_time": "4:00"}
    async with site.client("foreman") as client:
        response = await client.post("/api/shifts", json=night)
        too_long = await client.post(
            "/api/shifts", json={**night, "shift_id": "F10", "end_time": "03:00"}
        )
        shifts = (
            await client.get("/api/shifts", params={"period": "1935-09-05..1935-09-05"})
        ).json()
    assert response.status_code == 201, response.text
    (found,) = [s for s in shifts if s["shift_id"] == "F9"]
    assert (found["start_time"], found["end_time"]) == ("22:00", "04:00")
    assert too_long.status_code == 422
    assert "is more than the 300 minutes" in " ".join(too_long.json()["problems"])
