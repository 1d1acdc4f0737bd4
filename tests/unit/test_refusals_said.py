"""Refusals and problems of the services, the domain and the simulator (decision 0871): each is
its English text as before, and reads in Russian and Spanish where a person is told."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from stakhanov.domain.bank import parse_references, transfers
from stakhanov.domain.errors import InvalidValue, Refused
from stakhanov.domain.governance import Policy, Step
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.tickets import BadPayload, decode
from stakhanov.i18n import localized, problem_line, said
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source


def _payload(text: str) -> str:
    with pytest.raises(BadPayload) as caught:
        decode(text)
    return caught.value.args[0]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "версия 'stk9' здесь неизвестна; этот сервер читает stk1"),
        ("es", "la versión 'stk9' no se conoce aquí; este servidor lee stk1"),
        ("en", "version 'stk9' is not known here; this server reads stk1"),
    ],
)
def test_a_scanned_code_s_refusal(language: str, expected: str) -> None:
    reason = _payload("stk9:ticket?id=T1")
    assert reason == "version 'stk9' is not known here; this server reads stk1"
    assert localized(reason, language) == expected


def test_bank_references_problems_in_russian_and_spanish() -> None:
    _, problems = parse_references(["worker_id", "bank_reference"], [["H1", ""], ["H1"]], "b.csv")
    lines = [str(p) for p in problems]
    assert lines == [
        "b.csv:2:bank_reference: a reference of 1 to 100 characters is required",
        "b.csv:3:-: expected 2 cells",
    ]
    assert [problem_line(p, "ru") for p in problems] == [
        "b.csv:2:bank_reference: нужны реквизиты длиной от 1 до 100 символов",
        "b.csv:3:-: ожидалось 2 ячейки",
    ]
    _, unpaid = transfers([("H2", "Hewer Two", "RUB", Decimal("341.56"))], {}, "b.csv")
    assert problem_line(unpaid[0], "es") == (
        "b.csv:0:worker_id: no hay referencia bancaria del trabajador 'H2' (Hewer Two), "
        "a pagar 341.56 RUB"
    )


def test_a_policy_s_refusal_in_russian_and_spanish() -> None:
    with pytest.raises(InvalidValue) as caught:
        Policy(steps=(Step("norm_setter"), Step("norm_setter")))
    err = caught.value
    assert err.reason == "each role may appear once"
    assert said(err, "ru").endswith(": каждая роль может встречаться один раз")
    assert said(err, "es").endswith(": cada rol puede aparecer una vez")


def test_a_scale_file_s_problem_and_a_read_directory_s(tmp_path: Path) -> None:
    _, problems = parse_scale("x" * 5_000_000, "big.toml")
    assert str(problems[0]) == "big.toml:1:-: is larger than 1 MiB; no scale is"
    assert problem_line(problems[0], "ru") == "big.toml:1:-: больше 1 МиБ; таких сеток не бывает"
    (tmp_path / "nonsense.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    batch = read_source(tmp_path, set(FORMATS))
    [unknown] = batch.problems
    assert str(unknown.message).startswith("unknown file; expected one of [")
    assert problem_line(unknown, "es").startswith("nonsense.csv:1:-: archivo desconocido; se esp")
    refusal = Refused(problems=batch.problems)
    assert said(refusal, "ru") == "1 ошибка; ничего не записано"


def test_a_file_that_is_not_utf8_is_said_in_spanish(tmp_path: Path) -> None:
    (tmp_path / "workers.csv").write_bytes("worker_id,name\n".encode("utf-16"))
    [problem] = read_source(tmp_path, set(FORMATS)).problems
    assert str(problem.message).startswith("not UTF-8 text: ")
    assert problem_line(problem, "es").startswith("workers.csv:1:-: no es texto UTF-8: ")
