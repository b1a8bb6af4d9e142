"""Convolution layers: Conv1D/2D/3D, Conv2DTranspose, SeparableConv2D, DepthwiseConv2D.

Includes the Keras 1 spellings (``Convolution2D(nb_filter, nb_row, nb_col)``,
``border_mode``, ``subsample``) computed with their Keras 1 meaning.
"""

from __future__ import annotations

from ..shapes import (
    ShapeError,
    channel_dim,
    conv_length,
    conv_transpose_length,
    require_rank,
    spatial_dims,
    with_spatial,
)
from .base import LayerSpec, Weight, params, register

_CONV_TAIL = dict(
    activation=None,
    use_bias=True,
    kernel_initializer="glorot_uniform",
    bias_initializer="zeros",
    kernel_regularizer=None,
    bias_regularizer=None,
    activity_regularizer=None,
    kernel_constraint=None,
    bias_constraint=None,
)

# Keras 1 positional tails after the kernel dims: Convolution2D(nb_filter, nb_row, nb_col, init, activation)
_KERAS1_TAIL = ("kernel_initializer", "activation")


def _times(dims) -> str:
    return "*".join(str(d) for d in dims)


class _Conv(LayerSpec):
    rank = 2
    # Keras's BaseConv and BaseConvTranspose refuse strides > 1 together with
    # dilation_rate > 1; the depthwise and separable bases do not.
    allows_strided_dilation = False
    legacy_keywords = {
        "nb_filter": "filters",
        "filter_length": "kernel_size",
        "subsample_length": "strides",
        "atrous_rate": "dilation_rate",
    }

    @classmethod
    def adapt_call(cls, spelled, args, kwargs):
        kernel_keys = {1: ("filter_length",), 2: ("nb_row", "nb_col"), 3: ("kernel_dim1", "kernel_dim2", "kernel_dim3")}[cls.rank]
        if all(k in kwargs for k in kernel_keys):
            kwargs["kernel_size"] = tuple(kwargs.pop(k) for k in kernel_keys)
            if cls.rank == 1:
                kwargs["kernel_size"] = kwargs["kernel_size"][0]
            return args, kwargs
        keras1 = spelled.startswith(("Convolution", "AtrousConvolution", "Deconvolution"))
        if keras1 and cls.rank > 1 and len(args) >= 1 + cls.rank:
            kernel = tuple(args[1 : 1 + cls.rank])
            if all(isinstance(k, int) for k in kernel):
                # Keras 1 Deconvolution2D(nb_filter, nb_row, nb_col, output_shape, init, activation)
                tail = (("output_shape",) if spelled.startswith("Deconvolution") else ()) + _KERAS1_TAIL
                for key, value in zip(tail, args[1 + cls.rank :]):
                    kwargs[key] = value
                kwargs["kernel_size"] = kernel
                args = args[:1]
        return args, kwargs

    # --- geometry --------------------------------------------------------------------
    def _check_input(self, input_shape):
        require_rank(input_shape, self.rank + 2, self.name)
        if not self.allows_strided_dilation:
            strides = self.tuple_arg("strides", self.rank)
            dilation = self.tuple_arg("dilation_rate", self.rank)
            if max(strides) > 1 and max(dilation) > 1:
                raise ShapeError(
                    "bad_argument",
                    f"{self.name} does not take strides > 1 with dilation_rate > 1 "
                    f"(strides={strides}, dilation_rate={dilation})",
                )

    def _spatial_out(self, input_shape):
        fmt = self.data_format
        kernel = self.tuple_arg("kernel_size", self.rank)
        strides = self.tuple_arg("strides", self.rank)
        dilation = self.tuple_arg("dilation_rate", self.rank)
        padding = str(self.arg("padding")).lower()
        if padding == "causal" and self.rank != 1:
            raise ShapeError("bad_argument", f"{self.name} does not take padding='causal' (only Conv1D does)")
        return tuple(
            conv_length(length, k, s, padding, d)
            for length, k, s, d in zip(spatial_dims(input_shape, fmt), kernel, strides, dilation)
        )

    def output_shape(self, input_shape):
        self._check_input(input_shape)
        return with_spatial(input_shape, self._spatial_out(input_shape), self.out_channels(input_shape), self.data_format)

    def in_channels(self, input_shape):
        return channel_dim(input_shape, self.data_format)

    def out_channels(self, input_shape):
        return self.int_arg("filters")

    def units(self):
        return self.int_arg("filters")

    def _kernel_formula(self, fan_in) -> str:
        """``(kh*kw*fan_in + 1) * filters``: one kernel per filter, plus its bias."""
        body = f"{_times(self.tuple_arg('kernel_size', self.rank))}*{fan_in}"
        filters = self.int_arg("filters")
        return f"({body} + 1) * {filters}" if self.arg("use_bias") else f"{body} * {filters}"

    def _bias(self, count):
        return [Weight("bias", (count,))] if self.arg("use_bias") else []


class _RegularConv(_Conv):
    def weights(self, input_shape):
        kernel = self.tuple_arg("kernel_size", self.rank)
        groups = self.int_arg("groups")
        channels = self.in_channels(input_shape)
        filters = self.int_arg("filters")
        if channels is not None and channels % groups:
            raise ShapeError("bad_groups", f"input channels {channels} are not divisible by groups={groups}")
        if filters % groups:
            raise ShapeError("bad_groups", f"filters={filters} is not divisible by groups={groups}")
        fan_in = None if channels is None else channels // groups
        return [Weight("kernel", (*kernel, fan_in, filters)), *self._bias(filters)]

    def formula(self, input_shape):
        channels = self.in_channels(input_shape)
        groups = self.int_arg("groups")
        return self._kernel_formula(f"{channels}" if groups == 1 else f"{channels}/{groups}")


