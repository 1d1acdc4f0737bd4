"""The bulk screen's written-out whitespace is exactly what Python's strip() removes."""

import sys

from stakhanov.services import bulk_read


def test_the_written_out_spaces_are_pythons_whitespace() -> None:
    every = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    ascii_spaces = set(bulk_read._ASCII_SPACES)
    wide = set(bulk_read._WIDE_SPACES)
    assert ascii_spaces | wide == every
    assert all(c < "\x80" for c in ascii_spaces)
    assert all(c >= "\x80" for c in wide)
