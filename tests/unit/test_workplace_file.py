from __future__ import annotations

from importlib import resources

import pytest

from stakhanov.sim.toml_reader import WorkplaceRejected
from stakhanov.sim.workplace_file import read_workplace

EXAMPLES = ["central-irmino-1935", "garment-line", "warehouse-pick-pack"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_bundled_examples_read_cleanly(name: str) -> None:
    text = resources.files("stakhanov.data").joinpath("workplaces", f"{name}.toml").read_text()
    workplace = read_workplace(text, f"{name}.toml")
    assert workplace.operations and workplace.organisations
    assert workplace.working_hours < workplace.shift_hours


BAD = """name = "bad"
unit = "t"
batch = 1
shift_hours = 6

[resources.air]
kind = "capacity"
amount = 1

[operations.hewing]
rates = { std = 4 }
needs = { air = 2 }
colour = "red"

[operations.loading]
rates = { std = "fast" }
consumes = { air = 1 }

[organisations.one]
[[organisations.one.members]]
id = "A"
roles = ["hewing", "dancing"]
skill = "std"
"""


def test_every_problem_is_located_to_file_line_and_key_path() -> None:
    with pytest.raises(WorkplaceRejected) as caught:
        read_workplace(BAD, "bad.toml")
    shown = [str(p) for p in caught.value.problems]
    assert shown[0].startswith("bad.toml:13:operations.hewing.colour: unknown key 'colour'")
    assert any(
        s.startswith("bad.toml:12:operations.hewing.needs.air: more than the 1") for s in shown
    )
    assert any(
        s.startswith("bad.toml:16:operations.loading.rates.std: 'fast' is not a number")
        for s in shown
    )
    assert any(s.startswith("bad.toml:17:operations.loading.consumes.air:") for s in shown)
    assert any(
        s.startswith(
            "bad.toml:22:organisations.one.members[1].roles: 'dancing' is not an operation"
        )
        for s in shown
    )
    assert any("nobody works 'loading'" in s for s in shown)


def test_a_top_level_unknown_key_and_a_missing_one_are_named() -> None:
    with pytest.raises(WorkplaceRejected) as caught:
        read_workplace('name = "x"\nunit = "t"\nbatch = 1\nshfit_hours = 6\n', "w.toml")
    shown = [str(p) for p in caught.value.problems]
    assert any(s.startswith("w.toml:4:shfit_hours: unknown key") for s in shown)
    assert any(s.startswith("w.toml:1:shift_hours: is required") for s in shown)
    assert any(s.startswith("w.toml:1:operations: is required") for s in shown)
