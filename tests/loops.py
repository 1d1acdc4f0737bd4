"""Running a coroutine or a script's main from a test, whatever loop the test's process holds.

A browser test earlier in the same test process leaves Playwright's event loop running in the
main thread, and `asyncio.run` refuses to start another there: run it in a thread of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def in_own_thread(function: Callable[..., T], *args: Any) -> T:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args).result()


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    return in_own_thread(asyncio.run, coroutine)
