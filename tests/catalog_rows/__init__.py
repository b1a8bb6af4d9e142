"""Catalog table rows, one module per layer family; ``collect`` gathers them for the tests.

Each family module defines ``ROWS`` (built by ``row``), and may define ``ERROR_ROWS``
(``err``: calls Keras refuses) and ``LEGACY_ROWS`` (a Keras 1/2 spelling paired with its
Keras 3 equivalent). A row gives the layer, its constructor arguments and what it is
called on: one shape, a list of shapes (merge layers), or ``Call(...)`` for layers whose
``call()`` takes several tensors or options. Expected values are never written here:
the test computes them with real Keras.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Dict, NamedTuple, Tuple

import pytest


class Sub(NamedTuple):
    """A layer passed as an argument (TimeDistributed's ``layer``)."""

    name: str
    args: Tuple = ()
    kwargs: Dict[str, Any] = {}


def identity(x):
    """Lambda's function; with ``output_shape`` given Keras never calls it for shapes."""
    return x


class Call(NamedTuple):
    """What a layer is called on: positional tensor shapes, keyword tensor shapes, options.

    ``dtype`` is the dtype of the symbolic inputs Keras is given (``"int32"`` for indices).
    """

    args: Tuple = ()
    tensors: Dict[str, Any] = {}
    options: Dict[str, Any] = {}
    dtype: str = "float32"


def row(id, layer, args=(), kwargs=None, shape=None):
    return pytest.param(layer, tuple(args), dict(kwargs or {}), shape, id=id)


def err(id, layer, args, kwargs, shape, kind):
    return pytest.param(layer, tuple(args), dict(kwargs or {}), shape, kind, id=id)




CF = {"data_format": "channels_first"}


def collect(name: str) -> list:
    """``name`` (ROWS, ERROR_ROWS or LEGACY_ROWS) from every family module, in module order."""
    out = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        out.extend(getattr(module, name, []))
    return out
