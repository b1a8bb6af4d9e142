"""The catalog's building blocks: ``LayerSpec``, ``Weight``, argument binding and the registry.

A ``LayerSpec`` subclass describes one Keras layer class: its constructor signature in
Keras 3 positional order (plus legacy keyword spellings), how it maps input shapes to
output shapes, which weights it creates, and how to explain its parameter count.
Registering is one decorator; nothing else in the project lists layers. This module
knows nothing about source code or the interpreter.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, Dict, List, Optional, Tuple, Type

from ..shapes import ShapeError, as_tuple, product
from ..symbolic import Sym, symbolic_product
from ..unknown import UNKNOWN, Unresolved, contains_unknown
from . import keras2

REQUIRED = object()

# Keywords every Keras layer takes (Layer.__init__), plus the Keras 1/2 ones that the
# analyzer understands as input declarations.
BASE_KEYWORDS = {
    "name": None,
    "trainable": True,
    "dtype": None,
    "autocast": True,
    "activity_regularizer": None,
    "input_shape": None,
    "input_dim": None,
    "batch_input_shape": None,
    "batch_size": None,
    "weights": None,
    "input_length": None,
}

# Layer keywords of Keras 2 that Keras 3's Layer refuses -> how Keras 3 says it.
KERAS2_INPUT_KEYWORDS = {
    "batch_input_shape": "declares the input with `keras.Input(batch_shape=...)`",
    "batch_size": "declares the input with `keras.Input(batch_size=...)`",
    "input_length": "declares the input with `keras.Input(shape=...)`",
    "weights": "sets weights with `layer.set_weights()` after building",
}

# Keras 1 keyword spellings shared by many layers: legacy name -> Keras 3 name.
COMMON_LEGACY_KEYWORDS = {
    "init": "kernel_initializer",
    "W_regularizer": "kernel_regularizer",
    "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint",
    "b_constraint": "bias_constraint",
    "bias": "use_bias",
    "border_mode": "padding",
    "subsample": "strides",
    "dim_ordering": "data_format",
}



# Prefix of a legacy entry for an argument left to its Keras 2 default, which Keras 3 requires.
KERAS2_DEFAULT = "default "


# Legacy call forms that are not a keyword: the form -> how Keras 3 writes it.
LEGACY_FORMS = {
    "positional kernel size": "kernel_size=(rows, cols)",
    "a number as the shape": "shape=(n,)",
}


def legacy_spelling(old: str) -> str:
    """How a legacy entry reads in a message: ``border_mode=``, ``default pool_size``."""
    if old in LEGACY_FORMS:
        return old
    if old.startswith(KERAS2_DEFAULT):
        return f"no `{old[len(KERAS2_DEFAULT):]}=` (its Keras 2 default)"
    return f"`{old}=`"


def keras3_spelling(spec: Type["LayerSpec"], old: str) -> Optional[str]:
    """What Keras 3 calls a Keras 1/2 argument of ``spec`` (``None``: it has no equivalent)."""
    if old.startswith(KERAS2_DEFAULT):
        name = old[len(KERAS2_DEFAULT):]
        return f"{name}={spec.legacy_defaults[name]!r}"
    if old in LEGACY_FORMS:
        return LEGACY_FORMS[old]
    if old in ("nb_row", "nb_col", "kernel_dim1", "kernel_dim2", "kernel_dim3"):
        return "kernel_size"
    return spec.legacy_keywords.get(old, COMMON_LEGACY_KEYWORDS.get(old))


def weight_keywords(*kernels: str) -> Dict[str, Any]:
    """The initializer/regularizer/constraint keywords of layers with these kernels and a
    bias, in Keras's positional order: ``weight_keywords("depthwise", "pointwise")``."""
    out: Dict[str, Any] = {f"{k}_initializer": "glorot_uniform" for k in kernels}
    out["bias_initializer"] = "zeros"
    out.update({f"{k}_regularizer": None for k in kernels})
    out.update(bias_regularizer=None, activity_regularizer=None)
    out.update({f"{k}_constraint": None for k in kernels})
    out["bias_constraint"] = None
    return out


# The kernel-and-bias keywords Dense, the convolutions and the attention projections share.
KERNEL_KEYWORDS = weight_keywords("kernel")

