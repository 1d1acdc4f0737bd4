"""The application as each worker process of `stakhanov serve --workers N` builds it.

uvicorn starts several processes only from an import string, so each builds its own engine
and application from what `serve` put in the environment (the database, the trusted proxies).
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from stakhanov.api.hardening import ENV_TRUSTED, trusted_networks
from stakhanov.store.db import database_url, make_engine
from stakhanov.web.app import create_app


def served_app() -> FastAPI:
    app = create_app(make_engine(database_url()))
    app.state.trusted_proxies = trusted_networks([os.environ.get(ENV_TRUSTED, "")])
    return app
