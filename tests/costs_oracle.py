"""The cost oracle: what TensorFlow's own operation counts say each layer of the
``fixtures/costs`` models computes, written to ``tests/goldens/costs/``.

    KERAS_BACKEND=tensorflow python tests/costs_oracle.py [--check]

Needs TensorFlow (the ``keras2`` extra installs it). Each fixture runs as ``python
fixture.py`` would; for every model it binds at module level, each layer is traced alone
into a graph for one sample, on inputs of the shapes it was called on, its weights frozen
into constants, and every operation of the graph is counted with the floating-point
statistics TensorFlow registers for it (the numbers ``tf.compat.v1.profiler`` adds up).
Per layer, and for each model's whole forward pass, the golden keeps the counts by
operation type; operations TensorFlow registers no count for are listed with ``null``. The
``applications`` golden holds the same counts
for every ``keras.applications`` builder traced whole, each in a process of its own.
``--check`` only reports the goldens that differ; ``--only NAME`` runs one.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
from pathlib import Path

# TensorFlow's operations that multiply and accumulate: two FLOPs per multiply-add.
PRODUCTS = {"Conv2D", "Conv3D", "MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3", "DepthwiseConv2dNative",
            "Einsum"}
# Where TensorFlow's count is of its implementation, not of the layer's products: a
# dilated convolution runs on a space-to-batch copy padded to whole strides; a transposed
# convolution, as the gradient of a convolution, is counted at every output value; a loop
# (a recurrent layer not unrolled) has the operations of its body counted once, not per step.
IMPLEMENTATION = {"SpaceToBatchND", "Conv2DBackpropInput", "Conv3DBackpropInputV2", "While", "StatelessWhile",
                  "LoopCond"}

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "costs"
GOLDENS = ROOT / "tests" / "goldens" / "costs"


def fixture_files() -> list:
    return sorted(FIXTURES.glob("*.py"))


def operation_counts(model) -> dict:
    """{layer name: {operation type: FLOPs (None when not registered)}} for one sample.

    Each layer is traced alone, on inputs of the shapes it was called on in the model: its
    operations are all its own, and every shape in its graph is known."""
    counts: dict = {}
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer" or len(layer._inbound_nodes) != 1:
            continue
        inputs = layer.input if isinstance(layer.input, list) else [layer.input]
        counts[layer.name] = _layer_counts(layer, [tuple(t.shape[1:]) for t in inputs], isinstance(layer.input, list))
    return counts


def _layer_counts(layer, shapes, as_list: bool) -> dict:
    if type(layer).__name__ in ("MultiHeadAttention", "GroupedQueryAttention"):
        return traced_counts(lambda *xs: layer(*xs, training=False), shapes)
    if type(layer).__name__ == "ReversibleEmbedding":  # the fixtures call it reversed
        return traced_counts(lambda x: layer(x, reverse=True), shapes)
    return traced_counts(lambda *xs: layer(list(xs) if as_list else xs[0], training=False), shapes)


def traced_counts(function, shapes) -> dict:
    """{operation type: FLOPs} of ``function`` traced on one sample of each input shape,
    its variables frozen into constants (which gives every shape in the graph)."""
    import tensorflow as tf
    from tensorflow.python.framework import ops
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    specs = [tf.TensorSpec([1, *shape], tf.float32) for shape in shapes]
    call = tf.function(function, autograph=False)
    graph = convert_variables_to_constants_v2(call.get_concrete_function(*specs)).graph
    by_type: dict = {}
    _count_graph(graph, by_type, ops)
    return by_type


def _count_graph(graph, by_type: dict, ops) -> None:
    """Add up ``graph``'s operations by type, going into the functions it calls."""
    for operation in graph.get_operations():
        if operation.type in ("Const", "Identity", "NoOp", "Placeholder"):
            continue
        if operation.type in ("PartitionedCall", "StatefulPartitionedCall"):
            from tensorflow.python.framework.function_def_to_graph import function_def_to_graph

            function = graph._get_function(operation.get_attr("f").name)
            inner = function_def_to_graph(function.definition, input_shapes=[t.shape for t in operation.inputs])
            _count_graph(inner, by_type, ops)
            continue
        if operation.type == "Einsum":
            flops = _einsum_flops(operation)
        else:
            try:
                flops = ops.get_stats_for_node_def(graph, operation.node_def, "flops").value
            except ValueError:  # no statistics registered for this operation type
                flops = None
        if flops is None:
            by_type.setdefault(operation.type, None)
        else:
            by_type[operation.type] = (by_type.get(operation.type) or 0) + int(flops)


