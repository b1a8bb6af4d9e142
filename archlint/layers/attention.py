"""Attention layers: MultiHeadAttention, GroupedQueryAttention, Attention, AdditiveAttention.

MultiHeadAttention and GroupQueryAttention are called as ``layer(query, value, key=None)``
and project each tensor with an EinsumDense built as Keras builds it (shapes from
``core.einsum_dense_shapes``). Attention and AdditiveAttention are called on a list
``[query, value]`` or ``[query, value, key]``. With ``return_attention_scores=True``
every one returns ``[output, scores]``, the scores shaped as Keras's symbolic call says.
"""

from __future__ import annotations

import string
from typing import Dict, List, Tuple

from ..shapes import ShapeError, format_shape
from ..unknown import contains_unknown
from .base import KERNEL_KEYWORDS, LayerSpec, Unresolved, Weight, params, register
from .core import EinsumShapes, einsum_dense_shapes, weights_formula

_MULTI_HEAD_CALL = params(
    "query", "value", key=None, query_mask=None, value_mask=None, key_mask=None,
    attention_mask=None, return_attention_scores=False, training=None, use_causal_mask=False,
)


def _flag(options: Dict, key: str) -> bool:
    value = options.get(key, False)
    if contains_unknown(value):
        raise Unresolved(key)
    return bool(value)


def _positive_int(spec: LayerSpec, key: str) -> int:
    value = spec.arg(key)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ShapeError("bad_argument", f"{spec.name} `{key}` must be a positive integer, got {value!r}")
    return value


def _projection(free: int, bound: int, out: int) -> Tuple[str, str, int]:
    """Keras's projection equation inside MultiHeadAttention: (equation, bias axes, output rank)."""
    letters = string.ascii_lowercase
    kept, summed, made = letters[:free], letters[free:free + bound], letters[free + bound:free + bound + out]
    return f"{kept}{summed},{summed}{made}->{kept}{made}", made, free + out


class _MultiHead(LayerSpec):
    """Query/key/value projections, attention, an output projection: ``layer(query, value, key)``."""

    call_signature = _MULTI_HEAD_CALL

    def _tensors(self, shapes) -> Tuple[tuple, tuple, tuple]:
        query, value = tuple(shapes["query"]), tuple(shapes["value"])
        key = tuple(shapes.get("key", value))
        if value[1:-1] != key[1:-1]:
            raise ShapeError(
                "merge_mismatch",
                f"{self.name} `value` {format_shape(value)} and `key` {format_shape(key)} "
                "must agree on every dim but the last",
            )
        return query, value, key

    def _output(self, query, value, key):
        return query

    def _scores(self, query, value, key):
        raise NotImplementedError

    def _projections(self, query, value, key) -> List[Tuple[str, EinsumShapes]]:
        raise NotImplementedError

    def call_output(self, shapes, options):
        query, value, key = self._tensors(shapes)
        out = self._output(query, value, key)
        if _flag(options, "return_attention_scores"):
            return [out, self._scores(query, value, key)]
        return out

    def _projection_weights(self, shapes) -> List[List[Weight]]:
        out = []
        for name, projection in self._projections(*self._tensors(shapes)):
            weights = [Weight(f"{name}/kernel", projection.kernel)]
            if projection.bias is not None:
                weights.append(Weight(f"{name}/bias", projection.bias))
            out.append(weights)
        return out

    def build_weights(self, shapes):
        return [w for weights in self._projection_weights(shapes) for w in weights]

    def build_formula(self, shapes):
        """One term per projection, equal neighbours counted once: ``3 * (...) + ...``."""
        terms: List[List] = []
        for weights in self._projection_weights(shapes):
            term = weights_formula(weights)
            if terms and terms[-1][1] == term:
                terms[-1][0] += 1
            else:
                terms.append([1, term])
        return " + ".join(term if n == 1 else f"{n} * ({term})" for n, term in terms)


@register
class MultiHeadAttention(_MultiHead):
    name = "MultiHeadAttention"
    signature = params(
        "num_heads", "key_dim", value_dim=None, dropout=0.0, use_bias=True, output_shape=None,
        attention_axes=None, sliding_window=None, flash_attention=None, **KERNEL_KEYWORDS,
        use_gate=False, seed=None,
    )

    def _sizes(self) -> Tuple[int, int, int]:
        key_dim = _positive_int(self, "key_dim")
        value_dim = _positive_int(self, "value_dim") if self.arg("value_dim") is not None else key_dim
        return _positive_int(self, "num_heads"), key_dim, value_dim

    def _target(self):
        """The declared ``output_shape`` as a tuple; ``None`` (Keras: any falsy value) keeps the query's."""
        declared = self.arg("output_shape")
        if not declared:
            return None
        return (declared,) if isinstance(declared, int) else tuple(declared)

    def _output(self, query, value, key):
        target = self._target()
        return (*query[:-1], *target) if target else query

    def _scores(self, query, value, key):
        # Keras's symbolic call reports (batch, heads, T, T) whatever the key length and
        # attention_axes; the eager call gives (batch, heads, T, S) for rank-3 inputs.
        return (query[0], self._sizes()[0], query[1], query[1])

    def _check_attention_axes(self, rank: int) -> None:
        axes = self.arg("attention_axes")
        for axis in (axes,) if isinstance(axes, int) else axes or ():
            position = axis if axis >= 0 else rank - 1 + axis
            if not -rank <= position < rank:
                raise ShapeError(
                    "bad_axis",
                    f"MultiHeadAttention attention axis {axis} is out of range for projected inputs of rank {rank}",
                )

    def _projections(self, query, value, key):
        heads, key_dim, value_dim = self._sizes()
        use_bias = self.arg("use_bias")

        def project(shape, known, bound=1):
            equation, bias_axes, rank = _projection(len(shape) - bound, bound, len(known))
            partial = [None] * (rank - 1 - len(known)) + list(known)
            return einsum_dense_shapes(equation, bias_axes if use_bias else None, shape, partial)

        out = [("query", project(query, [heads, key_dim])), ("key", project(key, [heads, key_dim]))]
        if self.arg("use_gate"):
            out.append(("gate", project(query, [heads, value_dim])))
        out.append(("value", project(value, [heads, value_dim])))
        self._check_attention_axes(len(value) + 1)
        combined = (*out[0][1].output[:-1], value_dim)
        out.append(("attention_output", project(combined, list(self._target() or [query[-1]]), bound=2)))
        return out


