"""Keras 2 helpers that Keras 3 dropped, interpreted from their documented behaviour.

``_obtain_input_shape`` is checked against Keras 3's own ``obtain_input_shape``, the same
function under its new name, on every kind of call a zoo builder makes.
"""

import pytest

from archlint.interpreter.legacy_keras import obtain_input_shape
from archlint.unknown import UNKNOWN

CALLS = [
    (None, 224, 32, "channels_last", True, "imagenet"),
    (None, 224, 32, "channels_last", False, None),
    (None, 224, 32, "channels_first", True, None),
    ((160, 160, 3), 224, 32, "channels_last", False, "imagenet"),
    ((96, 128, 1), 224, 32, "channels_last", False, None),
    ((1, 96, 128), 224, 32, "channels_first", False, None),
    ((None, None, 3), 224, 32, "channels_last", False, None),
    ((None, None, 3), 224, 32, "channels_last", True, None),  # a flattening top needs every dim: Keras raises
    ((16, 16, 3), 224, 32, "channels_last", False, None),  # too small: Keras raises
    ((160, 160, 3), 224, 32, "channels_last", True, "imagenet"),  # not the default: Keras raises
]


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_obtain_input_shape_is_keras_3s(call):
    pytest.importorskip("keras")
    from keras.src.applications.imagenet_utils import obtain_input_shape as keras_obtain

    try:
        expected = keras_obtain(*call)
    except ValueError:
        expected = UNKNOWN
    got = obtain_input_shape(*call)
    assert got == (tuple(expected) if expected is not UNKNOWN else UNKNOWN)
