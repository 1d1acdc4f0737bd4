"""Lists are paged on request: pages partition the whole list, and no page size means all."""

from __future__ import annotations

import pytest

from tests.api.conftest import Site

pytestmark = [pytest.mark.anyio, pytest.mark.storage]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/fulfilment", {"by": "shift"}),
        # Pages of one month by unit are read from the unit sums; the whole list is rolled up.
        ("/api/fulfilment", {"by": "unit", "period": "1935-08"}),
        ("/api/fulfilment", {"by": "unit", "period": "1935-08", "unit": "Mine/Section 1"}),
        # And by worker from the worker month sums (decision 0900).
        ("/api/fulfilment", {"by": "worker", "period": "1935-08"}),
        ("/api/fulfilment", {"by": "worker", "period": "1935-08", "unit": "Mine/Section 1"}),
        ("/api/shifts", {}),
        ("/api/audit", {}),
    ],
)
async def test_pages_partition_the_list(site: Site, path: str, params: dict[str, str]) -> None:
    async with site.client("director") as director:
        whole = (await director.get(path, params=params)).json()
        assert len(whole) >= 3, whole
        pages = []
        for page in range(1, len(whole) + 2):
            answer = await director.get(path, params={**params, "page": page, "page_size": 2})
            assert answer.status_code == 200, answer.text
            pages.append(answer.json())
        assert [row for chunk in pages for row in chunk] == whole
        assert all(len(chunk) <= 2 for chunk in pages) and pages[-1] == []
        refused = await director.get(path, params={**params, "page": 0})
        assert refused.status_code == 422
