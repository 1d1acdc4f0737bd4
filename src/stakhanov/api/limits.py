"""Limits on what a request may send: its whole body, and how uploads are read.

The body limit counts every byte of a request, whatever its files, so ten files of 49 MiB are
refused like one of 490 MiB; a declared length over the limit is refused before it is read.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stakhanov.services.uploads import UploadLimits

MAX_REQUEST_BYTES = 50 * 1024 * 1024


def too_large(limit: int) -> str:
    return f"the request is larger than {limit // (1024 * 1024)} MiB in all"


class BodyLimit:
    """Refuse (413) a request whose body, all files together, passes the app's limit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit: int = scope["app"].state.max_request_bytes
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await JSONResponse({"detail": too_large(limit)}, 413)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:  # a chunked body that says nothing of its length
                raise HTTPException(413, too_large(limit))
            return message

        await self.app(scope, counted, send)


def install(app: FastAPI) -> None:
    app.state.max_request_bytes = MAX_REQUEST_BYTES
    app.state.upload_limits = UploadLimits()
    app.add_middleware(BodyLimit)


def upload_limits(request: Request) -> UploadLimits:
    limits: UploadLimits = request.app.state.upload_limits
    return limits
