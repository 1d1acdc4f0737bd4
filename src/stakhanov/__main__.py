"""`python -m stakhanov` runs the command line."""

from stakhanov.cli.main import run

# Guarded: `serve --workers` starts processes that import the main module again.
if __name__ == "__main__":
    run()