@register
class Conv1D(_RegularConv):
    name = "Conv1D"
    aliases = ("Convolution1D",)
    rank = 1
    signature = params("filters", "kernel_size", strides=1, padding="valid", data_format=None, dilation_rate=1, groups=1, **_CONV_TAIL)


@register
class Conv2D(_RegularConv):
    name = "Conv2D"
    aliases = ("Convolution2D", "AtrousConvolution2D")
    rank = 2
    signature = params("filters", "kernel_size", strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1), groups=1, **_CONV_TAIL)


@register
class Conv3D(_RegularConv):
    name = "Conv3D"
    aliases = ("Convolution3D",)
    rank = 3
    signature = params("filters", "kernel_size", strides=(1, 1, 1), padding="valid", data_format=None, dilation_rate=(1, 1, 1), groups=1, **_CONV_TAIL)


@register
class Conv2DTranspose(_Conv):
    name = "Conv2DTranspose"
    aliases = ("Convolution2DTranspose", "Deconvolution2D")
    rank = 2
    legacy_keywords = {**_Conv.legacy_keywords, "output_shape": None}  # Keras 1 took the batch output shape
    signature = params("filters", "kernel_size", strides=(1, 1), padding="valid", output_padding=None, data_format=None, dilation_rate=(1, 1), **_CONV_TAIL)

    def _spatial_out(self, input_shape):
        kernel = self.tuple_arg("kernel_size", self.rank)
        strides = self.tuple_arg("strides", self.rank)
        dilation = self.tuple_arg("dilation_rate", self.rank)
        out_pad = self.arg("output_padding")
        out_pad = (None,) * self.rank if out_pad is None else self.tuple_arg("output_padding", self.rank)
        for p, s in zip(out_pad, strides):
            if p is not None and p >= s:
                raise ShapeError(
                    "bad_argument", f"`output_padding` {out_pad} must be smaller than `strides` {strides} on every axis"
                )
        padding = str(self.arg("padding")).lower()
        return tuple(
            conv_transpose_length(length, k, s, padding, p, d)
            for length, k, s, p, d in zip(spatial_dims(input_shape, self.data_format), kernel, strides, out_pad, dilation)
        )

    def weights(self, input_shape):
        kernel = self.tuple_arg("kernel_size", self.rank)
        filters = self.int_arg("filters")
        return [Weight("kernel", (*kernel, filters, self.in_channels(input_shape))), *self._bias(filters)]

    def formula(self, input_shape):
        return self._kernel_formula(self.in_channels(input_shape))


@register
class DepthwiseConv2D(_Conv):
    name = "DepthwiseConv2D"
    allows_strided_dilation = True
    rank = 2
    signature = params(
        "kernel_size", strides=(1, 1), padding="valid", depth_multiplier=1, data_format=None,
        dilation_rate=(1, 1), activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
        bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
        activity_regularizer=None, depthwise_constraint=None, bias_constraint=None,
    )

    def out_channels(self, input_shape):
        channels = self.in_channels(input_shape)
        return None if channels is None else channels * self.int_arg("depth_multiplier")

    def units(self):
        return None

    def weights(self, input_shape):
        kernel = self.tuple_arg("kernel_size", self.rank)
        multiplier = self.int_arg("depth_multiplier")
        channels = self.in_channels(input_shape)
        return [
            Weight("kernel", (*kernel, channels, multiplier)),
            *self._bias(self.out_channels(input_shape)),
        ]

    def formula(self, input_shape):
        kernel = self.tuple_arg("kernel_size", self.rank)
        channels = self.in_channels(input_shape)
        multiplier = self.int_arg("depth_multiplier")
        body = f"{_times(kernel)}*{channels}*{multiplier}"
        return f"{body} + {channels}*{multiplier}" if self.arg("use_bias") else body


@register
class SeparableConv2D(_Conv):
    name = "SeparableConv2D"
    allows_strided_dilation = True
    aliases = ("SeparableConvolution2D",)
    rank = 2
    signature = params(
        "filters", "kernel_size", strides=(1, 1), padding="valid", data_format=None,
        dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True,
        depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
        bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
        bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
        pointwise_constraint=None, bias_constraint=None,
    )

    def weights(self, input_shape):
        kernel = self.tuple_arg("kernel_size", self.rank)
        multiplier = self.int_arg("depth_multiplier")
        channels = self.in_channels(input_shape)
        filters = self.int_arg("filters")
        depth_out = None if channels is None else channels * multiplier
        return [
            Weight("depthwise_kernel", (*kernel, channels, multiplier)),
            Weight("pointwise_kernel", (1, 1, depth_out, filters)),
            *self._bias(filters),
        ]

    def formula(self, input_shape):
        kernel = self.tuple_arg("kernel_size", self.rank)
        multiplier = self.int_arg("depth_multiplier")
        channels = self.in_channels(input_shape)
        filters = self.int_arg("filters")
        text = f"{_times(kernel)}*{channels}*{multiplier} + {channels}*{multiplier}*{filters}"
        return f"{text} + {filters}" if self.arg("use_bias") else text
