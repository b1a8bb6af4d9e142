"""Core layers: InputLayer, Dense, EinsumDense, Embedding, ReversibleEmbedding, Masking, Lambda, Identity.

``einsum_dense_shapes`` derives an ``EinsumDense``'s kernel, bias and output shapes from
its equation the way Keras does; the attention layers build their projections with it.
"""

from __future__ import annotations

import re
from typing import List, NamedTuple, Optional

from ..shapes import Shape, ShapeError, require_min_rank
from ..unknown import contains_unknown
from .base import KERNEL_KEYWORDS, LayerSpec, Unresolved, Weight, params, register


@register
class InputLayer(LayerSpec):
    """The layer behind ``keras.Input``; the graph creates its tensor directly."""

    name = "InputLayer"
    signature = params(
        shape=None, batch_size=None, dtype=None, sparse=None, ragged=None,
        batch_shape=None, input_tensor=None, optional=False, name=None,
    )
    legacy_keywords = {"input_shape": "shape", "batch_input_shape": "batch_shape"}


@register
class Dense(LayerSpec):
    name = "Dense"
    signature = params(
        "units", activation=None, use_bias=True, **KERNEL_KEYWORDS,
        lora_rank=None, lora_alpha=None, quantization_config=None,
    )
    legacy_keywords = {"output_dim": "units"}

    def output_shape(self, input_shape):
        require_min_rank(input_shape, 2, "Dense")
        return (*input_shape[:-1], self.int_arg("units"))

    def weights(self, input_shape):
        units, fan_in = self.int_arg("units"), input_shape[-1]
        out = [Weight("kernel", (fan_in, units))]
        if self.arg("use_bias"):
            out.append(Weight("bias", (units,)))
        return out

    def formula(self, input_shape):
        units, fan_in = self.int_arg("units"), input_shape[-1]
        return f"({fan_in} + 1) * {units}" if self.arg("use_bias") else f"{fan_in} * {units}"

    def units(self):
        return self.int_arg("units")


class EinsumShapes(NamedTuple):
    kernel: Shape
    bias: Optional[Shape]
    output: Shape


# The three equation forms Keras accepts, with "..." spelled "0": (pattern, ellipsis on the left).
_EINSUM_FORMS = (
    (re.compile("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)"), False),
    (re.compile("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)"), True),
    (re.compile("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0"), False),
)


def _dim_at(dims, index: int, kind: str, what: str):
    if not -len(dims) <= index < len(dims):
        raise ShapeError(kind, what)
    return dims[index]


def einsum_dense_shapes(equation, bias_axes, input_shape: Shape, partial_output) -> EinsumShapes:
    """Kernel, bias (``None`` without ``bias_axes``) and output shapes of an ``EinsumDense``.

    Mirrors Keras's own analysis, quirks included: the output keeps ``None`` wherever
    ``output_shape`` says ``None``; input dims beyond an equation without ellipsis are
    appended to the output; dims elided on the left come out in reverse order.
    """
    if not isinstance(equation, str):
        raise ShapeError("bad_argument", f"EinsumDense `equation` must be a string, got {equation!r}")
    for pattern, left_elided in _EINSUM_FORMS:
        match = pattern.match(equation.replace("...", "0"))
        if match:
            break
    else:
        raise ShapeError(
            "bad_argument",
            f"invalid einsum equation {equation!r}: expected [X],[Y]->[Z], ...[X],[Y]->...[Z] or [X]...,[Y]->[Z]...",
        )
    input_spec, weight_spec, output_spec = match.groups()
    rank = len(input_shape)
    elided = rank - len(input_spec)
    partial = [partial_output] if isinstance(partial_output, int) else list(partial_output)
    output = [input_shape[0], *partial]
    if elided > 0 and left_elided:
        for index in range(1, elided):
            output.insert(1, input_shape[index])
    elif elided > 0:
        output.extend(input_shape[rank - elided:])
    offset = elided if left_elided else 0
    input_at = {d: i + elided - rank if left_elided else i for i, d in enumerate(input_spec)}
    output_at = {d: i + offset for i, d in enumerate(output_spec)}

    def input_dim(d):
        return _dim_at(input_shape, input_at[d], "wrong_rank",
                       f"EinsumDense input spec {input_spec!r} does not fit an input of rank {rank}")

    def output_dim(d):
        return _dim_at(output, output_at[d], "bad_argument_length",
                       f"EinsumDense `output_shape` {tuple(partial)} does not fit output spec {output_spec!r}")

    for d in input_spec:
        have = input_dim(d)
        want = output_dim(d) if d in output_at else None
        if want is not None and want != have:
            raise ShapeError(
                "bad_argument",
                f"EinsumDense input and `output_shape` differ on shared dimension {d!r}: {have} vs {want}",
            )
    for d in output_spec:
        if d not in input_spec and d not in weight_spec:
            raise ShapeError("bad_argument", f"EinsumDense output dimension {d!r} is in neither the input nor the weight spec")
    kernel = []
    for d in weight_spec:
        if d not in output_at and d not in input_at:
            raise ShapeError("bad_argument", f"EinsumDense weight dimension {d!r} is in neither the input nor the output spec")
        kernel.append(output_dim(d) if d in output_at else input_dim(d))
    bias = None
    if bias_axes is not None:
        missing = [c for c in bias_axes if c not in output_spec]
        if missing or not bias_axes:
            raise ShapeError("bad_argument", f"EinsumDense `bias_axes` {bias_axes!r} must name axes of the output spec {output_spec!r}")
        first = min(output_spec.find(c) for c in bias_axes)
        bias = [output_dim(c) if c in bias_axes else 1 for c in output_spec[first:]]
        if not left_elided and elided > 0:
            bias += [1] * elided
    return EinsumShapes(tuple(kernel), None if bias is None else tuple(bias), tuple(output))


