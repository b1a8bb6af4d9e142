"""Convolution layers: Conv1D/2D/3D, their transposes, SeparableConv1D/2D, DepthwiseConv1D/2D.

Includes the Keras 1 spellings (``Convolution2D(nb_filter, nb_row, nb_col)``,
``Convolution1D(nb_filter, filter_length, init, activation)``, ``AtrousConvolution1D/2D``,
``Deconvolution2D``, ``border_mode``, ``subsample``) computed with their Keras 1 meaning.
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
from .base import KERNEL_KEYWORDS, LayerSpec, Weight, params, register, weight_keywords

_CONV_TAIL = dict(activation=None, use_bias=True, **KERNEL_KEYWORDS)

_DEPTHWISE_TAIL = dict(activation=None, use_bias=True, **weight_keywords("depthwise"))
_SEPARABLE_TAIL = dict(activation=None, use_bias=True, **weight_keywords("depthwise", "pointwise"))

# Keras 1 keyword spellings of the kernel dims, per convolution rank.
_KERAS1_KERNEL_KEYS = {1: ("filter_length",), 2: ("nb_row", "nb_col"), 3: ("kernel_dim1", "kernel_dim2", "kernel_dim3")}

# Keras 1 positional parameters after ``nb_filter`` and the kernel dims, spelled the Keras 1
# way so that binding maps them (``init`` -> ``kernel_initializer``, ``subsample`` -> ``strides``).
_K1_REGULARIZERS = ("W_regularizer", "b_regularizer", "activity_regularizer", "W_constraint", "b_constraint", "bias")
_KERAS1_TAILS = {
    "Convolution1D": ("init", "activation", "weights", "border_mode", "subsample_length", *_K1_REGULARIZERS),
    "AtrousConvolution1D": ("init", "activation", "weights", "border_mode", "subsample_length", "atrous_rate", *_K1_REGULARIZERS),
    "Convolution2D": ("init", "activation", "weights", "border_mode", "subsample", "dim_ordering", *_K1_REGULARIZERS),
    "AtrousConvolution2D": ("init", "activation", "weights", "border_mode", "subsample", "atrous_rate", "dim_ordering", *_K1_REGULARIZERS),
    "Deconvolution2D": ("output_shape", "init", "activation", "weights", "border_mode", "subsample", "dim_ordering", *_K1_REGULARIZERS),
    "SeparableConvolution2D": (
        "init", "activation", "weights", "border_mode", "subsample", "depth_multiplier", "dim_ordering",
        "depthwise_regularizer", "pointwise_regularizer", "b_regularizer", "activity_regularizer",
        "depthwise_constraint", "pointwise_constraint", "b_constraint", "bias",
    ),
    "Convolution3D": ("init", "activation", "weights", "border_mode", "subsample", "dim_ordering", *_K1_REGULARIZERS),
}


def _times(dims) -> str:
    return "*".join(str(d) for d in dims)


def _keras1_kernel(rank: int, args):
    """The kernel size when ``args`` follow the Keras 1 positional form, else ``None``.

    Keras 1 spread the kernel over one positional argument per axis and put ``init``
    next: ``Convolution2D(32, 3, 3)``, ``Convolution1D(32, 3, "he_normal")``. In Keras 2/3
    the third argument is ``strides``, an int or a tuple, which tells the forms apart in 1D.
    """
    if rank == 1:
        return args[1] if len(args) >= 3 and isinstance(args[2], str) else None
    kernel = tuple(args[1 : 1 + rank])
    if len(kernel) == rank and all(isinstance(k, int) for k in kernel):
        return kernel
    return None


class _Conv(LayerSpec):
    rank = 2
    # Keras's BaseConv and BaseConvTranspose refuse strides > 1 together with
    # dilation_rate > 1; the depthwise and separable bases do not.
    allows_strided_dilation = False
    allows_causal = False  # only Conv1D takes padding="causal"
    legacy_keywords = {
        "nb_filter": "filters",
        "filter_length": "kernel_size",
        "subsample_length": "strides",
        "atrous_rate": "dilation_rate",
    }

    @classmethod
    def adapt_call(cls, spelled, args, kwargs):
        kernel_keys = _KERAS1_KERNEL_KEYS[cls.rank]
        if all(k in kwargs for k in kernel_keys):
            kernel = tuple(kwargs.pop(k) for k in kernel_keys)
            kwargs["kernel_size"] = kernel[0] if cls.rank == 1 else kernel
            return args, kwargs
        tail = _KERAS1_TAILS.get(spelled)
        kernel = _keras1_kernel(cls.rank, args) if tail else None
        rest = args[1 + cls.rank :]
        if kernel is None or len(rest) > len(tail):
            return args, kwargs
        for key, value in zip(tail, rest):
            kwargs.setdefault(key, value)
        kwargs["kernel_size"] = kernel
        return args[:1], kwargs

    # --- arguments Keras validates -------------------------------------------------------
    def _positive_tuple(self, key):
        values = self.tuple_arg(key, self.rank)
        if any(not isinstance(v, int) or v < 1 for v in values):
            raise ShapeError("bad_argument", f"`{key}` must hold positive integers, got {self.arg(key)!r}")
        return values

    def _positive_int(self, key):
        value = self.int_arg(key)
        if value < 1:
            raise ShapeError("bad_argument", f"`{key}` must be a positive integer, got {value}")
        return value

    def _padding(self) -> str:
        allowed = ("valid", "same", "causal") if self.allows_causal else ("valid", "same")
        value = self.arg("padding")
        if not isinstance(value, str) or value.lower() not in allowed:
            raise ShapeError(
                "bad_argument", f"{self.name} takes padding {' or '.join(repr(a) for a in allowed)}, got {value!r}"
            )
        return value.lower()

    def _check(self, input_shape):
        """Raise where Keras refuses these arguments or this input."""
        require_rank(input_shape, self.rank + 2, self.name)
        self._positive_tuple("kernel_size")
        strides = self._positive_tuple("strides")
        dilation = self._positive_tuple("dilation_rate")
        self._padding()
        if not self.allows_strided_dilation and max(strides) > 1 and max(dilation) > 1:
            raise ShapeError(
                "bad_argument",
                f"{self.name} does not take strides > 1 with dilation_rate > 1 "
                f"(strides={strides}, dilation_rate={dilation})",
            )

    # --- geometry --------------------------------------------------------------------
    def _spatial_out(self, input_shape):
        padding = self._padding()
        return tuple(
            conv_length(length, k, s, padding, d)
            for length, k, s, d in zip(
                spatial_dims(input_shape, self.data_format),
                self.tuple_arg("kernel_size", self.rank),
                self.tuple_arg("strides", self.rank),
                self.tuple_arg("dilation_rate", self.rank),
            )
        )

    def output_shape(self, input_shape):
        self._check(input_shape)
        return with_spatial(input_shape, self._spatial_out(input_shape), self.out_channels(input_shape), self.data_format)

    def weights(self, input_shape):
        self._check(input_shape)
        return self._weights(self.tuple_arg("kernel_size", self.rank), self.in_channels(input_shape))

    def _weights(self, kernel, channels):
        raise NotImplementedError

    def in_channels(self, input_shape):
        return channel_dim(input_shape, self.data_format)

    def out_channels(self, input_shape):
        return self.int_arg("filters")

    def units(self):
        return self.int_arg("filters")

    def _bias(self, count):
        return [Weight("bias", (count,))] if self.arg("use_bias") else []

    def _kernel_formula(self, fan_in) -> str:
        """``(kh*kw*fan_in + 1) * filters``: one kernel per filter, plus its bias."""
        body = f"{_times(self.tuple_arg('kernel_size', self.rank))}*{fan_in}"
        filters = self.int_arg("filters")
        return f"({body} + 1) * {filters}" if self.arg("use_bias") else f"{body} * {filters}"

    def _plus_bias(self, text: str, bias) -> str:
        return f"{text} + {bias}" if self.arg("use_bias") else text


class _RegularConv(_Conv):
    """Conv1D/2D/3D: a ``kernel_size + (channels // groups, filters)`` kernel and a bias."""

    def _check(self, input_shape):
        super()._check(input_shape)
        filters = self._positive_int("filters")
        groups = self.int_arg("groups")
        channels = self.in_channels(input_shape)
        if groups < 1:
            raise ShapeError("bad_groups", f"`groups` must be a positive integer, got {groups}")
        if filters % groups:
            raise ShapeError("bad_groups", f"filters={filters} is not divisible by groups={groups}")
        if channels is not None and channels % groups:
            raise ShapeError("bad_groups", f"input channels {channels} are not divisible by groups={groups}")

    def _weights(self, kernel, channels):
        filters = self.int_arg("filters")
        fan_in = None if channels is None else channels // self.int_arg("groups")
        return [Weight("kernel", (*kernel, fan_in, filters)), *self._bias(filters)]

    def formula(self, input_shape):
        channels = self.in_channels(input_shape)
        groups = self.int_arg("groups")
        return self._kernel_formula(f"{channels}" if groups == 1 else f"{channels}/{groups}")


@register
class Conv1D(_RegularConv):
    name = "Conv1D"
    aliases = ("Convolution1D", "AtrousConvolution1D")
    rank = 1
    allows_causal = True
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


class _ConvTranspose(_Conv):
    """Transposed convolutions: a ``kernel_size + (filters, channels)`` kernel and a bias."""

    legacy_keywords = {**_Conv.legacy_keywords, "output_shape": None}  # Keras 1 took the batch output shape

    def _output_padding(self):
        if self.arg("output_padding") is None:
            return (None,) * self.rank
        out_pad = self.tuple_arg("output_padding", self.rank)
        strides = self.tuple_arg("strides", self.rank)
        if any(not isinstance(p, int) or p < 0 or p >= s for p, s in zip(out_pad, strides)):
            raise ShapeError(
                "bad_argument",
                f"`output_padding` {out_pad} must be at least 0 and smaller than `strides` {strides} on every axis",
            )
        return out_pad

    def _check(self, input_shape):
        super()._check(input_shape)
        self._positive_int("filters")
        self._output_padding()

    def _spatial_out(self, input_shape):
        padding = self._padding()
        return tuple(
            conv_transpose_length(length, k, s, padding, p, d)
            for length, k, s, p, d in zip(
                spatial_dims(input_shape, self.data_format),
                self.tuple_arg("kernel_size", self.rank),
                self.tuple_arg("strides", self.rank),
                self._output_padding(),
                self.tuple_arg("dilation_rate", self.rank),
            )
        )

    def _weights(self, kernel, channels):
        filters = self.int_arg("filters")
        return [Weight("kernel", (*kernel, filters, channels)), *self._bias(filters)]

    def formula(self, input_shape):
        return self._kernel_formula(self.in_channels(input_shape))


@register
class Conv1DTranspose(_ConvTranspose):
    name = "Conv1DTranspose"
    aliases = ("Convolution1DTranspose",)
    rank = 1
    signature = params("filters", "kernel_size", strides=1, padding="valid", output_padding=None, data_format=None, dilation_rate=1, **_CONV_TAIL)


@register
class Conv2DTranspose(_ConvTranspose):
    name = "Conv2DTranspose"
    aliases = ("Convolution2DTranspose", "Deconvolution2D", "Deconv2D")
    rank = 2
    signature = params("filters", "kernel_size", strides=(1, 1), padding="valid", output_padding=None, data_format=None, dilation_rate=(1, 1), **_CONV_TAIL)


@register
class Conv3DTranspose(_ConvTranspose):
    name = "Conv3DTranspose"
    aliases = ("Convolution3DTranspose", "Deconvolution3D", "Deconv3D")
    rank = 3
    # Keras 3 puts data_format before output_padding here (and only here).
    signature = params("filters", "kernel_size", strides=(1, 1, 1), padding="valid", data_format=None, output_padding=None, dilation_rate=(1, 1, 1), **_CONV_TAIL)


class _DepthwiseConv(_Conv):
    """One ``kernel_size + (channels, depth_multiplier)`` kernel: channels * multiplier outputs."""

    allows_strided_dilation = True

    def _check(self, input_shape):
        super()._check(input_shape)
        self._positive_int("depth_multiplier")

    def out_channels(self, input_shape):
        channels = self.in_channels(input_shape)
        return None if channels is None else channels * self.int_arg("depth_multiplier")

    def units(self):
        return None

    def _weights(self, kernel, channels):
        multiplier = self.int_arg("depth_multiplier")
        depth_out = None if channels is None else channels * multiplier
        return [Weight("kernel", (*kernel, channels, multiplier)), *self._bias(depth_out)]

    def formula(self, input_shape):
        channels = self.in_channels(input_shape)
        multiplier = self.int_arg("depth_multiplier")
        body = f"{_times(self.tuple_arg('kernel_size', self.rank))}*{channels}*{multiplier}"
        return self._plus_bias(body, f"{channels}*{multiplier}")


@register
class DepthwiseConv1D(_DepthwiseConv):
    name = "DepthwiseConv1D"
    rank = 1
    signature = params("kernel_size", strides=1, padding="valid", depth_multiplier=1, data_format=None, dilation_rate=1, **_DEPTHWISE_TAIL)


@register
class DepthwiseConv2D(_DepthwiseConv):
    name = "DepthwiseConv2D"
    rank = 2
    signature = params("kernel_size", strides=(1, 1), padding="valid", depth_multiplier=1, data_format=None, dilation_rate=(1, 1), **_DEPTHWISE_TAIL)


class _SeparableConv(_Conv):
    """A depthwise kernel, then a ``1x..x1`` pointwise kernel to ``filters``, and a bias."""

    allows_strided_dilation = True
    legacy_keywords = {**_Conv.legacy_keywords, "init": "depthwise_initializer"}

    def _check(self, input_shape):
        super()._check(input_shape)
        self._positive_int("filters")
        self._positive_int("depth_multiplier")

    def _weights(self, kernel, channels):
        multiplier = self.int_arg("depth_multiplier")
        filters = self.int_arg("filters")
        depth_out = None if channels is None else channels * multiplier
        return [
            Weight("depthwise_kernel", (*kernel, channels, multiplier)),
            Weight("pointwise_kernel", ((1,) * self.rank + (depth_out, filters))),
            *self._bias(filters),
        ]

    def formula(self, input_shape):
        channels = self.in_channels(input_shape)
        multiplier = self.int_arg("depth_multiplier")
        filters = self.int_arg("filters")
        text = f"{_times(self.tuple_arg('kernel_size', self.rank))}*{channels}*{multiplier} + {channels}*{multiplier}*{filters}"
        return self._plus_bias(text, filters)


@register
class SeparableConv1D(_SeparableConv):
    name = "SeparableConv1D"
    aliases = ("SeparableConvolution1D",)
    rank = 1
    signature = params("filters", "kernel_size", strides=1, padding="valid", data_format=None, dilation_rate=1, depth_multiplier=1, **_SEPARABLE_TAIL)


@register
class SeparableConv2D(_SeparableConv):
    name = "SeparableConv2D"
    aliases = ("SeparableConvolution2D",)
    rank = 2
    signature = params("filters", "kernel_size", strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1), depth_multiplier=1, **_SEPARABLE_TAIL)
