"""The argument values AL110 refuses are exactly those real Keras refuses when it creates the
layer: every row of ``archlint/layers/values.py`` is tried in Keras with probe values (zero,
negative, fractional, strings, tuples, booleans, None, unknown names) and archlint's verdict
must match Keras's, both ways."""

import warnings

import pytest

keras = pytest.importorskip("keras")

from archlint.layers.values import ACTIVATIONS, CHECKS, refusal  # noqa: E402

PROBES = [0, -1, 1, 3, 2.5, 3.0, True, False, None, "3", "33", "same", "SAME", "causal", "bogus", "relu", "Relu",
          "channels_first", "Channels_Last", (2, 2), (0, 1), (2.5, 3), [2, 2], (2, 2, 2), (1,), 0.5, 1.5, -0.1]

# A valid value for each argument a probe row may need besides the one probed.
VALID = {"units": 3, "filters": 4, "kernel_size": 3, "pool_size": 2, "rate": 0.5, "input_dim": 10, "output_dim": 4,
         "num_heads": 2, "key_dim": 4, "size": 2, "stddev": 0.1, "activation": "relu"}
REQUIRED = {"Dense": ["units"], "SimpleRNN": ["units"], "GRU": ["units"], "LSTM": ["units"], "SimpleRNNCell": ["units"],
            "GRUCell": ["units"], "LSTMCell": ["units"], "Embedding": ["input_dim", "output_dim"],
            "MultiHeadAttention": ["num_heads", "key_dim"], "Activation": ["activation"],
            "GaussianNoise": ["stddev"]}


def _required(class_name: str):
    if class_name in REQUIRED:
        return REQUIRED[class_name]
    if "Depthwise" in class_name:
        return ["kernel_size"]
    if "Conv" in class_name:
        return ["filters", "kernel_size"]
    if class_name.startswith(("Dropout", "SpatialDropout", "GaussianDropout", "AlphaDropout")):
        return ["rate"]
    if class_name.startswith("AveragePooling"):
        return ["pool_size"]
    return []


SIZES = {"kernel_size", "strides", "dilation_rate", "pool_size", "size", "output_padding"}
ROWS = sorted({(name, argument) for argument, classes, _ in CHECKS for name in classes})


def keras_refuses(class_name: str, kwargs: dict) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            getattr(keras.layers, class_name)(**kwargs)
        except Exception:  # noqa: BLE001 - any refusal counts
            return True
    return False


@pytest.mark.parametrize("class_name, argument", ROWS, ids=[f"{c}.{a}" for c, a in ROWS])
def test_archlint_refuses_what_keras_refuses(class_name, argument):
    base = {key: VALID[key] for key in _required(class_name) if key != argument}
    if argument == "output_padding":
        base["strides"] = 4  # output_padding must stay below the strides
    if argument == "groups":
        base["filters"] = 15  # divisible by every group count probed (2.5 and 1.5 too)
    rank = next((int(c) for c in class_name if c.isdigit()), None)
    disagreements = []
    for value in PROBES:
        if argument in SIZES and isinstance(value, (tuple, list)) and len(value) != rank:
            continue  # a size tuple of the wrong length is AL104's, reported where the layer is called
        kwargs = {**base, argument: value}
        said = refusal(class_name, kwargs) is not None
        if said != keras_refuses(class_name, kwargs):
            disagreements.append((value, "archlint refuses" if said else "Keras refuses"))
    false_errors = [d for d in disagreements if d[1] == "archlint refuses"]
    assert false_errors == [], false_errors
    assert disagreements == [], disagreements


def test_the_activation_names_are_keras_own():
    from keras.src.activations import ALL_OBJECTS_DICT

    assert ACTIVATIONS == set(ALL_OBJECTS_DICT)
