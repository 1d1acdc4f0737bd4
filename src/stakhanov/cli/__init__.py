"""The command line: the same use cases for people (tables) and scripts (--json, --csv)."""
