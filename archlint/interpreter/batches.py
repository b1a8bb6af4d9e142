"""Image batch sources whose shapes the call states: ``ImageDataGenerator().flow_from_directory``,
``.flow(x, y)`` and ``keras.utils.image_dataset_from_directory``.

A ``Batches`` value is what ``fit()`` reads from such a source: the shape of a batch of
images (``target_size``/``image_size`` and ``color_mode``) and of its labels
(``class_mode``/``label_mode``), with ``None`` for what only the files on disk know (the
number of classes behind one-hot labels). Nothing here lists a directory or reads a file;
augmentation arguments are not followed (they change values, not shapes).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Optional

from ..graph import Site
from ..unknown import UNKNOWN
from .arrays import Array, Dims, dims_of

_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}


@dataclass(frozen=True)
class ImageGenerator:
    """An ``ImageDataGenerator``: only its ``flow*`` methods are followed."""

    data_format: str = "channels_last"


@dataclass(frozen=True)
class Batches:
    """Batches ``fit()`` reads: ``data`` and ``labels`` are batch shapes (``None`` first);
    ``labels`` is None when the source yields none; ``label_mode`` says how the call chose
    them, for messages (``class_mode='binary'``)."""

    data: Dims
    labels: Optional[Dims]
    label_mode: str
    color_mode: str = ""  # how the call chose the channels, for messages
    one_hot: bool = False  # labels are one-hot vectors (over classes only the files know)
    site: Optional[Site] = None  # the call that made them


def _keyword(args, kwargs, index: int, name: str, default: Any) -> Any:
    if name in kwargs:
        return kwargs[name]
    return args[index] if len(args) > index else default


def _image_shape(size: Any, color_mode: Any, channels_first: bool) -> Optional[Dims]:
    dims = dims_of(size)
    channels = _CHANNELS.get(color_mode) if isinstance(color_mode, str) else None
    if dims is None or len(dims) != 2 or channels is None:
        return None
    return (None, channels, *dims) if channels_first else (None, *dims, channels)


def _labels(mode: Any, images: Dims, modes: dict) -> Any:
    """The label batch shape a ``class_mode``/``label_mode`` gives; UNKNOWN for a mode not known."""
    if mode is None:
        return None
    if mode == "input":
        return images
    return modes.get(mode, UNKNOWN) if isinstance(mode, str) else UNKNOWN


# flow_from_directory's class modes: one-hot over the sub-directories, 0/1, class numbers.
_CLASS_MODES = {"categorical": (None, None), "binary": (None,), "sparse": (None,)}
# image_dataset_from_directory's label modes.
_LABEL_MODES = {"categorical": (None, None), "binary": (None, 1), "int": (None,)}


def flow_from_directory(generator: ImageGenerator, args, kwargs) -> Any:
    """``flow_from_directory(directory, target_size=(256, 256), color_mode="rgb", classes=None,
    class_mode="categorical", ...)``."""
    color = _keyword(args, kwargs, 2, "color_mode", "rgb")
    images = _image_shape(_keyword(args, kwargs, 1, "target_size", (256, 256)), color,
                          generator.data_format == "channels_first")
    mode = _keyword(args, kwargs, 4, "class_mode", "categorical")
    if images is None:
        return UNKNOWN
    labels = _labels(mode, images, _CLASS_MODES)
    if labels is UNKNOWN:
        return UNKNOWN
    return Batches(images, labels, f"class_mode={mode!r}", f"color_mode={color!r}", mode == "categorical")


def flow(generator: ImageGenerator, args, kwargs) -> Any:
    """``flow(x, y=None, batch_size=32, ...)``: batches of the arrays themselves."""
    x, y = _keyword(args, kwargs, 0, "x", UNKNOWN), _keyword(args, kwargs, 1, "y", None)
    if not isinstance(x, Array) or not (y is None or isinstance(y, Array)):
        return UNKNOWN
    # The labels are the arrays' own: read like arrays given to fit() (no label mode to name).
    return Batches((None, *x.shape[1:]), None if y is None else (None, *y.shape[1:]), "", "",
                   y is not None and y.one_hot)


def image_dataset_from_directory(args, kwargs) -> Any:
    """``keras.utils.image_dataset_from_directory(directory, labels="inferred", label_mode="int",
    class_names=None, color_mode="rgb", batch_size=32, image_size=(256, 256), ...)``."""
    color = _keyword(args, kwargs, 4, "color_mode", "rgb")
    images = _image_shape(_keyword(args, kwargs, 6, "image_size", (256, 256)), color,
                          kwargs.get("data_format") == "channels_first")
    labels_from = _keyword(args, kwargs, 1, "labels", "inferred")
    mode = _keyword(args, kwargs, 2, "label_mode", "int")
    if images is None or labels_from != "inferred":
        return UNKNOWN
    labels = _labels(mode, images, _LABEL_MODES)
    if labels is UNKNOWN:
        return UNKNOWN
    return Batches(images, labels, f"label_mode={mode!r}", f"color_mode={color!r}", mode == "categorical")


METHODS = {"flow_from_directory": flow_from_directory, "flow": flow}


def image_generator(args, kwargs) -> Any:
    data_format = kwargs.get("data_format")
    if data_format is not None and data_format not in ("channels_last", "channels_first"):
        return UNKNOWN
    return ImageGenerator(data_format or "channels_last")


def call_method(generator: ImageGenerator, name: str, args, kwargs) -> Any:
    method = METHODS.get(name)
    return method(generator, args, kwargs) if method is not None else UNKNOWN


FUNCTIONS = {
    "keras.preprocessing.image.ImageDataGenerator": image_generator,
    "keras.utils.image_dataset_from_directory": image_dataset_from_directory,
    "keras.preprocessing.image_dataset_from_directory": image_dataset_from_directory,
}


def function_for(keras_path: Optional[str]):
    """The batch-source constructor a Keras path names, or None."""
    return FUNCTIONS.get(keras_path) if keras_path else None


def made_at(value: Any, site: Site) -> Any:
    """``value`` with the call that made it, when it is a batch source."""
    return replace(value, site=site) if isinstance(value, Batches) else value
