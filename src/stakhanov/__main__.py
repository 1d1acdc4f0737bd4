"""`python -m stakhanov` runs the command line."""

from stakhanov.cli.main import run

run()
