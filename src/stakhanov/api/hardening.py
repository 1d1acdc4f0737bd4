"""What every response carries, and whom a request comes from.

The client is the connection's peer. Only when that peer is a trusted proxy (listed with
`serve --trusted-proxy` or STAKHANOV_TRUSTED_PROXIES) are its X-Forwarded-For and
X-Forwarded-Proto believed: anyone else could write them, and so escape the per-client login
limit or pass for a secure connection.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable

from fastapi import FastAPI, Request
from fastapi.responses import Response

ENV_TRUSTED = "STAKHANOV_TRUSTED_PROXIES"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

SECURITY_HEADERS = {
    # Everything is served from here: no CDN, no inline script, no framing.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# A page that reads codes with the camera may use it, from this origin only; nothing else
# changes (decision 0868).
SCANNING_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000"


def trusted_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or networks (`10.0.0.1`, `10.0.0.0/8`), comma- or space-separated; ValueError
    names an entry that is neither."""
    found = []
    for entry in entries:
        for item in entry.replace(",", " ").split():
            try:
                found.append(ipaddress.ip_network(item, strict=False))
            except ValueError as err:
                raise ValueError(f"not an address or network: {item!r}") from err
    return tuple(found)


def trusted_from_env() -> tuple[Network, ...]:
    return trusted_networks([os.environ.get(ENV_TRUSTED, "")])


def _trusted(request: Request, address: str) -> bool:
    networks: tuple[Network, ...] = getattr(request.app.state, "trusted_proxies", ())
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _peer(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def client_address(request: Request) -> str:
    """The client as the login limit counts it: the peer, or what trusted proxies say it is.

    Proxies append to X-Forwarded-For, so it is read from the right: the first address that is
    not a trusted proxy is the client (anything left of it could be forged by the client)."""
    peer = _peer(request)
    if not _trusted(request, peer):
        return peer
    forwarded = ",".join(request.headers.getlist("x-forwarded-for"))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(request, hop):
            return hop
    return hops[0] if hops else peer


def is_https(request: Request) -> bool:
    """Served over TLS here, or by a trusted proxy that says so."""
    if request.url.scheme == "https":
        return True
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return proto == "https" and _trusted(request, _peer(request))


def install(app: FastAPI, trusted: tuple[Network, ...] | None = None) -> None:
    app.state.trusted_proxies = trusted_from_env() if trusted is None else trusted

    @app.middleware("http")
    async def security_headers(request: Request, call_next: object) -> Response:
        response: Response = await call_next(request)  # type: ignore[operator]
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if is_https(request):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
