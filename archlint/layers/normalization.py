"""Normalization layers: BatchNormalization (moving statistics non-trainable), LayerNormalization,
GroupNormalization, UnitNormalization, RMSNormalization, and the SpectralNormalization wrapper.
"""

from __future__ import annotations

from ..shapes import ShapeError, canonical_axis, format_shape
from .base import LayerSpec, Weight, params, register
from .core import weights_formula
from .wrappers import inner_call, inner_output


def _axes_dims(axis, input_shape):
    """The dims on ``axis`` (an int or a list of ints, taken in sorted order)."""
    axes = sorted(axis) if isinstance(axis, (list, tuple)) else [axis]
    return tuple(input_shape[canonical_axis(a, len(input_shape))] for a in axes)


@register
class BatchNormalization(LayerSpec):
    name = "BatchNormalization"
    signature = params(
        axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True,
        beta_initializer="zeros", gamma_initializer="ones", moving_mean_initializer="zeros",
        moving_variance_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
        beta_constraint=None, gamma_constraint=None, renorm=False, renorm_clipping=None,
        renorm_momentum=0.99, synchronized=False,
    )
    legacy_keywords = {"mode": None}

    def _channels(self, input_shape):
        return input_shape[canonical_axis(self.int_arg("axis"), len(input_shape))]

    def weights(self, input_shape):
        shape = (self._channels(input_shape),)
        out = []
        if self.arg("scale"):
            out.append(Weight("gamma", shape))
        if self.arg("center"):
            out.append(Weight("beta", shape))
        out += [Weight("moving_mean", shape, False), Weight("moving_variance", shape, False)]
        if self.arg("renorm"):
            out += [Weight(n, shape, False) for n in ("moving_stddev", "renorm_mean", "renorm_stddev")]
        return out

    def formula(self, input_shape):
        channels = self._channels(input_shape)
        learned = int(bool(self.arg("scale"))) + int(bool(self.arg("center")))
        stats = 5 if self.arg("renorm") else 2
        parts = [f"{learned}*{channels}"] if learned else []
        parts.append(f"{stats}*{channels} non-trainable")
        return " + ".join(parts)


@register
class LayerNormalization(LayerSpec):
    name = "LayerNormalization"
    signature = params(
        axis=-1, epsilon=0.001, center=True, scale=True,
        beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
        gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
        rms_scaling=False,  # keyword only: Keras pops it from **kwargs
    )

    def _param_shape(self, input_shape):
        return _axes_dims(self.arg("axis"), input_shape)

    def weights(self, input_shape):
        shape = self._param_shape(input_shape)
        out = []
        if self.arg("scale") or self.arg("rms_scaling"):
            out.append(Weight("gamma", shape))
        if self.arg("center") and not self.arg("rms_scaling"):
            out.append(Weight("beta", shape))
        return out

    def formula(self, input_shape):
        count = len(self.weights(input_shape))
        dims = "*".join(str(d) for d in self._param_shape(input_shape))
        return f"{count}*{dims}" if count else None


@register
class GroupNormalization(LayerSpec):
    """Normalizes groups of channels on ``axis``; ``groups=-1`` is one group per channel."""

    name = "GroupNormalization"
    signature = params(
        groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
        beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
        gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
    )

    def _channels(self, input_shape) -> int:
        groups = self.arg("groups")
        if isinstance(groups, bool) or not isinstance(groups, int) or (groups <= 0 and groups != -1):
            raise ShapeError("bad_argument", f"GroupNormalization `groups` must be a positive integer or -1, got {groups!r}")
        axis = self.int_arg("axis")
        channels = input_shape[canonical_axis(axis, len(input_shape))]
        if channels is None:
            raise ShapeError("bad_input", f"GroupNormalization needs a known dim on axis {axis}, got {format_shape(input_shape)}")
        if groups != -1 and (channels < groups or channels % groups):
            raise ShapeError("bad_argument", f"GroupNormalization `groups` ({groups}) must divide the {channels} channels")
        return channels

    def output_shape(self, input_shape):
        self._channels(input_shape)
        return input_shape

    def weights(self, input_shape):
        shape = (self._channels(input_shape),)
        return [Weight(n, shape) for n, on in (("gamma", self.arg("scale")), ("beta", self.arg("center"))) if on]

    def formula(self, input_shape):
        count = len(self.weights(input_shape))
        return f"{count}*{self._channels(input_shape)}" if count else None


@register
class UnitNormalization(LayerSpec):
    """Scales to unit L2 norm along ``axis``; no weights."""
    built_on_construction = True

    name = "UnitNormalization"
    signature = params(axis=-1)

    def output_shape(self, input_shape):
        _axes_dims(self.arg("axis"), input_shape)
        return input_shape


@register
class RMSNormalization(LayerSpec):
    """Root-mean-square normalization with a learned scale over the dims on ``axis``."""

    name = "RMSNormalization"
    signature = params(axis=-1, epsilon=1e-6)

    def output_shape(self, input_shape):
        _axes_dims(self.arg("axis"), input_shape)
        return input_shape

    def weights(self, input_shape):
        return [Weight("scale", _axes_dims(self.arg("axis"), input_shape))]

    def formula(self, input_shape):
        return weights_formula(self.weights(input_shape))


@register
class SpectralNormalization(LayerSpec):
    """Wraps a layer and divides its kernel (or embeddings) by its spectral norm.

    Adds one non-trainable ``vector_u`` of shape ``(1, kernel.shape[-1])`` to the wrapped
    layer's weights; the output is the wrapped layer's.
    """

    name = "SpectralNormalization"
    signature = params("layer", power_iterations=1)
    call_signature = params("inputs", training=False)

    def _inner(self) -> LayerSpec:
        return self.arg("layer").spec

    def _inner_shapes(self, shapes):
        iterations = self.arg("power_iterations")
        if iterations <= 0:
            raise ShapeError("bad_argument", f"SpectralNormalization `power_iterations` must be positive, got {iterations!r}")
        return inner_call(self.name, self._inner(), shapes["inputs"])

    def call_output(self, shapes, options):
        return inner_output(self.name, self._inner(), self._inner_shapes(shapes))

    def _kernel(self, inner_weights) -> Weight:
        """The weight Keras normalizes: the wrapped layer's own ``kernel`` or ``embeddings``.

        Wrappers and recurrent layers keep their kernels in an inner layer or cell and expose
        none; a SpectralNormalization exposes the kernel of the layer it wraps.
        """
        inner = self._inner()
        delegates = {n for n, _ in inner.signature} & {"layer", "cell", "return_sequences"}
        found = [w for w in inner_weights if w.name in ("kernel", "embeddings")]
        if not found or (delegates and not isinstance(inner, SpectralNormalization)):
            raise ShapeError("bad_argument", f"SpectralNormalization needs a layer with a kernel or embeddings, not {inner.name}")
        return found[0]

    def build_weights(self, shapes):
        weights = self._inner().build_weights(self._inner_shapes(shapes))
        kernel = self._kernel(weights)
        return [*weights, Weight("vector_u", (1, kernel.shape[-1]), trainable=False)]

    def build_formula(self, shapes):
        weights = self.build_weights(shapes)
        inner = self._inner().build_formula(self._inner_shapes(shapes))
        return f"{inner} + {weights[-1].count} non-trainable"

    def units(self):
        return self._inner().units()
