"""Which Keras a file is written for: 2 (``tf.keras`` before TensorFlow 2.16, ``tf_keras``)
or 3, and why.

Given (``--keras-version``, ``keras-version`` in ``[tool.archlint]``) it is taken as is.
Otherwise the project's declared dependencies decide: the nearest directory at or above
the file that declares any (``pyproject.toml``'s ``[project]`` and Poetry dependencies,
``requirements*.txt``, ``install_requires`` in ``setup.cfg`` or, as a literal list,
``setup.py``). ``keras<3`` / ``keras==2.*``
or ``tensorflow<2.16`` / ``tensorflow==2.12`` (any ``tensorflow-*`` build) or a
``tf-keras`` dependency mean 2; ``keras>=3`` or ``tensorflow>=2.16`` mean 3; the ``keras``
pin wins over the ``tensorflow`` one. Nothing decisive: 3, today's Keras.

It reads dependency declarations only; it imports and runs nothing (``setup.py`` is parsed,
never run), and does not look at what is installed.
"""

from __future__ import annotations

import ast
import configparser
import glob
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, List, Optional, Tuple

from .files import CONFIG_BYTES, NotRead, read_bytes

VERSIONS = ("2", "3")
DEFAULT = "3"

_TENSORFLOW = re.compile(r"^(tensorflow|tensorflow-(cpu|gpu|macos|intel|aarch64)|tf-nightly(-cpu|-gpu)?)$")
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(\(?)([^;#]*?)\)?\s*(;.*)?(#.*)?$")
_CLAUSE = re.compile(r"^\s*(===|==|~=|!=|<=|>=|<|>)\s*([0-9][0-9a-zA-Z.*+!-]*)\s*$")


@dataclass(frozen=True)
class Target:
    version: str  # "2" or "3"
    reason: str  # where it came from, for messages


def resolve(given: Optional[str], configured: Optional[str], path: str) -> Target:
    """The target for ``path``: the command line's, else the configuration's, else what the
    project's dependencies declare, else Keras 3."""
    if given:
        return Target(given, "--keras-version")
    if configured:
        return Target(configured, "keras-version in [tool.archlint]")
    declared = declared_target(os.path.dirname(os.path.abspath(path)))
    return declared or Target(DEFAULT, "default")


def declared_target(directory: str) -> Optional[Target]:
    """What the nearest directory at or above ``directory`` that declares dependencies says."""
    while True:
        found = _directory_target(directory)
        if found is not None:
            return found[0]
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


@lru_cache(maxsize=256)
def _directory_target(directory: str) -> Optional[Tuple[Optional[Target]]]:
    """``None`` when the directory declares no dependencies; else (its verdict or None,)."""
    requirements = list(_declared_requirements(directory))
    if not requirements:
        return None
    return (_verdict(requirements),)


def _declared_requirements(directory: str) -> Iterable[Tuple[str, str]]:
    """(file name, requirement line) for every dependency the directory declares."""
    pyproject = os.path.join(directory, "pyproject.toml")
    if os.path.isfile(pyproject):
        yield from (("pyproject.toml", r) for r in _pyproject_requirements(pyproject))
    for path in sorted(glob.glob(os.path.join(directory, "requirements*.txt"))):
        for line in _lines(path):
            stripped = line.strip()
            if stripped and not stripped.startswith(("#", "-")):
                yield os.path.basename(path), stripped
    setup_cfg = os.path.join(directory, "setup.cfg")
    if os.path.isfile(setup_cfg):
        parser = configparser.ConfigParser()
        try:
            parser.read_string("\n".join(_lines(setup_cfg)))
            listed = parser.get("options", "install_requires", fallback="")
        except configparser.Error:
            listed = ""
        yield from (("setup.cfg", line.strip()) for line in listed.splitlines() if line.strip())
    setup_py = os.path.join(directory, "setup.py")
    if os.path.isfile(setup_py):
        yield from (("setup.py", r) for r in _setup_py_requirements("\n".join(_lines(setup_py))))


def _setup_py_requirements(text: str) -> List[str]:
    """The string literals of ``install_requires=[...]`` (and ``extras_require`` lists)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    found: List[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("install_requires", "extras_require"):
            for item in ast.walk(node.value):
                if isinstance(item, ast.Constant) and isinstance(item.value, str):
                    found.append(item.value)
    return found


def _lines(path: str) -> List[str]:
    data = read_bytes(path, CONFIG_BYTES)
    return [] if isinstance(data, NotRead) else data.decode("utf-8", errors="replace").splitlines()


def _pyproject_requirements(path: str) -> List[str]:
    from .config import _toml

    tomllib = _toml()
    raw = read_bytes(path, CONFIG_BYTES)
    try:
        data = tomllib.loads(raw.decode("utf-8")) if not isinstance(raw, NotRead) else {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return []
    project = data.get("project", {}) if isinstance(data.get("project"), dict) else {}
    found = [r for r in project.get("dependencies", []) if isinstance(r, str)]
    for group in (project.get("optional-dependencies") or {}).values():
        found += [r for r in group if isinstance(r, str)] if isinstance(group, list) else []
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    for name, spec in (poetry.get("dependencies") or {}).items():
        version = spec.get("version", "") if isinstance(spec, dict) else spec
        if isinstance(version, str):
            found.append(f"{name}{_poetry_to_pep440(version)}")
    return found


def _poetry_to_pep440(version: str) -> str:
    """Poetry's ``^2.12`` / ``~2.12`` / ``2.12.*`` as PEP 440 clauses."""
    version = version.strip()
    if version in ("", "*"):
        return ""
    caret = re.match(r"^\^(\d+)(?:\.(\d+))?", version)
    if caret:
        major, minor = int(caret.group(1)), int(caret.group(2) or 0)
        upper = f"{major + 1}" if major else f"0.{minor + 1}"
        return f">={major}.{minor},<{upper}"
    tilde = re.match(r"^~(\d+)\.(\d+)", version)
    if tilde:
        return f">={tilde.group(1)}.{tilde.group(2)},<{tilde.group(1)}.{int(tilde.group(2)) + 1}"
    if version[0].isdigit():
        return f"=={version}"
    return version


def _verdict(requirements: List[Tuple[str, str]]) -> Optional[Target]:
    keras = tensorflow = tf_keras = None
    for where, line in requirements:
        parsed = _parse(line)
        if parsed is None:
            continue
        name, clauses = parsed
        if name == "keras" and keras is None:
            version = _major_keras(clauses)
            keras = Target(version, f"{where}: {line}") if version else None
        elif _TENSORFLOW.match(name) and tensorflow is None:
            version = _tensorflow_keras(clauses)
            tensorflow = Target(version, f"{where}: {line}") if version else None
        elif name == "tf-keras" and tf_keras is None:
            tf_keras = Target("2", f"{where}: {line}")
    return keras or tensorflow or tf_keras


def _parse(line: str) -> Optional[Tuple[str, List[Tuple[str, Tuple[int, ...]]]]]:
    """(normalized name, [(operator, version)]) of a PEP 508 line; None when it is not one."""
    match = _REQUIREMENT.match(line)
    if match is None:
        return None
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    clauses = []
    for part in filter(None, (p.strip() for p in match.group(4).split(","))):
        clause = _CLAUSE.match(part)
        if clause is None:
            return name, []
        text = clause.group(2)
        numbers = tuple(int(n) for n in re.findall(r"\d+", text.split("*")[0].split("+")[0])[:3])
        if clause.group(1) == "==" and text.endswith("*") and numbers:  # ==2.* is >=2, <3
            clauses += [(">=", numbers), ("<", numbers[:-1] + (numbers[-1] + 1,))]
            continue
        clauses.append((clause.group(1), numbers))
    return name, clauses


def _bounds(clauses) -> Tuple[Optional[Tuple[int, ...]], Optional[Tuple[int, ...]], bool]:
    """(lowest version allowed, version every allowed one is below, whether the upper bound is
    inclusive) from the clauses; None where a side is open."""
    low = high = None
    inclusive = False
    for op, version in clauses:
        if not version:
            continue
        if op in ("==", "==="):
            low, high, inclusive = version, version, True
        elif op == "~=":
            low = version
            prefix = version[:-1]  # ~=2.10 is >=2.10, <3; ~=2.10.1 is >=2.10.1, <2.11
            high, inclusive = (prefix[:-1] + (prefix[-1] + 1,), False) if prefix else (None, False)
        elif op in (">=", ">"):
            low = version
        elif op == "<":
            high, inclusive = version, False
        elif op == "<=":
            high, inclusive = version, True
    return low, high, inclusive


def _below(high, inclusive, limit: Tuple[int, ...]) -> bool:
    """Whether every version the upper bound allows is below ``limit``."""
    if high is None:
        return False
    width = max(len(high), len(limit))
    high, limit = high + (0,) * (width - len(high)), limit + (0,) * (width - len(limit))
    return high < limit or (not inclusive and high == limit)


def _major_keras(clauses) -> Optional[str]:
    low, high, inclusive = _bounds(clauses)
    if _below(high, inclusive, (3,)):
        return "2"
    if low is not None and low[:1] >= (3,):
        return "3"
    return None


def _tensorflow_keras(clauses) -> Optional[str]:
    low, high, inclusive = _bounds(clauses)
    if _below(high, inclusive, (2, 16)):
        return "2"
    if low is not None and low[:2] >= (2, 16):
        return "3"
    return None