DIM_ORDERING = {"th": "channels_first", "tf": "channels_last", "default": "channels_last"}


def params(*required: str, **optional: Any) -> Tuple[Tuple[str, Any], ...]:
    """A signature: required names in order, then optional ``name=default`` in order."""
    return tuple((n, REQUIRED) for n in required) + tuple(optional.items())




@dataclass(frozen=True)
class Weight:
    name: str
    shape: Tuple[Optional[int], ...]
    trainable: bool = True

    @cached_property
    def count(self) -> Optional[int]:
        """The number of values; None when unknown or symbolic (see ``symbolic_count``)."""
        count = product(self.shape)
        return count if isinstance(count, int) else None

    @property
    def symbolic_count(self):
        """The count as an int or a symbolic size (``64*x.shape[2]``); None when unknown."""
        return symbolic_product(self.shape)


@dataclass
class Binding:
    """Constructor arguments resolved against a signature, with what did not fit."""

    config: Dict[str, Any]
    problems: List[Tuple[str, str]]  # (kind, message)
    legacy: List[str]  # legacy spellings that were used


class LayerSpec:
    """One Keras layer class. Subclass, fill the class attributes, register."""

    name: ClassVar[str] = ""
    aliases: ClassVar[Tuple[str, ...]] = ()
    # Keras 3 constructor parameters in positional order: (name, default) pairs.
    signature: ClassVar[Tuple[Tuple[str, Any], ...]] = ()
    legacy_keywords: ClassVar[Dict[str, str]] = {}
    # Defaults that Keras 1/2 had for arguments Keras 3 requires: used, but still flagged.
    legacy_defaults: ClassVar[Dict[str, Any]] = {}
    # True when the layer is called on a list of tensors (merge layers).
    takes_list: ClassVar[bool] = False
    # Keras sets ``built`` in the constructor of some weightless layers: an uncalled one
    # then shows ``0``, not ``0 (unbuilt)``, in a summary.
    built_on_construction: ClassVar[bool] = False
    # Keras 2 recurrent layers read ``input_dim``/``input_length`` as (steps, features).
    is_recurrent: ClassVar[bool] = False
    # The parameters of the layer's ``call()``: tensors and options such as ``training``.
    call_signature: ClassVar[Tuple[Tuple[str, Any], ...]] = (("inputs", REQUIRED),)
    # The calls the last output-shape trace made (a Lambda's function, a custom layer's
    # call() on stand-ins), for the node that asked: graph.traced_calls.
    last_trace_calls: Optional[List[Any]] = None

    def __init__(self, config: Dict[str, Any], keras_version: str = "3"):
        self.config = config
        self.keras_version = keras_version  # Keras 2 truncates a fractional size; Keras 3 refuses it

    @classmethod
    def adapt_call(cls, spelled: str, args: List[Any], kwargs: Dict[str, Any]):
        """Rewrite a legacy call form (e.g. Keras 1 positional order) before binding."""
        return args, kwargs

    # --- argument access -------------------------------------------------------------
    def arg(self, key: str):
        value = self.config.get(key)
        if contains_unknown(value):
            raise Unresolved(key)
        return value

    def int_arg(self, key: str) -> int:
        value = self.arg(key)
        if isinstance(value, Sym):  # a size only the data knows (``Dense(num_classes)``)
            return value
        if isinstance(value, bool):  # Keras takes True as 1
            return int(value)
        if not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            if isinstance(value, float) and getattr(self, "keras_version", "3") == "2":
                return int(value)  # tf.keras: ``int(units)``
            if isinstance(value, float) and key in WEIGHT_SIZES:  # no weight can be made that size
                raise ShapeError("bad_argument", f"`{key}` must be an integer, got {value!r}")
            # Not said to be what Keras refuses (values.py says that): the count is just not known.
            raise ShapeError("not_integer", f"`{key}` must be an integer, got {value!r}")
        return value

    def tuple_arg(self, key: str, rank: int) -> Tuple:
        return as_tuple(self.arg(key), rank, key)

    @property
    def data_format(self) -> str:
        value = self.arg("data_format") if "data_format" in self.config else None
        if value is None:
            return "channels_last"
        return DIM_ORDERING.get(value, value)

    # --- one call: most layers take one input; others override these three -------------
    def call_output(self, shapes: Dict[str, Any], options: Dict[str, Any]):
        """Output shape(s) of a call. ``shapes`` maps each tensor argument of ``call()`` to its
        shape (a list of shapes for a list of tensors); ``options`` holds the other arguments.
        Return one shape, or a list of shapes for a layer with several outputs."""
        return self.output_shape(shapes[self.first_input])

    @property
    def first_input(self) -> str:
        """The name of ``call()``'s first parameter: the tensor a single-input layer takes."""
        return self.call_signature[0][0]

    def executed_output(self, shapes: Dict[str, Any], options: Dict[str, Any]):
        """Output of the call when it really runs (inside a layer Keras cannot infer
        statically, such as Pipeline), where checks that static inference skips apply."""
        return self.call_output(shapes, options)

    def build_weights(self, shapes: Dict[str, Any]) -> List[Weight]:
        return self.weights(shapes[self.first_input])

    def weights_without_input(self) -> Optional[List[Weight]]:
        """The weights a call on an input of unknown shape builds, when they do not depend on
        it (a model already built, used as a layer); None when they do."""
        return None

    def weights_for(self, shapes: Dict[str, Any]) -> List[Weight]:
        """The weights a call builds; like Keras, refuse a weight whose shape is not defined."""
        weights = self.build_weights(shapes)
        for weight in weights:
            if None in weight.shape:
                raise ShapeError(
                    "undefined_dim",
                    f"{self.name} needs a defined size for its `{weight.name}` weight, got shape {weight.shape}",
                )
        return weights

    def build_formula(self, shapes: Dict[str, Any]) -> Optional[str]:
        return self.formula(shapes[self.first_input])

    # --- what single-input subclasses provide ------------------------------------------
    def output_shape(self, input_shape):
        """Output shape for ``input_shape`` (a list of shapes when ``takes_list``)."""
        return input_shape

    def weights(self, input_shape) -> List[Weight]:
        return []

    def formula(self, input_shape) -> Optional[str]:
        """Human-readable parameter formula, e.g. ``(3*3*64 + 1) * 128``."""
        return None

    def units(self) -> Optional[int]:
        """Neurons in the layer: units or filters; ``None`` for layers without neurons."""
        return None