def _einsum_flops(operation):
    """TensorFlow registers no count for Einsum: two per product of one value of each
    operand, that is twice the product of the sizes of every index in the equation."""
    inputs, _ = operation.get_attr("equation").decode().replace(" ", "").split("->")
    sizes = {}
    for letters, tensor in zip(inputs.split(","), operation.inputs):
        dims = tensor.shape.as_list()
        if "." in letters or len(letters) != len(dims) or None in dims:
            return None
        sizes.update(zip(letters, dims))
    product = 1
    for size in sizes.values():
        product *= size
    return 2 * product


def whole_counts(model) -> dict:
    """{operation type: FLOPs} of the whole model's forward pass for one sample: on its
    inputs, or for a subclassed model on the input it was last built or called on. Its
    recurrent layers are unrolled, so that every step is in the graph (a loop's body is
    counted once); where a sequence length is open, Keras cannot unroll them, and they stay
    loops."""
    recurrent = [layer for layer in model._flatten_layers() if hasattr(layer, "unroll")]  # noqa: SLF001
    for layer in recurrent:
        layer.unroll = True
    try:
        return _traced_whole(model)
    except ValueError:
        if not recurrent:
            raise
        for layer in recurrent:
            layer.unroll = False
        return _traced_whole(model)


def _traced_whole(model) -> dict:
    import keras

    if isinstance(model, keras.Sequential) or model.__class__.__name__ == "Functional":
        shapes = [tuple(t.shape[1:]) for t in model.inputs]
        return traced_counts(lambda *xs: model(list(xs) if len(xs) > 1 else xs[0], training=False), shapes)
    shape = model._build_shapes_dict["input_shape"]  # noqa: SLF001 - where Keras keeps it
    return traced_counts(lambda x: model(x, training=False), [tuple(shape[1:])])


def describe(fixture: Path) -> dict:
    """{model: {"layers": each layer's counts, "whole": the whole forward pass's}}."""
    import keras

    keras.backend.clear_session()  # each fixture names its layers from scratch, as in its own process
    namespace = runpy.run_path(str(fixture), run_name="__main__")
    models = {value.name: value for value in namespace.values() if isinstance(value, keras.Model)}
    return {name: {"layers": operation_counts(model), "whole": whole_counts(model)} for name, model in sorted(models.items())}


def describe_applications() -> dict:
    """Every builder of ``keras.applications``, whole, on one sample of its default input
    (224 by 224 where the default leaves the size open): {"keras": version, "models":
    {builder: {"entry": the call that built it, "counts": {operation type: FLOPs}}}}.
    Each is traced in a process of its own, which gives its memory back."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import keras

    names = sorted(n for n in dir(keras.applications) if n[:1].isupper())
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context, max_tasks_per_child=1) as pool:
        models = dict(zip(names, pool.map(_application_counts, names)))
    return {"keras": keras.__version__, "models": models}


def _application_counts(name: str) -> dict:
    import keras

    entry = f"{name}(weights=None)"
    model = getattr(keras.applications, name)(weights=None)
    if None in model.input_shape[1:]:
        entry = f"{name}(weights=None, input_shape=(224, 224, 3))"
        model = getattr(keras.applications, name)(weights=None, input_shape=(224, 224, 3))
    return {"entry": entry, "counts": traced_counts(lambda x: model(x, training=False), [model.input_shape[1:]])}


def _json(value) -> str:
    return json.dumps(value, indent=1, sort_keys=True) + "\n"


def main(argv=None) -> int:
    from golden_files import write_or_check

    cases = {fixture.stem: (lambda fixture=fixture: _json(describe(fixture))) for fixture in fixture_files()}
    cases["applications"] = lambda: _json(describe_applications())
    return write_or_check(__doc__.splitlines()[0], cases, GOLDENS, argv)


if __name__ == "__main__":
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.exit(main())
