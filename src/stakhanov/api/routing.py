"""Every API route answers with numbers by the one policy the command line also follows.

Response models write their Decimals through `models.Number`; a route that returns plain dicts
and lists would otherwise leave them to pydantic, which writes `str(Decimal)` (`1E+2`) and
cannot write a Fraction. The route class turns those numbers first, in this one place.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute

from stakhanov.domain.numbers import jsonable


def by_policy(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """The endpoint, answering dicts and lists with their numbers in JSON form."""
    if getattr(endpoint, "by_policy", False):
        return endpoint
    if inspect.iscoroutinefunction(endpoint):

        @functools.wraps(endpoint)
        async def answered(*args: Any, **kwargs: Any) -> Any:
            return jsonable(await endpoint(*args, **kwargs))

    else:

        @functools.wraps(endpoint)
        def answered(*args: Any, **kwargs: Any) -> Any:
            return jsonable(endpoint(*args, **kwargs))

    answered.by_policy = True  # type: ignore[attr-defined]
    return answered


class PolicyRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, by_policy(endpoint), **kwargs)
