"""``[tool.archlint]`` in ``pyproject.toml``: which rules run on which file, at what severity.

Keys: ``select``, ``extend-select``, ``ignore`` (codes or prefixes such as ``"AL2"``; for
each code the longest matching entry decides, an ignore winning a tie), ``fail-on``,
``source-roots``, ``keras-version`` (``"2"`` or ``"3"``: the Keras the code targets, see
keras_target.py), ``timeout`` and ``memory`` (seconds and MB a file's analysis may take,
0 for no limit; see limits.py), ``[tool.archlint.per-file-ignores]`` (glob -> codes, relative to the
file's directory), ``[tool.archlint.assume]`` (glob -> ``["name=value", ...]``, see
assumptions.py) and ``[tool.archlint.severity]`` (code -> ``"info"``, ``"warning"`` or
``"error"``). Command-line flags override the file: ``--select`` replaces ``select``,
``--extend-select`` and ``--ignore`` add to theirs. Each file's configuration is the
nearest ``[tool.archlint]`` at or above its own directory (``PerFile``). This module reads settings; it runs
no rule and touches no source file.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Set

from .assumptions import Assumption, AssumptionError, parse_all
from .diagnostics import Severity
from .files import CONFIG_BYTES, NotRead, read_bytes
from .limits import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Budget



def _toml():
    """The TOML reader, imported only when a configuration file is actually read."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on older interpreters only
        import tomli as tomllib
    return tomllib


class ConfigError(Exception):
    """The configuration cannot be used: a usage error (exit 2), never a silent default."""


@dataclass
class Config:
    path: Optional[str] = None  # the pyproject.toml it came from
    select: Optional[List[str]] = None  # None: the rules enabled by default
    extend_select: List[str] = field(default_factory=list)
    ignore: List[str] = field(default_factory=list)
    per_file_ignores: Dict[str, List[str]] = field(default_factory=dict)
    severity: Dict[str, Severity] = field(default_factory=dict)
    fail_on: Optional[Severity] = None
    source_roots: List[str] = field(default_factory=list)
    assume: Dict[str, Dict[str, Assumption]] = field(default_factory=dict)  # glob -> name -> assumption
    keras_version: Optional[str] = None  # None: inferred per file from the project's dependencies
    timeout: Optional[float] = None  # seconds per file; None: the default, 0: no limit
    memory: Optional[int] = None  # MB per file; None: the default, 0: no limit

    def budget(self, timeout: Optional[float] = None, memory: Optional[int] = None) -> Budget:
        """The time and memory each file may take: the command line's, else this file's, else the defaults."""
        seconds = timeout if timeout is not None else self.timeout if self.timeout is not None else DEFAULT_SECONDS
        megabytes = memory if memory is not None else self.memory if self.memory is not None else DEFAULT_MEMORY_MB
        return Budget(seconds or None, megabytes or None)

    def assumptions_for(self, path: str) -> Dict[str, Assumption]:
        """The ``[tool.archlint.assume]`` entries whose glob matches ``path`` (later globs win)."""
        relative = self._relative(path)
        found: Dict[str, Assumption] = {}
        for pattern, assumed in self.assume.items():
            if fnmatch.fnmatch(relative, pattern):
                found.update(assumed)
        return found

    def _relative(self, path: str) -> str:
        base = os.path.dirname(self.path) if self.path else os.getcwd()
        return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")

    def codes_for(self, path: str, rules) -> Set[str]:
        """The codes that run on ``path``."""
        chosen = set()
        for spec in rules:
            if self._selected(spec) and not self._ignored_for(path, spec.code):
                chosen.add(spec.code)
        return chosen

    def _selected(self, spec) -> bool:
        """The longest matching select or ignore entry decides (a tie goes to ignore); a rule
        that is off by default runs only when its exact code is selected."""
        selects = (self.select or []) + self.extend_select
        best_select = max((len(p) for p in selects if spec.code.startswith(p)), default=-1)
        best_ignore = max((len(p) for p in self.ignore if spec.code.startswith(p)), default=-1)
        if best_select < 0:
            return best_ignore < 0 and self.select is None and spec.enabled_by_default
        if best_select <= best_ignore:
            return False
        return spec.enabled_by_default or best_select == len(spec.code)

    def _ignored_for(self, path: str, code: str) -> bool:
        relative = self._relative(path)
        for pattern, codes in self.per_file_ignores.items():
            if fnmatch.fnmatch(relative, pattern) and any(code.startswith(c) for c in codes):
                return True
        return False


