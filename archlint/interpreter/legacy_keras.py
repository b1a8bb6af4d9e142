"""Keras 2 helpers that model zoos import and Keras 3 no longer has, by their old paths.

``_obtain_input_shape`` (``keras_applications.imagenet_utils`` / ``keras.applications.
imagenet_utils`` in Keras 2.2) answers the input shape a zoo builder should use; it is
interpreted here from its documented behaviour on plain values. Nothing is imported.
"""

from __future__ import annotations

from typing import Any, Optional

from ..unknown import UNKNOWN, contains_unknown
from .values import Builtin

_OBTAIN_PARAMS = ("input_shape", "default_size", "min_size", "data_format", "require_flatten", "weights")


def obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten, weights=None) -> Any:
    """The model input shape: the one given when it is valid, else the default for
    ``default_size`` (with ``None`` spatial dims when no flattening top is built)."""
    first = data_format == "channels_first"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if first else input_shape[-1]
    else:
        channels = 3
    default = (channels, default_size, default_size) if first else (default_size, default_size, channels)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default:
            return UNKNOWN  # Keras raises: the analysis does not guess
        return default
    if input_shape:
        if len(input_shape) != 3:
            return UNKNOWN
        spatial = input_shape[1:] if first else input_shape[:2]
        if any(d is not None and d < min_size for d in spatial):
            return UNKNOWN
        if require_flatten and None in input_shape:
            return UNKNOWN
        return tuple(input_shape)
    shape = default if require_flatten else ((3, None, None) if first else (None, None, 3))
    return shape


def _obtain(interp, args, kwargs, site) -> Any:
    bound = dict(zip(_OBTAIN_PARAMS, args))
    bound.update({k: v for k, v in kwargs.items() if k in _OBTAIN_PARAMS})
    if len(bound) < 5 or contains_unknown(list(bound.values())) or set(kwargs) - set(_OBTAIN_PARAMS):
        return UNKNOWN
    shape = bound["input_shape"]
    if shape is not None and not isinstance(shape, (tuple, list)):
        return UNKNOWN
    return obtain_input_shape(**bound)


FUNCTIONS = {
    "keras_applications.imagenet_utils._obtain_input_shape": Builtin("_obtain_input_shape", _obtain),
    "keras.applications.imagenet_utils._obtain_input_shape": Builtin("_obtain_input_shape", _obtain),
}


def function_for(path: str, keras_path: Optional[str]) -> Optional[Builtin]:
    return FUNCTIONS.get(keras_path or path)