def weights_formula(weights: List[Weight]) -> Optional[str]:
    """Each weight's dims multiplied out, summed: ``"32*64 + 64"``."""
    terms = ["*".join(str(d) for d in w.shape) or "1" for w in weights]
    return " + ".join(terms) if terms else None


@register
class EinsumDense(LayerSpec):
    name = "EinsumDense"
    signature = params(
        "equation", "output_shape", activation=None, bias_axes=None,
        kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
        bias_regularizer=None, kernel_constraint=None, bias_constraint=None, lora_rank=None,
        lora_alpha=None, gptq_unpacked_column_size=None, quantization_config=None,
    )

    def _shapes(self, input_shape) -> EinsumShapes:
        return einsum_dense_shapes(self.arg("equation"), self.arg("bias_axes"), input_shape, self.arg("output_shape"))

    def output_shape(self, input_shape):
        return self._shapes(input_shape).output

    def weights(self, input_shape):
        shapes = self._shapes(input_shape)
        out = [Weight("kernel", shapes.kernel)]
        if shapes.bias is not None:
            out.append(Weight("bias", shapes.bias))
        return out

    def formula(self, input_shape):
        return weights_formula(self.weights(input_shape))


@register
class Masking(LayerSpec):
    built_on_construction = True
    name = "Masking"
    signature = params(mask_value=0.0)


@register
class Identity(LayerSpec):
    built_on_construction = True
    name = "Identity"


@register
class Embedding(LayerSpec):
    name = "Embedding"
    signature = params(
        "input_dim", "output_dim", embeddings_initializer="uniform",
        embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
        weights=None, lora_rank=None, lora_alpha=None, quantization_config=None,
    )

    def output_shape(self, input_shape):
        return (*input_shape, self.int_arg("output_dim"))

    def weights(self, input_shape):
        return [Weight("embeddings", (self.int_arg("input_dim"), self.int_arg("output_dim")))]

    def formula(self, input_shape):
        return f"{self.int_arg('input_dim')} * {self.int_arg('output_dim')}"


@register
class ReversibleEmbedding(Embedding):
    """An Embedding whose ``call(x, reverse=True)`` maps vectors back to vocabulary logits."""

    name = "ReversibleEmbedding"
    signature = params(
        "input_dim", "output_dim", tie_weights=True, embeddings_initializer="uniform",
        embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
        reverse_dtype=None, logit_soft_cap=None,
        lora_rank=None, lora_alpha=None, quantization_config=None,  # keyword only: Embedding's
    )
    call_signature = params("inputs", reverse=False)

    def call_output(self, shapes, options):
        reverse = options.get("reverse", False)
        if contains_unknown(reverse):
            raise Unresolved("reverse")
        if reverse:  # Keras does not check the last dim against `output_dim` here
            return (*shapes["inputs"][:-1], self.int_arg("input_dim"))
        return self.output_shape(shapes["inputs"])

    def weights(self, input_shape):
        out = super().weights(input_shape)
        if not self.arg("tie_weights"):
            out.append(Weight("reverse_embeddings", (self.int_arg("output_dim"), self.int_arg("input_dim"))))
        return out

    def formula(self, input_shape):
        tied = super().formula(input_shape)
        return tied if self.arg("tie_weights") else f"2 * {tied}"


@register
class Lambda(LayerSpec):
    """A Python function as a layer. Its shape comes from ``output_shape`` or, as Keras infers
    it, from tracing the function on symbolic inputs: the interpreter sets ``trace`` (input
    shape -> output shape, or ``ShapeError``) when it can call the function and its
    ``output_shape`` argument."""

    name = "Lambda"
    signature = params("function", output_shape=None, mask=None, arguments=None)
    trace = None  # set per instance by the interpreter

    def output_shape(self, input_shape):
        declared = self.arg("output_shape")
        if self.trace is not None and (declared is None or not isinstance(declared, (tuple, list))):
            return self.trace(input_shape)
        if declared is None:
            raise ShapeError("opaque", "Lambda without `output_shape`: its output shape is not known statically")
        if not isinstance(declared, (tuple, list)):
            raise ShapeError("opaque", "Lambda with a computed `output_shape` is not followed statically")
        first = input_shape[0] if isinstance(input_shape, list) else input_shape
        return (first[0], *declared)
