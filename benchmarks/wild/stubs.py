"""Helpers the manifest's stub expressions may call, for data a program reads at run time.

Only shapes and dtypes matter to a model's summary, so every stand-in is zeros of the
documented shape: nothing is downloaded and no file is read. ``dataset("mnist")``
replaces ``keras.datasets.mnist.load_data``; ``zeros`` and ``ones`` are numpy's; ``returns``
makes a function that ignores its arguments and returns a value (for a loader function).
"""

from __future__ import annotations

import numpy as np

__all__ = ["dataset", "zeros", "ones", "returns"]

# keras.datasets.*.load_data(): (x_train, y_train), (x_test, y_test) shapes as Keras documents them.
DATASET_SHAPES = {
    "mnist": (((60000, 28, 28), "uint8", (60000,)), ((10000, 28, 28), "uint8", (10000,))),
    "fashion_mnist": (((60000, 28, 28), "uint8", (60000,)), ((10000, 28, 28), "uint8", (10000,))),
    "cifar10": (((50000, 32, 32, 3), "uint8", (50000, 1)), ((10000, 32, 32, 3), "uint8", (10000, 1))),
    "cifar100": (((50000, 32, 32, 3), "uint8", (50000, 1)), ((10000, 32, 32, 3), "uint8", (10000, 1))),
    "boston_housing": (((404, 13), "float64", (404,)), ((102, 13), "float64", (102,))),
    "california_housing": (((16512, 8), "float64", (16512,)), ((4128, 8), "float64", (4128,))),
}

zeros = np.zeros
ones = np.ones


def returns(value):
    def loader(*args, **kwargs):
        return value

    return loader


def dataset(name: str):
    """A stand-in for ``keras.datasets.NAME.load_data`` returning zeros of the real shapes.

    The first labels run through every class index once (the rest are zeros), so that
    ``np.max(y) + 1`` and ``len(np.unique(y))`` give the real number of classes.
    """
    classes = {"mnist": 10, "fashion_mnist": 10, "cifar10": 10, "cifar100": 100}.get(name)

    def load_data(*args, **kwargs):
        parts = []
        for x_shape, dtype, y_shape in DATASET_SHAPES[name]:
            x = np.zeros(x_shape, dtype=dtype)
            y = np.zeros(y_shape, dtype="uint8" if classes else "float64")
            if classes:
                y.flat[: classes] = np.arange(classes)
            parts.append((x, y))
        return tuple(parts)

    return load_data
