"""Normalization layers: BatchNormalization (moving statistics non-trainable), LayerNormalization."""

from __future__ import annotations

from ..shapes import canonical_axis
from .base import LayerSpec, Weight, params, register


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
        axis = self.arg("axis")
        axes = sorted(axis) if isinstance(axis, (list, tuple)) else [axis]
        return tuple(input_shape[canonical_axis(a, len(input_shape))] for a in axes)

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