_REGISTRY: Dict[str, Type[LayerSpec]] = {}


def register(spec: Type[LayerSpec]) -> Type[LayerSpec]:
    """Class decorator adding ``spec`` to the catalog under its name and aliases."""
    for key in (spec.name, *spec.aliases):
        if key in _REGISTRY and _REGISTRY[key] is not spec:
            raise RuntimeError(f"layer {key!r} registered twice")
        _REGISTRY[key] = spec
    return spec


def lookup(name: str) -> Optional[Type[LayerSpec]]:
    from . import load_catalog

    load_catalog(everyday_only=True)
    if name not in _REGISTRY:
        load_catalog()
    return _REGISTRY.get(name)


def all_specs() -> List[Type[LayerSpec]]:
    from . import load_catalog

    load_catalog()
    return sorted(set(_REGISTRY.values()), key=lambda s: s.name)


# Arguments that size a weight: a fraction there is refused when Keras builds the layer
# (an ``axis`` of 1.5 is not: Keras takes ``int()`` of it).
WEIGHT_SIZES = frozenset({"filters", "units", "depth_multiplier", "output_dim", "input_dim", "num_heads", "key_dim",
                          "value_dim", "n"})

# Binding problems that mean Keras refuses the call itself (AL105).
REFUSED_CALLS = ("unknown_keyword", "duplicate_argument", "too_many_positional", "missing_argument")