@register
class GroupQueryAttention(_MultiHead):
    """Grouped-query attention: ``num_query_heads`` share ``num_key_value_heads`` key/value heads.
    Keras's class is GroupedQueryAttention (its layers are named ``grouped_query_attention``),
    exported as GroupQueryAttention."""

    name = "GroupedQueryAttention"
    aliases = ("GroupQueryAttention",)
    signature = params(
        "head_dim", "num_query_heads", "num_key_value_heads", dropout=0.0, use_bias=True,
        sliding_window=None, flash_attention=None, **KERNEL_KEYWORDS, use_gate=False, seed=None,
    )

    def _heads(self) -> Tuple[int, int]:
        query_heads, kv_heads = self.int_arg("num_query_heads"), self.int_arg("num_key_value_heads")
        if kv_heads == 0 or query_heads % kv_heads:
            raise ShapeError(
                "bad_argument",
                f"GroupedQueryAttention `num_query_heads` ({query_heads}) must be a multiple of "
                f"`num_key_value_heads` ({kv_heads})",
            )
        return query_heads, kv_heads

    def _tensors(self, shapes):
        query, value, key = super()._tensors(shapes)
        if query[-1] != value[-1]:
            raise ShapeError(
                "merge_mismatch",
                f"GroupedQueryAttention `query` {format_shape(query)} and `value` {format_shape(value)} "
                "must have the same last dim",
            )
        return query, value, key

    def _scores(self, query, value, key):
        return (query[0], self._heads()[0], query[1], key[1])

    def _projections(self, query, value, key):
        query_heads, kv_heads = self._heads()
        head_dim = self.int_arg("head_dim")
        use_bias = self.arg("use_bias")

        def project(equation, shape, partial, bias_axes):
            return einsum_dense_shapes(equation, bias_axes if use_bias else None, shape, partial)

        queries = ("bqm,muh->bquh", query, (None, query_heads, head_dim), "uh")
        out = [("query", project(*queries)), ("key", project("bkm,mvh->bkvh", key, (None, kv_heads, head_dim), "vh"))]
        if self.arg("use_gate"):
            out.append(("gate", project(*queries)))
        out.append(("value", project("bkm,mvh->bkvh", value, (None, kv_heads, head_dim), "vh")))
        out.append((
            "attention_output",
            project("bquh,uhm->bqm", (None, None, query_heads, head_dim), (None, query[-1]), "m"),
        ))
        return out


@register
class Attention(LayerSpec):
    """Dot-product (Luong) attention on ``[query, value]`` or ``[query, value, key]``."""

    name = "Attention"
    takes_list = True
    signature = params(use_scale=False, score_mode="dot", dropout=0.0, seed=None)
    legacy_keywords = {"causal": None}  # Keras 2; now call(use_causal_mask=...), no shape effect
    call_signature = params(
        "inputs", mask=None, training=False, return_attention_scores=False, use_causal_mask=False,
    )

    def _tensors(self, shapes) -> Tuple[tuple, tuple, tuple]:
        if self.arg("score_mode") not in ("dot", "concat"):
            raise ShapeError("bad_argument", f"{self.name} `score_mode` must be 'dot' or 'concat', got {self.arg('score_mode')!r}")
        inputs = shapes["inputs"]
        if not isinstance(inputs, list) or not 2 <= len(inputs) <= 3:
            raise ShapeError("bad_input", f"{self.name} must be called on a list [query, value] or [query, value, key]")
        query, value = tuple(inputs[0]), tuple(inputs[1])
        return query, value, tuple(inputs[2]) if len(inputs) > 2 else value

    def call_output(self, shapes, options):
        query, value, key = self._tensors(shapes)
        out = (*query[:-1], value[-1])
        if _flag(options, "return_attention_scores"):
            return [out, (*query[:-1], key[-2])]
        return out

    def _weights(self, query) -> List[Weight]:
        out = [Weight("scale", ())] if self.arg("use_scale") else []
        if self.arg("score_mode") == "concat":
            out.append(Weight("concat_score_weight", ()))
        return out

    def build_weights(self, shapes):
        return self._weights(self._tensors(shapes)[0])

    def build_formula(self, shapes):
        return weights_formula(self.build_weights(shapes))


@register
class AdditiveAttention(Attention):
    """Additive (Bahdanau) attention; its scale is a vector over the query's last dim."""

    name = "AdditiveAttention"
    signature = params(use_scale=True, dropout=0.0, score_mode="dot", seed=None)  # the last two keyword only

    def _weights(self, query):
        return [Weight("scale", (query[-1],))] if self.arg("use_scale") else []
