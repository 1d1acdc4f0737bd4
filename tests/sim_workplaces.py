"""Small workplaces written for the organisation tests, as TOML text."""

from __future__ import annotations

from stakhanov.sim.workplace import Workplace
from stakhanov.sim.workplace_file import read_workplace


def tandem(mu1: int, mu2: int, buffer: int, hours: int) -> Workplace:
    """Two stations, one worker each, exponential times, no breaks: a queueing textbook line."""
    return read_workplace(
        f"""
name = "tandem"
unit = "piece"
batch = 1
shift_hours = {hours}
[operations.first]
rates = {{ std = {mu1} }}
variability = 1
buffer = {buffer}
[operations.second]
rates = {{ std = {mu2} }}
variability = 1
[organisations.line]
members = [{{ id = "A", roles = ["first"], skill = "std" }},
           {{ id = "B", roles = ["second"], skill = "std" }}]
"""
    )


def stock_section(faces: int, stock: int) -> Workplace:
    """Faces that could each cut 60 t a shift, sharing a timber stock of one prop a tonne."""
    return read_workplace(
        f"""
name = "timber-bound section"
unit = "t"
batch = 1
shift_hours = 6
faces = {faces}
[resources.timber]
kind = "stock"
amount = {stock}
[operations.hewing]
rates = {{ std = 10 }}
consumes = {{ timber = 1 }}
norm = 7
norm_hours = 6
[organisations.one]
members = [{{ id = "H", roles = ["hewing"], skill = "std" }}]
"""
    )


def single_server(arrivals: int, service: int, hours: int) -> Workplace:
    """One worker serving a Poisson stream of arrivals: M/M/1."""
    return read_workplace(
        f"""
name = "counter"
unit = "order"
batch = 1
shift_hours = {hours}
arrival_rate = {arrivals}
[operations.serve]
rates = {{ std = {service} }}
variability = 1
[organisations.one]
members = [{{ id = "A", roles = ["serve"], skill = "std" }}]
"""
    )