def bind(spec: Type[LayerSpec], args: List[Any], kwargs: Dict[str, Any], spelled: str = "",
         keras_version: str = "3") -> Binding:
    """Resolve call arguments against ``spec.signature`` the way Python would.

    ``spelled`` is the class name as written (an alias such as ``Convolution2D``),
    which decides whether a legacy positional form applies. On a Keras 2 target
    (``keras_version="2"``) what Keras 2 accepts and Keras 3 refuses is legacy (AL401),
    not a problem, and what only Keras 3 accepts is a problem.
    """
    written = set(kwargs)
    adapted_args, adapted_kwargs = spec.adapt_call(spelled or spec.name, list(args), dict(kwargs))
    names = [n for n, _ in spec.signature]
    config: Dict[str, Any] = {}
    problems: List[Tuple[str, str]] = []
    # Keras 1 call forms the adapter rewrote: kernel rows/cols as keywords or positions.
    legacy: List[str] = [k for k in kwargs if k not in adapted_kwargs]
    if len(adapted_args) < len(args):
        legacy.append("positional kernel size")
    args, kwargs = adapted_args, adapted_kwargs
    if len(args) > len(names):
        problems.append(
            (
                "too_many_positional",
                f"{spec.name} takes at most {len(names)} positional argument"
                f"{'s' if len(names) != 1 else ''}, got {len(args)}",
            )
        )
    for name, value in zip(names, args):
        config[name] = value
    for key, value in kwargs.items():
        target = key
        legacy_target = spec.legacy_keywords.get(key, COMMON_LEGACY_KEYWORDS.get(key) if key not in BASE_KEYWORDS else None)
        if key not in names and (key in spec.legacy_keywords or legacy_target is not None):
            target = legacy_target
            legacy.append(key)
            if target is None:  # a Keras 1 knob with no Keras 3 meaning
                continue
            if key == "dim_ordering" and value in DIM_ORDERING:
                value = DIM_ORDERING[value]
        if target not in names and target not in BASE_KEYWORDS:
            if keras_version == "2" and keras2.keras2_only(spec.name, key):
                legacy.append(key)  # Keras 2 takes it (and Keras 3 would refuse it)
                continue
            problems.append(("unknown_keyword", f"{spec.name} got an unexpected keyword `{key}`"))
            continue
        if keras_version == "3" and key in KERAS2_INPUT_KEYWORDS and key not in names and key in written:
            if spec.name == "Embedding" and key == "input_length":
                continue  # deprecated and ignored: it declares no input
            if spelled and spelled != spec.name:  # a Keras 1 class name: the call is legacy as a whole
                legacy.append(key)
            else:
                problems.append(("unknown_keyword", f"{spec.name} got an unexpected keyword `{key}` (Keras 2; "
                                                    f"Keras 3 {KERAS2_INPUT_KEYWORDS[key]})"))
        if keras_version == "2" and keras2.keras3_only(spec.name, key):
            problems.append(("unknown_keyword", f"{spec.name} got an unexpected keyword `{key}` (new in Keras 3)"))
            continue
        if target in config and target in names:
            problems.append(("duplicate_argument", f"{spec.name} got `{key}` twice"))
        config[target] = value
    for name, default in spec.signature:
        if name not in config:
            if default is REQUIRED and keras_version == "2" and name in spec.legacy_defaults:
                config[name] = spec.legacy_defaults[name]  # Keras 2's default; Keras 3 requires it
                legacy.append(f"{KERAS2_DEFAULT}{name}")
            elif default is REQUIRED:
                problems.append(("missing_argument", f"{spec.name} needs `{name}`"))
                config[name] = spec.legacy_defaults.get(name, UNKNOWN)
            else:
                config[name] = default
    for name, default in BASE_KEYWORDS.items():
        config.setdefault(name, default)
    return Binding(config, problems, legacy)


def declared_input_shape(config: Dict[str, Any], takes_input_dim: bool = True, sequence: bool = False):
    """The batch shape a layer declares through ``input_shape``/``input_dim``/``batch_input_shape``.

    ``takes_input_dim`` is False for layers where ``input_dim`` is an argument of their
    own (Embedding's vocabulary size). ``sequence`` marks Keras 2 recurrent layers, where
    ``input_dim`` is the feature size of each step and ``input_length`` the step count.
    """
    if config.get("batch_input_shape") is not None:
        value = config["batch_input_shape"]
        return tuple(value) if isinstance(value, (tuple, list)) else UNKNOWN
    batch = config.get("batch_size")
    if config.get("input_shape") is not None:
        value = config["input_shape"]
        if isinstance(value, int):
            value = (value,)
        return (batch, *value) if isinstance(value, (tuple, list)) else UNKNOWN
    length = config.get("input_length")
    if takes_input_dim and config.get("input_dim") is not None:
        if sequence:
            return (batch, length, config["input_dim"])
        return (batch, config["input_dim"])
    if not takes_input_dim and length is not None:
        return (batch, length)
    return None
