"""Lint rules, one module per family; ``all_rules()`` lists them by code."""

from __future__ import annotations

_FAMILIES = ("analyzer", "shape_errors", "api_misuse", "redundancy", "design", "layout", "legacy", "training", "data", "written_data")
_loaded = False


def load_rules() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib

    for family in _FAMILIES:
        importlib.import_module(f"{__name__}.{family}")


from .base import Rule, RuleContext, all_rules, get_rule, run_rules  # noqa: E402

__all__ = ["Rule", "RuleContext", "all_rules", "get_rule", "run_rules", "load_rules"]
