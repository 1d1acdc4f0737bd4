"""The whole application: the REST API and the pages, served by one process."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine

from stakhanov.api.app import create_api


def create_app(engine: Engine) -> FastAPI:
    return create_api(engine)
