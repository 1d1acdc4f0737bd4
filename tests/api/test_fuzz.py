"""schemathesis against the published OpenAPI schema, in process: no input earns a 5xx.

Every operation is called with generated data as a user holding every role over the whole
organisation, so requests get past authorisation to the validation and the services. The
number of examples is bounded to keep the suite fast.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, Phase, settings

from stakhanov.domain.access import Grant, Role
from stakhanov.services import accounts
from stakhanov.store.db import make_engine, upgrade
from stakhanov.web.app import create_app
from tests.api.conftest import PASSWORD, populate

_folder = Path(tempfile.mkdtemp(prefix="stakhanov-fuzz-"))
_engine = make_engine(f"sqlite:///{_folder / 'fuzz.db'}")
upgrade(_engine)
populate(_engine)
accounts.add_user(
    _engine,
    "everything",
    PASSWORD,
    author="fuzz",
    worker_id="H1",
    grants=[Grant(role) for role in Role],
)
_TOKEN = accounts.login(_engine, "everything", PASSWORD, "fuzz", hours=24).token

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_engine))
# Logging out would end the session the rest of the run uses.
schema = schema.exclude(path="/api/auth/logout")


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_input_makes_the_server_fail(case: schemathesis.Case) -> None:
    response = case.call(headers={"Authorization": f"Bearer {_TOKEN}"})
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
