"""Long lists on the pages: searched, sorted and paged on the server, and shown by one set of
macros (templates/lists.html): a search box, headings that sort, and the pages.

A list is asked for by its query (`q`, `sort`, `order`, `page`, each with the list's prefix
where a page has several); the other parameters of the page are kept in every link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Request

T = TypeVar("T")
PER_PAGE = 50
LONGEST_SEARCH = 100


@dataclass(frozen=True)
class Listing:
    """What the reader asked of one list: words to search, a column to sort by, a page."""

    path: str
    params: tuple[tuple[str, str], ...]
    sorts: tuple[str, ...]
    q: str = ""
    sort: str = ""
    descending: bool = False
    page: int = 1
    per_page: int = PER_PAGE
    prefix: str = ""
    anchor: str = ""

    def name(self, key: str) -> str:
        return self.prefix + key

    def kept(self, *dropped: str) -> list[tuple[str, str]]:
        """The page's parameters, less the named ones of this list."""
        names = {self.name(d) for d in dropped}
        return [(k, v) for k, v in self.params if k not in names and v]

    def link(self, **changes: Any) -> str:
        params = self.kept(*changes)
        params += [(self.name(k), str(v)) for k, v in changes.items() if v not in ("", None)]
        query = urlencode(params)
        return (
            self.path + (f"?{query}" if query else "") + (f"#{self.anchor}" if self.anchor else "")
        )

    def sort_link(self, key: str) -> str:
        """Sort by the column; a second click on the sorted one turns the order round."""
        again = key == self.sort and not self.descending
        return self.link(sort=key, order="desc" if again else "", page="")

    def aria_sort(self, key: str) -> str:
        if key != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"


@dataclass
class Paged(Generic[T]):
    """One page of a list, with how many rows the whole list has after the search."""

    rows: list[T]
    total: int
    listing: Listing
    exact: bool = True  # False: `total` only says whether another page follows

    @property
    def page(self) -> int:
        return min(self.listing.page, self.pages)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.listing.per_page))

    @property
    def first(self) -> int:
        """The number of the page's first row (1-based; 0 when the list is empty)."""
        return 0 if self.total == 0 else (self.page - 1) * self.listing.per_page + 1

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def listing(
    request: Request,
    sorts: Sequence[str],
    *,
    per_page: int = PER_PAGE,
    prefix: str = "",
    anchor: str = "",
) -> Listing:
    """The list's query from the request; an unknown sort is no sort, a bad page the first."""
    query = request.query_params
    sort = query.get(prefix + "sort", "")
    try:
        page = max(1, int(query.get(prefix + "page", "1")))
    except ValueError:
        page = 1
    return Listing(
        path=request.url.path,
        params=tuple(query.multi_items()),
        sorts=tuple(sorts),
        q=query.get(prefix + "q", "").strip()[:LONGEST_SEARCH],
        sort=sort if sort in sorts else "",  # none asked: the order the service gives
        descending=query.get(prefix + "order") == "desc",
        page=page,
        per_page=per_page,
        prefix=prefix,
        anchor=anchor,
    )


def _ordered(value: Any) -> tuple[bool, Any]:
    """None sorts last whichever the order, and never compares with a value."""
    return (value is None, value if value is not None else 0)


def paged(
    items: Iterable[T],
    chosen: Listing,
    keys: Mapping[str, Callable[[T], Any]],
    text: Callable[[T], str],
) -> Paged[T]:
    """Search, sort and cut a list the service has already narrowed to the reader's scope."""
    words = chosen.q.casefold().split()
    found = [i for i in items if all(w in text(i).casefold() for w in words)]
    key = keys.get(chosen.sort)
    if key is not None:
        present = [i for i in found if key(i) is not None]
        absent = [i for i in found if key(i) is None]
        present.sort(key=lambda i: _ordered(key(i)), reverse=chosen.descending)
        found = present + absent
    total = len(found)
    pages = max(1, -(-total // chosen.per_page))
    start = (min(chosen.page, pages) - 1) * chosen.per_page
    return Paged(found[start : start + chosen.per_page], total, chosen)


def window(rows: list[T], chosen: Listing) -> Paged[T]:
    """A page read with one row more than it shows (`limit=per_page + 1`): the extra row says
    that another page follows, without counting the whole list."""
    start = (chosen.page - 1) * chosen.per_page
    return Paged(rows[: chosen.per_page], start + len(rows), chosen, exact=False)
