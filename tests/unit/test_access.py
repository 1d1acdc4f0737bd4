"""Roles over subtrees: what each grant reaches, checked by hand and by property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.access import (
    PERMISSIONS,
    Grant,
    Permission,
    Role,
    allows,
    holds,
    scopes,
    within_any,
)
from stakhanov.domain.errors import InvalidValue

SECTION = "Mine/Section 8"
BRIGADE = "Mine/Section 8/Brigade 1"

segments = st.sampled_from(["Mine", "Section 8", "Section 9", "Brigade 1", "Brigade 2"])
paths = st.lists(segments, min_size=1, max_size=4).map("/".join)
roles = st.sampled_from(list(Role))
grants = st.builds(
    lambda role, scope: Grant(role, None if role is Role.WORKER else scope),
    roles,
    st.none() | paths,
)


def test_a_foreman_reaches_his_brigade_and_nothing_beside_it() -> None:
    foreman = [Grant(Role.FOREMAN, BRIGADE)]
    assert allows(foreman, Permission.ENTER_SHIFTS, BRIGADE)
    assert allows(foreman, Permission.ENTER_SHIFTS, f"{BRIGADE}/Face 3")
    assert not allows(foreman, Permission.ENTER_SHIFTS, "Mine/Section 8/Brigade 10")
    assert not allows(foreman, Permission.ENTER_SHIFTS, SECTION)
    # Organisation-wide resources need a grant over the whole organisation.
    assert not allows(foreman, Permission.MANAGE_NORMS, None)
    assert scopes(foreman, Permission.ENTER_SHIFTS) == [BRIGADE]
    assert scopes(foreman, Permission.VIEW_AUDIT) == []


def test_each_role_does_its_own_job_only() -> None:
    assert Permission.MANAGE_USERS in PERMISSIONS[Role.ADMIN]
    assert Permission.VIEW_FULFILMENT not in PERMISSIONS[Role.ADMIN]
    assert PERMISSIONS[Role.WORKER] == {
        Permission.VIEW_OWN,
        Permission.VIEW_NORMS,
        Permission.VIEW_HISTORY,
        Permission.VIEW_RECOGNITION,
    }
    assert Permission.VERIFY_RECORDS not in PERMISSIONS[Role.FOREMAN]
    assert Permission.REGISTER_RECORDS not in PERMISSIONS[Role.AUDITOR]
    assert Permission.ENTER_SHIFTS not in PERMISSIONS[Role.AUDITOR]
    assert Permission.MANAGE_NORMS in PERMISSIONS[Role.RATE_SETTER]
    only_one = [p for p in Permission if sum(p in ps for ps in PERMISSIONS.values()) == 0]
    assert only_one == []


def test_a_worker_role_cannot_be_scoped() -> None:
    with pytest.raises(InvalidValue, match="own data"):
        Grant(Role.WORKER, BRIGADE)


@given(st.lists(grants, max_size=4), st.sampled_from(list(Permission)), paths, segments)
def test_what_reaches_a_unit_reaches_every_unit_below_it(
    held: list[Grant], permission: Permission, unit: str, below: str
) -> None:
    if allows(held, permission, unit):
        assert allows(held, permission, f"{unit}/{below}")


@given(st.lists(grants, max_size=4), st.sampled_from(list(Permission)), paths)
def test_scopes_agree_with_allows(held: list[Grant], permission: Permission, unit: str) -> None:
    assert allows(held, permission, unit) == within_any(unit, scopes(held, permission))
    assert holds(held, permission) == (scopes(held, permission) != [])


@given(st.lists(grants, max_size=4), st.sampled_from(list(Permission)), paths)
def test_more_grants_never_allow_less(held: list[Grant], permission: Permission, unit: str) -> None:
    for extra in (Grant(Role.DIRECTOR), Grant(Role.FOREMAN, unit)):
        if allows(held, permission, unit):
            assert allows([*held, extra], permission, unit)
