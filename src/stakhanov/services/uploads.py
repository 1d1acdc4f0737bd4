"""Reading uploaded files in a child process, with limits on rows, memory and time.

The server must keep answering while a hostile upload is read: a thread would still share the
interpreter's lock and could not be stopped, while a child process can be killed when its time
is up. The child is forked from a clean fork server, never from the serving process.
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from stakhanov.domain.errors import Problem, Refused, Source
from stakhanov.domain.wording import say
from stakhanov.services.tables import RawBatch, read_source

T = TypeVar("T")


@dataclass(frozen=True)
class UploadLimits:
    seconds: float = 60.0
    rows: int = 1_000_000
    memory_bytes: int = 2 * 1024**3


class TimeLimit(Refused):
    def __init__(self, seconds: float) -> None:
        super().__init__(
            say(
                "took longer than %(seconds)s s to read; nothing was written",
                seconds=f"{seconds:g}",
            )
        )


class ChildFailed(Refused):
    """The child died (out of memory, killed) or raised; the message says which."""


def _child(send: Connection, memory: int, function: Callable[..., Any], args: tuple[Any]) -> None:
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (memory, hard))
    except (ValueError, OSError):  # a platform that will not lower it still has the time limit
        pass
    try:
        send.send(("ok", function(*args)))
    except BaseException as err:
        send.send(("error", f"{type(err).__name__}: {err}"))


def run_confined(function: Callable[..., T], args: tuple[Any, ...], limits: UploadLimits) -> T:
    """`function(*args)` in a child process; TimeLimit when it runs past `limits.seconds`."""
    context = multiprocessing.get_context("forkserver")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(send, limits.memory_bytes, function, args), daemon=True
    )
    child.start()
    send.close()
    try:
        if not receive.poll(limits.seconds):
            raise TimeLimit(limits.seconds)
        try:
            kind, value = receive.recv()
        except EOFError as err:
            raise ChildFailed(
                say("the reader stopped (exit code %(exitcode)s)", exitcode=child.exitcode)
            ) from err
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if kind == "error":
        raise ChildFailed(value)
    result: T = value
    return result


def read_limited(source: Path, known: set[str], rows: int) -> RawBatch:
    """The files as an import batch, or one problem when they hold more than `rows` rows."""
    batch = read_source(source, known)
    if batch.row_count > rows:
        problem = Problem(
            Source(source.name, 0), "-", say("more than %(rows)s rows in one upload", rows=rows)
        )
        return RawBatch({}, [problem], batch.label)
    return batch


def read_upload(source: Path, known: set[str], limits: UploadLimits) -> RawBatch:
    """Read an upload as `read_source` does, confined; every failure is a located problem."""
    try:
        return run_confined(read_limited, (source, known, limits.rows), limits)
    except (TimeLimit, ChildFailed) as err:
        name = source.name if source.is_file() else "upload"
        problem = Problem(Source(name, 0), "-", err.reasons[0] if err.reasons else str(err))
        return RawBatch({}, [problem], str(source))
