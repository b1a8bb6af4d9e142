"""``python -m archlint``."""

from .cli import run

run()
