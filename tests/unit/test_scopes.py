"""Scopes: unit paths map onto levels by depth, industries by the nearest mapped unit."""

from __future__ import annotations

import pytest

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.scopes import Organisation, Scope, ScopeKey

HOME = "Central-Irmino/Section 8/Brigade 1"


def test_default_levels_name_enterprise_section_brigade() -> None:
    scopes = Organisation().scopes_of("W001", HOME, HOME)
    assert scopes == [
        ScopeKey(Scope.WORKER, "W001"),
        ScopeKey(Scope.WORKPLACE, HOME),
        ScopeKey(Scope.ENTERPRISE, "Central-Irmino"),
        ScopeKey(Scope.SECTION, "Central-Irmino/Section 8"),
        ScopeKey(Scope.BRIGADE, HOME),
        ScopeKey(Scope.INDUSTRY, "Central-Irmino"),
        ScopeKey(Scope.ALL_TIME, None),
    ]


def test_a_worker_above_brigade_level_has_no_brigade() -> None:
    scopes = Organisation().scopes_of("W002", "Central-Irmino", HOME)
    assert Scope.BRIGADE not in {s.scope for s in scopes}


def test_trusts_and_industries() -> None:
    organisation = Organisation(
        (Scope.TRUST, Scope.ENTERPRISE, Scope.SECTION, Scope.BRIGADE),
        {"Donbassugol": "coal", "Donbassugol/Irmino/Section 9": "coal (experimental)"},
    )
    path = "Donbassugol/Irmino/Section 9/Brigade 2"
    assert organisation.unit_at(path, Scope.TRUST) == "Donbassugol"
    assert organisation.unit_at(path, Scope.BRIGADE) == path
    assert organisation.industry_of(path) == "coal (experimental)"
    assert organisation.industry_of("Donbassugol/Irmino/Section 8") == "coal"
    assert organisation.industry_of("Gorky Works/Forge") == "Gorky Works"


@pytest.mark.parametrize(
    "levels",
    [(), (Scope.BRIGADE, Scope.SECTION), (Scope.WORKER,), (Scope.SECTION, Scope.SECTION)],
)
def test_levels_must_be_known_and_run_down(levels: tuple[Scope, ...]) -> None:
    with pytest.raises(InvalidValue):
        Organisation(levels)


def test_undeclared_levels_are_fitted_to_the_depth_of_the_home_units() -> None:
    fit = Organisation(fit=True)
    assert fit.fitted([HOME, "Central-Irmino"]) == Organisation()  # three deep: the default
    deep = "Donbassugol/Central-Irmino/Section 8/Brigade 1"
    four = fit.fitted([deep, "Donbassugol/Central-Irmino"])
    assert [four.unit_at(deep, level) for level in four.levels] == [
        "Donbassugol",
        "Donbassugol/Central-Irmino",
        "Donbassugol/Central-Irmino/Section 8",
        deep,
    ]
    five = fit.fitted(["NKTP/" + deep])
    assert five.unit_at("NKTP/" + deep, Scope.TRUST) == "NKTP/Donbassugol"
    assert five.unit_at("NKTP", Scope.TRUST) is None
    declared = Organisation((Scope.ENTERPRISE, Scope.SECTION, Scope.BRIGADE))
    assert declared.fitted([deep]) is declared
