"""What the operations between layers compute (``x + 1``, ``ops.relu(x)``, ``x[:, 0]``,
``tf.nn.max_pool2d``), by the class the op registry gives them: ``OPERATIONS`` is the one
place to add an operation's cost, ``OPERATIONS_NOT_COSTED`` lists those that have none.
Element-wise math counts as TensorFlow's profiler counts it."""

from __future__ import annotations

from typing import Callable, Dict

from .cost_counts import UNKNOWN, Cost, add, per_value, times, values
from .symbolic import symbolic_product


def _reduction(ops: int, less_outputs: bool = False):
    """``ops`` operations on every value of the first input (a mean, a maximum); with
    ``less_outputs``, one fewer per value it is reduced to."""

    def cost(layer, inputs, outputs) -> Cost:
        flops = times(ops, values(inputs[0]))
        return Cost(0, add(flops, times(-1, values(outputs[0]))) if less_outputs else flops)

    return cost


def _pool_operation(layer, inputs, outputs) -> Cost:
    """``ops.max_pool(x, pool_size, ...)``, ``tf.nn.max_pool2d(x, ksize, ...)``: every output
    value reads its window (TensorFlow's ``[1, k, k, 1]`` or one size for every axis)."""
    window = layer.spec.operands[1] if len(getattr(layer.spec, "operands", ())) > 1 else None
    rank = len(outputs[0]) - 2 if outputs[0] is not None else 0
    if isinstance(window, int):
        window = (window,) * rank
    if isinstance(window, (list, tuple)) and len(window) == rank + 2:
        window = window[1:-1]
    if not isinstance(window, (list, tuple)) or len(window) != rank or not all(isinstance(w, int) for w in window):
        return UNKNOWN
    return Cost(0, times(symbolic_product(window), values(outputs[0])))


def _matmul(layer, inputs, outputs) -> Cost:
    """Every output value sums the products along the first operand's last axis."""
    if len(inputs) < 2 or inputs[0] is None or not len(inputs[0]):
        return UNKNOWN
    macs = times(values(outputs[0]), inputs[0][-1])
    return Cost(macs, times(2, macs))


OPERATIONS: Dict[str, Callable] = {
    **{name: per_value(1) for name in (
        "Absolute", "Add", "Subtract", "Multiply", "Divide", "TrueDivide", "FloorDivide", "Mod", "Power", "Maximum",
        "Minimum", "Ceil", "Floor", "Round", "Sign", "Clip", "ClipByValue", "Cos", "Sin", "Exp", "Expm1", "Exponential",
        "Log", "Log1p", "Negative", "Reciprocal", "Sqrt", "Square", "Erf", "Relu", "Relu6", "Sigmoid", "Tanh",
        "Elu", "Selu", "Gelu", "Silu", "Swish", "HardSigmoid", "HardSilu", "HardSwish", "LeakyRelu", "LogSigmoid",
        "Softplus", "Softsign", "NanToNum", "Equal", "NotEqual", "Greater", "GreaterEqual", "Less", "LessEqual",
        "LogicalAnd", "LogicalOr", "LogicalXor", "LogicalNot")},
    "Rsqrt": per_value(2),  # a root and a division, as TensorFlow counts it
    "Softmax": per_value(5), "LogSoftmax": per_value(5),
    **{name: per_value(0) for name in (
        "Linear", "Identity", "StopGradient", "Cast", "ConvertToTensor", "ExpandDims", "Squeeze", "Reshape",
        "Transpose", "PermuteDimensions", "Concat", "Concatenate", "Stack", "Split", "GetItem", "Tile", "Repeat",
        "RepeatElements", "Pad", "BatchFlatten", "SpaceToDepth", "DepthToSpace", "OnesLike", "ZerosLike")},
    **{name: _reduction(1) for name in (
        "Mean", "Max", "Min", "Prod", "All", "Any", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceAll",
        "ReduceAny")},
    # A sum of n values is n - 1 additions (as TensorFlow counts Sum, ArgMax and ArgMin).
    **{name: _reduction(1, less_outputs=True) for name in ("Sum", "ReduceSum", "Argmax", "Argmin")},
    **{name: _reduction(2) for name in ("Logsumexp", "ReduceLogsumexp")},  # an exponential and a sum per value
    **{name: _reduction(3) for name in ("Std", "Var", "ReduceStd", "ReduceVariance", "L2Normalize")},
    "Matmul": _matmul, "Dot": _matmul,
    **{name: _pool_operation for name in ("AveragePool", "AvgPool", "AvgPool2d", "MaxPool", "MaxPool2d")},
}
# Operations whose cost is not counted: resizing (by an interpolation the registry does not
# keep) and a batched product over given axes.
OPERATIONS_NOT_COSTED = ("Resize", "ResizeImages", "BatchDot")