def find_pyproject(start: str) -> Optional[str]:
    """The nearest ``pyproject.toml`` at or above ``start`` that has a ``[tool.archlint]`` table."""
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate) and _has_archlint_table(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_archlint_table(path: str) -> bool:
    """Whether the file configures archlint; a broken file that mentions it counts (so its
    error is reported rather than silently ignored)."""
    data = read_bytes(path, CONFIG_BYTES)
    if isinstance(data, NotRead) or b"archlint" not in data:
        return False  # most pyproject.toml files: no need to parse
    tomllib = _toml()
    try:
        return "archlint" in tomllib.loads(data.decode("utf-8")).get("tool", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return b"tool.archlint" in data


def load_config(path: Optional[str], known_codes: Iterable[str]) -> Config:
    """Read ``[tool.archlint]`` from ``path`` (no file: the defaults)."""
    if path is None:
        return Config()
    tomllib = _toml()
    data = read_bytes(path, CONFIG_BYTES)
    if isinstance(data, NotRead):
        raise ConfigError(f"{path}: {data.reason}")
    try:
        table = tomllib.loads(data.decode("utf-8")).get("tool", {}).get("archlint", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    known = set(known_codes)
    where = f"{path}: [tool.archlint]"
    allowed = {"select", "extend-select", "ignore", "per-file-ignores", "severity", "fail-on", "source-roots", "assume",
               "keras-version", "timeout", "memory"}
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (keys: {', '.join(sorted(allowed))})")
    config = Config(path=path)
    if "select" in table:
        config.select = _code_list(table["select"], known, f"{where} select")
    config.extend_select = _code_list(table.get("extend-select", []), known, f"{where} extend-select")
    config.ignore = _code_list(table.get("ignore", []), known, f"{where} ignore")
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{where} per-file-ignores: expected a table of glob = [codes]")
    config.per_file_ignores = {
        str(glob): _code_list(codes, known, f"{where} per-file-ignores {glob!r}") for glob, codes in per_file.items()
    }
    severities = table.get("severity", {})
    if not isinstance(severities, dict):
        raise ConfigError(f"{where} severity: expected a table of code = \"info\" | \"warning\" | \"error\"")
    for code, level in severities.items():
        _code_list([code], known, f"{where} severity")
        config.severity[code] = _severity(level, f"{where} severity {code}")
    if "fail-on" in table:
        config.fail_on = _severity(table["fail-on"], f"{where} fail-on")
    roots = table.get("source-roots", [])
    if not isinstance(roots, list) or not all(isinstance(r, str) for r in roots):
        raise ConfigError(f"{where} source-roots: expected a list of directories")
    config.source_roots = [os.path.join(os.path.dirname(path), r) for r in roots]
    if "keras-version" in table:
        version = str(table["keras-version"])
        if version not in ("2", "3"):
            raise ConfigError(f"{where} keras-version: {table['keras-version']!r} is not \"2\" or \"3\"")
        config.keras_version = version
    for key, kind in (("timeout", (int, float)), ("memory", int)):
        value = table.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, kind) or value < 0):
            raise ConfigError(f"{where} {key}: expected a number of {'seconds' if key == 'timeout' else 'MB'} "
                              f"(0: no limit), not {value!r}")
    config.timeout, config.memory = table.get("timeout"), table.get("memory")
    assume = table.get("assume", {})
    if not isinstance(assume, dict) or not all(isinstance(v, list) for v in assume.values()):
        raise ConfigError(f"{where} assume: expected a table of glob = [\"name=value\", ...]")
    try:
        config.assume = {str(glob): parse_all(map(str, items), f"{where} assume {glob!r}") for glob, items in assume.items()}
    except AssumptionError as error:
        raise ConfigError(str(error)) from error
    return config


def resolve(explicit_path: Optional[str], select: Optional[str], extend_select: Optional[str],
            ignore: Optional[str], known_codes: Iterable[str], start: Optional[str] = None) -> Config:
    """The configuration in force: ``explicit_path`` or the nearest pyproject.toml with a
    ``[tool.archlint]`` table at or above ``start`` (a file's directory; default: the
    current one), overridden by comma-separated command-line code lists."""
    known = set(known_codes)
    path = explicit_path if explicit_path is not None else find_pyproject(start or os.getcwd())
    if explicit_path is not None and not os.path.isfile(explicit_path):
        raise ConfigError(f"{explicit_path}: no such file")
    config = load_config(path, known)

    def listed(text: Optional[str], flag: str) -> List[str]:
        return _code_list([c.strip() for c in (text or "").split(",") if c.strip()], known, flag)

    if select is not None:
        config.select = listed(select, "--select")
    config.extend_select += listed(extend_select, "--extend-select")
    config.ignore += listed(ignore, "--ignore")
    return config


def _code_list(value, known: Set[str], where: str) -> List[str]:
    if isinstance(value, str) or not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of rule codes such as [\"AL201\", \"AL3\"]")
    out = []
    for item in value:
        if not isinstance(item, str) or not item.startswith("AL") or not any(code.startswith(item) for code in known):
            raise ConfigError(f"{where}: {item!r} matches no rule (`archlint rules` lists them)")
        out.append(item)
    return out


def _severity(value, where: str) -> Severity:
    try:
        return Severity.parse(value)
    except (ValueError, KeyError, AttributeError) as error:
        raise ConfigError(f"{where}: {value!r} is not one of info, warning, error") from error


class PerFile:
    """The configuration of each file checked, like ruff: ``--config`` for all, else the
    nearest ``[tool.archlint]`` at or above the file's own directory (each found file read
    once), with the command line's code lists over it."""

    def __init__(self, explicit_path: Optional[str], select: Optional[str], extend_select: Optional[str],
                 ignore: Optional[str], known_codes: Iterable[str]):
        self._args = (explicit_path, select, extend_select, ignore, list(known_codes))
        self._by_file: Dict[Optional[str], Config] = {}

    def __call__(self, path: str) -> Config:
        """The configuration for ``path``; raises ConfigError."""
        explicit = self._args[0]
        found = explicit if explicit is not None else find_pyproject(os.path.dirname(os.path.abspath(path)))
        if found not in self._by_file:
            self._by_file[found] = resolve(explicit, *self._args[1:], start=os.path.dirname(os.path.abspath(path)))
        return self._by_file[found]
