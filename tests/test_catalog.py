"""The layer catalog checked row by row against real Keras.

Each row is ``(layer class name, positional args, kwargs, input shape(s))``. For every
row the test computes archlint's output shape and trainable / non-trainable parameter
counts, then builds the same layer with Keras (``KERAS_BACKEND=numpy``), calls it on a
symbolic tensor and reads the same three facts off it. No expected value is typed by
hand: Keras is the oracle.

``ERROR_ROWS`` are calls Keras refuses (it raises while building the layer); archlint
must raise ``ShapeError`` of the given kind for them. ``LEGACY_ROWS`` pair a Keras 1/2
spelling (which Keras 3 no longer accepts) with its Keras 3 equivalent: archlint on the
legacy call must match Keras on the modern one.
"""

from __future__ import annotations

import importlib.util
import inspect
import math
import os
import types
import warnings
from typing import Any, Dict, NamedTuple, Tuple

import pytest

os.environ.setdefault("KERAS_BACKEND", "numpy")

from archlint.layers import all_specs, bind, lookup  # noqa: E402
from archlint.layers.base import REQUIRED  # noqa: E402
from archlint.shapes import ShapeError  # noqa: E402


# --- the table ----------------------------------------------------------------------------


class Sub(NamedTuple):
    """A layer passed as an argument (TimeDistributed's ``layer``)."""

    name: str
    args: Tuple = ()
    kwargs: Dict[str, Any] = {}


def identity(x):
    """Lambda's function; with ``output_shape`` given Keras never calls it for shapes."""
    return x


def row(id, layer, args=(), kwargs=None, shape=None):
    return pytest.param(layer, tuple(args), dict(kwargs or {}), shape, id=id)


def err(id, layer, args, kwargs, shape, kind):
    return pytest.param(layer, tuple(args), dict(kwargs or {}), shape, kind, id=id)


CF = {"data_format": "channels_first"}

ROWS = [
    # --- core -----------------------------------------------------------------------------
    row("Dense", "Dense", (10,), {}, (None, 20)),
    row("Dense-no-bias", "Dense", (4,), {"use_bias": False}, (None, 20)),
    row("Dense-activation", "Dense", (1,), {"activation": "sigmoid"}, (None, 7)),
    row("Dense-rank3", "Dense", (8,), {}, (None, 5, 20)),
    row("Dense-rank4", "Dense", (6,), {}, (None, 3, 4, 5)),
    row("Dense-rank3-unknown-steps", "Dense", (3,), {}, (None, None, 7)),
    row("Dense-units-kw", "Dense", (), {"units": 5}, (None, 2)),
    row("Dropout", "Dropout", (0.5,), {}, (None, 10)),
    row("Dropout-noise-shape", "Dropout", (0.2,), {"noise_shape": (None, 1, 8)}, (None, 4, 8)),
    row("SpatialDropout2D", "SpatialDropout2D", (0.2,), {}, (None, 8, 8, 3)),
    row("SpatialDropout2D-channels-first", "SpatialDropout2D", (0.2,), CF, (None, 3, 8, 8)),
    row("Identity", "Identity", (), {}, (None, 3, 4)),
    row("Embedding", "Embedding", (1000, 64), {}, (None, 10)),
    row("Embedding-unknown-length", "Embedding", (50, 8), {"mask_zero": True}, (None, None)),
    row("Embedding-rank3-ids", "Embedding", (20, 4), {}, (None, 3, 5)),
    row("Lambda-output-shape", "Lambda", (identity,), {"output_shape": (8,)}, (None, 8)),
    row("Lambda-output-shape-rank2", "Lambda", (identity,), {"output_shape": (4, 2)}, (None, 8)),
    row("Lambda-list-input", "Lambda", (identity,), {"output_shape": (4,)}, [(None, 4), (None, 4)]),
    # --- activations ----------------------------------------------------------------------
    row("Activation", "Activation", ("relu",), {}, (None, 5, 3)),
    row("ReLU", "ReLU", (), {}, (None, 10)),
    row("ReLU-max-value", "ReLU", (6.0,), {}, (None, 4, 4, 2)),
    row("ReLU-positional", "ReLU", (6.0, 0.1, 0.5), {}, (None, 3)),
    row("LeakyReLU", "LeakyReLU", (), {}, (None, 10)),
    row("LeakyReLU-negative-slope", "LeakyReLU", (), {"negative_slope": 0.1}, (None, 10)),
    row("ELU", "ELU", (), {}, (None, 10)),
    row("Softmax", "Softmax", (), {}, (None, 10)),
    row("Softmax-axis1", "Softmax", (), {"axis": 1}, (None, 3, 4)),
    # --- convolution ----------------------------------------------------------------------
    row("Conv1D", "Conv1D", (16, 3), {}, (None, 50, 8)),
    row("Conv1D-same-stride3", "Conv1D", (4, 5), {"strides": 3, "padding": "same"}, (None, 17, 3)),
    row("Conv1D-causal-dilation4", "Conv1D", (8, 3), {"padding": "causal", "dilation_rate": 4}, (None, 20, 2)),
    row("Conv1D-causal-stride2", "Conv1D", (8, 4), {"padding": "CAUSAL", "strides": 2}, (None, 21, 2)),
    row("Conv1D-channels-first", "Conv1D", (6, 3), CF, (None, 4, 20)),
    row("Conv1D-groups2", "Conv1D", (8, 3), {"groups": 2}, (None, 10, 4)),
    row("Conv1D-groups2-channels-first", "Conv1D", (6, 3), {"groups": 2, **CF}, (None, 4, 10)),
    row("Conv1D-unknown-length", "Conv1D", (8, 3), {"strides": 2}, (None, None, 4)),
    row("Conv1D-alias-Convolution1D", "Convolution1D", (8, 3), {}, (None, 12, 4)),
    row("Conv2D", "Conv2D", (32, (3, 3)), {}, (None, 28, 28, 1)),
    row("Conv2D-valid-stride2-odd", "Conv2D", (16, 3), {"strides": 2}, (None, 31, 31, 3)),
    row("Conv2D-same-stride2-odd", "Conv2D", (16, 3), {"strides": 2, "padding": "same"}, (None, 31, 31, 3)),
    row("Conv2D-same-stride3", "Conv2D", (4, 2), {"strides": 3, "padding": "same"}, (None, 10, 11, 3)),
    row("Conv2D-asymmetric-kernel-strides", "Conv2D", (8, (3, 5)), {"strides": (2, 1)}, (None, 20, 21, 3)),
    row("Conv2D-dilation2", "Conv2D", (8, 3), {"dilation_rate": 2}, (None, 15, 15, 3)),
    row("Conv2D-same-dilation-2x3", "Conv2D", (8, 3), {"padding": "same", "dilation_rate": (2, 3)}, (None, 15, 16, 3)),
    row("Conv2D-kernel-equals-input", "Conv2D", (4, 5), {}, (None, 5, 5, 2)),
    row("Conv2D-positional-strides-padding", "Conv2D", (8, (3, 3), (2, 2), "same"), {}, (None, 9, 9, 3)),
    row("Conv2D-uppercase-padding", "Conv2D", (8, 3), {"padding": "SAME", "strides": 2}, (None, 9, 9, 3)),
    row("Conv2D-no-bias", "Conv2D", (8, 3), {"use_bias": False}, (None, 10, 10, 3)),
    row("Conv2D-channels-first", "Conv2D", (8, 3), CF, (None, 3, 32, 30)),
    row("Conv2D-channels-first-same-stride2", "Conv2D", (8, (5, 3)), {"strides": 2, "padding": "same", **CF}, (None, 3, 17, 16)),
    row("Conv2D-channels-first-dilation", "Conv2D", (4, 3), {"dilation_rate": 2, **CF}, (None, 2, 12, 9)),
    row("Conv2D-groups3", "Conv2D", (12, 3), {"groups": 3}, (None, 16, 16, 6)),
    row("Conv2D-groups4-channels-first", "Conv2D", (8, 3), {"groups": 4, **CF}, (None, 8, 10, 10)),
    row("Conv2D-unknown-spatial", "Conv2D", (8, 3), {"strides": 2}, (None, None, None, 3)),
    row("Conv2D-alias-Convolution2D", "Convolution2D", (8, 3), {}, (None, 12, 12, 3)),
    row("Conv3D", "Conv3D", (4, 3), {}, (None, 8, 8, 8, 2)),
    row("Conv3D-same-mixed-strides", "Conv3D", (4, (3, 3, 2)), {"strides": (2, 1, 2), "padding": "same"}, (None, 9, 10, 7, 1)),
    row("Conv3D-channels-first", "Conv3D", (4, 3), CF, (None, 2, 8, 9, 10)),
    row("Conv3D-groups2-dilation", "Conv3D", (4, 2), {"groups": 2, "dilation_rate": 2}, (None, 6, 6, 6, 4)),
    row("Conv2DTranspose-same-stride2", "Conv2DTranspose", (16, 3), {"strides": 2, "padding": "same"}, (None, 7, 7, 8)),
    row("Conv2DTranspose-valid-stride2", "Conv2DTranspose", (16, 3), {"strides": 2}, (None, 7, 7, 8)),
    row("Conv2DTranspose-valid-stride-gt-kernel", "Conv2DTranspose", (4, 2), {"strides": 3}, (None, 7, 5, 8)),
    row("Conv2DTranspose-same-output-padding", "Conv2DTranspose", (8, 3), {"strides": 2, "padding": "same", "output_padding": 1}, (None, 7, 7, 4)),
    row("Conv2DTranspose-valid-stride-gt-kernel-output-padding", "Conv2DTranspose", (4, 2), {"strides": 3, "output_padding": 2}, (None, 7, 5, 8)),
    row("Conv2DTranspose-valid-output-padding", "Conv2DTranspose", (8, 3), {"strides": 2, "output_padding": 1}, (None, 7, 7, 4)),
    row("Conv2DTranspose-even-kernel-same-output-padding", "Conv2DTranspose", (8, 4), {"strides": 2, "padding": "same", "output_padding": 1}, (None, 7, 7, 4)),
    row("Conv2DTranspose-asymmetric-output-padding", "Conv2DTranspose", (8, 3), {"strides": (2, 3), "padding": "same", "output_padding": (1, 0)}, (None, 5, 6, 4)),
    row("Conv2DTranspose-dilation2", "Conv2DTranspose", (8, 3), {"dilation_rate": 2}, (None, 7, 7, 4)),
    row("Conv2DTranspose-channels-first", "Conv2DTranspose", (8, 3), {"strides": 2, "padding": "same", **CF}, (None, 4, 7, 9)),
    row("Conv2DTranspose-no-bias", "Conv2DTranspose", (8, 5), {"use_bias": False}, (None, 6, 6, 3)),
    row("Conv2DTranspose-unknown-spatial", "Conv2DTranspose", (8, 3), {"strides": 2, "padding": "same"}, (None, None, 7, 3)),
    row("DepthwiseConv2D", "DepthwiseConv2D", (3,), {}, (None, 16, 16, 8)),
    row("DepthwiseConv2D-multiplier2-same-stride2", "DepthwiseConv2D", (3,), {"depth_multiplier": 2, "strides": 2, "padding": "same"}, (None, 15, 15, 8)),
    row("DepthwiseConv2D-channels-first-multiplier3", "DepthwiseConv2D", ((3, 5),), {"depth_multiplier": 3, **CF}, (None, 4, 12, 13)),
    row("DepthwiseConv2D-no-bias-dilation", "DepthwiseConv2D", (3,), {"use_bias": False, "dilation_rate": 2}, (None, 9, 9, 5)),
    row("DepthwiseConv2D-positional-multiplier", "DepthwiseConv2D", (3, 1, "valid", 2), {}, (None, 9, 9, 5)),
    row("DepthwiseConv2D-stride2-dilation2", "DepthwiseConv2D", (3,), {"strides": 2, "dilation_rate": 2}, (None, 15, 15, 4)),
    row("SeparableConv2D", "SeparableConv2D", (16, 3), {}, (None, 16, 16, 8)),
    row("SeparableConv2D-multiplier2-same-stride2", "SeparableConv2D", (16, 3), {"depth_multiplier": 2, "strides": 2, "padding": "same"}, (None, 15, 15, 8)),
    row("SeparableConv2D-channels-first", "SeparableConv2D", (6, (3, 2)), CF, (None, 4, 10, 11)),
    row("SeparableConv2D-no-bias", "SeparableConv2D", (6, 3), {"use_bias": False}, (None, 10, 10, 4)),
    row("SeparableConv2D-stride2-dilation2", "SeparableConv2D", (6, 3), {"strides": 2, "dilation_rate": 2, "depth_multiplier": 3}, (None, 15, 15, 4)),
    # --- pooling --------------------------------------------------------------------------
    row("MaxPooling1D-default", "MaxPooling1D", (), {}, (None, 11, 4)),
    row("MaxPooling1D-same-stride2", "MaxPooling1D", (3,), {"strides": 2, "padding": "same"}, (None, 11, 4)),
    row("MaxPooling1D-channels-first", "MaxPooling1D", (), CF, (None, 4, 11)),
    row("MaxPooling2D-default", "MaxPooling2D", (), {}, (None, 7, 7, 3)),
    row("MaxPooling2D-3x3-stride2", "MaxPooling2D", ((3, 3),), {"strides": (2, 2)}, (None, 15, 15, 3)),
    row("MaxPooling2D-positional-same", "MaxPooling2D", ((2, 2), (2, 2), "same"), {}, (None, 7, 7, 3)),
    row("MaxPooling2D-asymmetric-stride1", "MaxPooling2D", ((3, 2),), {"strides": 1}, (None, 9, 8, 3)),
    row("MaxPooling2D-channels-first", "MaxPooling2D", (), CF, (None, 3, 9, 8)),
    row("MaxPooling2D-channels-first-same", "MaxPooling2D", (3,), {"strides": 2, "padding": "same", **CF}, (None, 3, 9, 8)),
    row("MaxPooling2D-unknown-spatial", "MaxPooling2D", (), {}, (None, None, 8, 3)),
    row("MaxPooling2D-alias-MaxPool2D", "MaxPool2D", (2,), {}, (None, 9, 9, 3)),
    row("MaxPooling3D-default", "MaxPooling3D", (), {}, (None, 8, 9, 10, 2)),
    row("MaxPooling3D-channels-first", "MaxPooling3D", ((2, 3, 1),), CF, (None, 2, 8, 9, 10)),
    row("AveragePooling1D", "AveragePooling1D", (2,), {}, (None, 10, 3)),
    row("AveragePooling1D-same-stride1", "AveragePooling1D", (4,), {"strides": 1, "padding": "same"}, (None, 10, 3)),
    row("AveragePooling1D-alias-AvgPool1D", "AvgPool1D", (3,), {}, (None, 10, 3)),
    row("AveragePooling2D", "AveragePooling2D", ((2, 2),), {}, (None, 9, 9, 3)),
    row("AveragePooling2D-channels-first-same", "AveragePooling2D", (3,), {"strides": 2, "padding": "same", **CF}, (None, 3, 11, 10)),
    row("AveragePooling3D", "AveragePooling3D", ((2, 2, 2),), {}, (None, 8, 9, 10, 2)),
    row("AveragePooling3D-channels-first", "AveragePooling3D", (2,), CF, (None, 2, 8, 9, 10)),
    row("GlobalMaxPooling1D", "GlobalMaxPooling1D", (), {}, (None, 10, 4)),
    row("GlobalMaxPooling1D-channels-first", "GlobalMaxPooling1D", (), CF, (None, 4, 10)),
    row("GlobalMaxPooling1D-keepdims", "GlobalMaxPooling1D", (), {"keepdims": True}, (None, 10, 4)),
    row("GlobalMaxPooling2D", "GlobalMaxPooling2D", (), {}, (None, 7, 7, 32)),
    row("GlobalMaxPooling2D-channels-first-keepdims", "GlobalMaxPooling2D", (), {"keepdims": True, **CF}, (None, 32, 7, 7)),
    row("GlobalMaxPooling3D", "GlobalMaxPooling3D", (), {}, (None, 4, 5, 6, 3)),
    row("GlobalMaxPooling3D-keepdims", "GlobalMaxPooling3D", (), {"keepdims": True}, (None, 4, 5, 6, 3)),
    row("GlobalAveragePooling1D", "GlobalAveragePooling1D", (), {}, (None, 10, 4)),
    row("GlobalAveragePooling1D-channels-first-keepdims", "GlobalAveragePooling1D", (), {"keepdims": True, **CF}, (None, 4, 10)),
    row("GlobalAveragePooling2D", "GlobalAveragePooling2D", (), {}, (None, 7, 7, 32)),
    row("GlobalAveragePooling2D-channels-first", "GlobalAveragePooling2D", (), CF, (None, 32, 7, 7)),
    row("GlobalAveragePooling2D-keepdims", "GlobalAveragePooling2D", (), {"keepdims": True}, (None, 7, 7, 32)),
    row("GlobalAveragePooling2D-alias-GlobalAvgPool2D", "GlobalAvgPool2D", (), {}, (None, 7, 7, 32)),
    row("GlobalAveragePooling3D", "GlobalAveragePooling3D", (), {}, (None, 4, 5, 6, 3)),
    row("GlobalAveragePooling3D-channels-first-keepdims", "GlobalAveragePooling3D", (), {"keepdims": True, **CF}, (None, 3, 4, 5, 6)),
    # --- normalization --------------------------------------------------------------------
    row("BatchNormalization-rank2", "BatchNormalization", (), {}, (None, 10)),
    row("BatchNormalization-rank4", "BatchNormalization", (), {}, (None, 8, 8, 16)),
    row("BatchNormalization-axis1-channels-first", "BatchNormalization", (), {"axis": 1}, (None, 16, 8, 8)),
    row("BatchNormalization-axis1-positional", "BatchNormalization", (1,), {}, (None, 6, 8, 8)),
    row("BatchNormalization-axis2-rank3", "BatchNormalization", (), {"axis": 2}, (None, 5, 7)),
    row("BatchNormalization-axis-minus2", "BatchNormalization", (), {"axis": -2}, (None, 5, 7)),
    row("BatchNormalization-no-center", "BatchNormalization", (), {"center": False}, (None, 12)),
    row("BatchNormalization-no-scale", "BatchNormalization", (), {"scale": False}, (None, 12)),
    row("BatchNormalization-no-center-no-scale", "BatchNormalization", (), {"center": False, "scale": False}, (None, 4, 4, 12)),
    row("BatchNormalization-renorm", "BatchNormalization", (), {"renorm": True}, (None, 6)),
    row("LayerNormalization", "LayerNormalization", (), {}, (None, 10, 16)),
    row("LayerNormalization-axis-list", "LayerNormalization", (), {"axis": [1, 2]}, (None, 10, 16)),
    row("LayerNormalization-axis-list-unsorted", "LayerNormalization", (), {"axis": [3, 1]}, (None, 2, 3, 4)),
    row("LayerNormalization-axis-tuple-negative", "LayerNormalization", (), {"axis": (-2, -1)}, (None, 4, 5, 6)),
    row("LayerNormalization-axis1", "LayerNormalization", (1,), {}, (None, 10, 16)),
    row("LayerNormalization-no-center", "LayerNormalization", (), {"center": False}, (None, 8)),
    row("LayerNormalization-no-scale", "LayerNormalization", (), {"scale": False}, (None, 8)),
    row("LayerNormalization-rms-scaling", "LayerNormalization", (), {"rms_scaling": True}, (None, 8)),
    row("LayerNormalization-positional-initializer", "LayerNormalization", (-1, 1e-3, True, True, "zeros"), {}, (None, 8)),
    # --- reshaping ------------------------------------------------------------------------
    row("Flatten", "Flatten", (), {}, (None, 7, 7, 64)),
    row("Flatten-rank2", "Flatten", (), {}, (None, 10)),
    row("Flatten-rank1", "Flatten", (), {}, (None,)),
    row("Flatten-unknown-dim", "Flatten", (), {}, (None, None, 4)),
    row("Flatten-channels-first", "Flatten", (), CF, (None, 3, 4, 5)),
    row("Reshape", "Reshape", ((7, 7, 64),), {}, (None, 3136)),
    row("Reshape-minus1-first", "Reshape", ((-1, 4),), {}, (None, 8, 6)),
    row("Reshape-minus1-middle", "Reshape", ((2, -1, 3),), {}, (None, 4, 6)),
    row("Reshape-minus1-only", "Reshape", ((-1,),), {}, (None, 2, 3, 4)),
    row("Reshape-unknown-input-minus1", "Reshape", ((-1, 2),), {}, (None, None, 4)),
    row("Reshape-list-target", "Reshape", ([4, 6],), {}, (None, 24)),
    row("Permute", "Permute", ((2, 1),), {}, (None, 3, 5)),
    row("Permute-rank4", "Permute", ((3, 1, 2),), {}, (None, 2, 3, 4)),
    row("RepeatVector", "RepeatVector", (3,), {}, (None, 8)),
    row("ZeroPadding1D-default", "ZeroPadding1D", (), {}, (None, 10, 3)),
    row("ZeroPadding1D-asymmetric", "ZeroPadding1D", ((2, 3),), {}, (None, 10, 3)),
    row("ZeroPadding1D-channels-first", "ZeroPadding1D", (2,), CF, (None, 3, 10)),
    row("ZeroPadding2D-default", "ZeroPadding2D", (), {}, (None, 8, 8, 3)),
    row("ZeroPadding2D-int", "ZeroPadding2D", (2,), {}, (None, 8, 8, 3)),
    row("ZeroPadding2D-symmetric-pair", "ZeroPadding2D", ((2, 3),), {}, (None, 8, 8, 3)),
    row("ZeroPadding2D-asymmetric-pairs", "ZeroPadding2D", (((1, 2), (3, 4)),), {}, (None, 8, 8, 3)),
    row("ZeroPadding2D-unknown-spatial", "ZeroPadding2D", (1,), {}, (None, None, 8, 3)),
    row("ZeroPadding2D-channels-first", "ZeroPadding2D", (((1, 0), (0, 2)),), CF, (None, 3, 8, 9)),
    row("ZeroPadding3D-default", "ZeroPadding3D", (), {}, (None, 4, 5, 6, 2)),
    row("ZeroPadding3D-channels-first", "ZeroPadding3D", (((1, 0), (0, 2), (3, 3)),), CF, (None, 2, 4, 5, 6)),
    row("Cropping1D-default", "Cropping1D", (), {}, (None, 10, 3)),
    row("Cropping1D-asymmetric", "Cropping1D", ((2, 0),), {}, (None, 10, 3)),
    row("Cropping1D-int", "Cropping1D", (3,), {}, (None, 10, 3)),
    row("Cropping2D-default", "Cropping2D", (), {}, (None, 8, 8, 3)),
    row("Cropping2D-int", "Cropping2D", (2,), {}, (None, 8, 9, 3)),
    row("Cropping2D-symmetric-pair", "Cropping2D", ((1, 2),), {}, (None, 8, 9, 3)),
    row("Cropping2D-asymmetric-pairs", "Cropping2D", (((1, 2), (3, 0)),), {}, (None, 8, 9, 3)),
    row("Cropping2D-unknown-spatial", "Cropping2D", (1,), {}, (None, 8, None, 3)),
    row("Cropping2D-channels-first", "Cropping2D", (((1, 2), (3, 0)),), CF, (None, 3, 8, 9)),
    row("Cropping3D-default", "Cropping3D", (), {}, (None, 6, 7, 8, 2)),
    row("Cropping3D-channels-first", "Cropping3D", (((1, 0), (0, 2), (1, 1)),), CF, (None, 2, 6, 7, 8)),
    row("UpSampling1D-default", "UpSampling1D", (), {}, (None, 5, 3)),
    row("UpSampling1D-size3", "UpSampling1D", (3,), {}, (None, 5, 3)),
    row("UpSampling2D-default", "UpSampling2D", (), {}, (None, 5, 6, 3)),
    row("UpSampling2D-2x3", "UpSampling2D", ((2, 3),), {}, (None, 5, 6, 3)),
    row("UpSampling2D-unknown-spatial", "UpSampling2D", (), {}, (None, None, 4, 3)),
    row("UpSampling2D-channels-first", "UpSampling2D", (2,), CF, (None, 3, 5, 6)),
    row("UpSampling2D-bilinear", "UpSampling2D", (), {"interpolation": "bilinear"}, (None, 5, 6, 3)),
    row("UpSampling3D-default", "UpSampling3D", (), {}, (None, 2, 3, 4, 5)),
    row("UpSampling3D-channels-first", "UpSampling3D", ((1, 2, 3),), CF, (None, 5, 2, 3, 4)),
    # --- merging --------------------------------------------------------------------------
    row("Add", "Add", (), {}, [(None, 4), (None, 4)]),
    row("Add-single-input", "Add", (), {}, [(None, 4)]),
    row("Add-three-inputs", "Add", (), {}, [(None, 3, 4), (None, 3, 4), (None, 3, 4)]),
    row("Add-broadcast-ones", "Add", (), {}, [(None, 1, 4), (None, 3, 1)]),
    row("Add-broadcast-rank", "Add", (), {}, [(None, 3, 4), (None, 4)]),
    row("Add-unknown-dim", "Add", (), {}, [(None, None, 4), (None, 3, 4)]),
    row("Subtract", "Subtract", (), {}, [(None, 5), (None, 5)]),
    row("Subtract-broadcast", "Subtract", (), {}, [(None, 2, 1), (None, 1, 6)]),
    row("Multiply", "Multiply", (), {}, [(None, 8, 8, 16), (None, 1, 1, 16)]),
    row("Multiply-broadcast-1", "Multiply", (), {}, [(None, 1), (None, 5)]),
    row("Average", "Average", (), {}, [(None, 6), (None, 6)]),
    row("Average-broadcast", "Average", (), {}, [(None, 4, 1), (None, 4, 6), (None, 1, 6)]),
    row("Maximum", "Maximum", (), {}, [(None, 6), (None, 6)]),
    row("Maximum-broadcast", "Maximum", (), {}, [(None, 2, 3), (None, 1, 3)]),
    row("Minimum", "Minimum", (), {}, [(None, 6), (None, 6)]),
    row("Minimum-broadcast", "Minimum", (), {}, [(None, 7, 1), (None, 7, 5)]),
    row("Concatenate", "Concatenate", (), {}, [(None, 3, 4), (None, 3, 5)]),
    row("Concatenate-axis-minus1-three", "Concatenate", (), {"axis": -1}, [(None, 8, 8, 3), (None, 8, 8, 5), (None, 8, 8, 1)]),
    row("Concatenate-axis1", "Concatenate", (), {"axis": 1}, [(None, 3, 4), (None, 5, 4)]),
    row("Concatenate-axis1-positional", "Concatenate", (1,), {}, [(None, 2, 6, 6), (None, 3, 6, 6)]),
    row("Concatenate-axis-minus2", "Concatenate", (), {"axis": -2}, [(None, 2, 7), (None, 3, 7)]),
    row("Concatenate-unknown-axis-dim", "Concatenate", (), {"axis": 1}, [(None, None, 4), (None, 3, 4)]),
    row("Concatenate-unknown-other-dim", "Concatenate", (), {}, [(None, None, 4), (None, 3, 2)]),
    # --- wrappers -------------------------------------------------------------------------
    row("TimeDistributed-Dense", "TimeDistributed", (Sub("Dense", (8,)),), {}, (None, 10, 16)),
    row("TimeDistributed-Dense-rank4", "TimeDistributed", (Sub("Dense", (8,)),), {}, (None, 10, 3, 16)),
    row("TimeDistributed-Conv2D", "TimeDistributed", (Sub("Conv2D", (4, 3)),), {}, (None, 5, 28, 28, 1)),
    row("TimeDistributed-Conv2D-same-stride2", "TimeDistributed", (Sub("Conv2D", (4, 3), {"strides": 2, "padding": "same"}),), {}, (None, None, 15, 15, 3)),
    row("TimeDistributed-Conv2D-channels-first", "TimeDistributed", (Sub("Conv2D", (4, 3), CF),), {}, (None, 5, 3, 12, 12)),
    row("TimeDistributed-MaxPooling2D", "TimeDistributed", (Sub("MaxPooling2D"),), {}, (None, 5, 8, 8, 3)),
    row("TimeDistributed-Flatten", "TimeDistributed", (Sub("Flatten"),), {}, (None, 5, 4, 4, 3)),
    row("TimeDistributed-Conv1D", "TimeDistributed", (Sub("Conv1D", (4, 3), {"padding": "causal"}),), {}, (None, 5, 9, 2)),
    row("TimeDistributed-BatchNormalization", "TimeDistributed", (Sub("BatchNormalization"),), {}, (None, 5, 6)),
]

ERROR_ROWS = [
    err("Conv2D-kernel-larger-than-input", "Conv2D", (8, 5), {}, (None, 4, 4, 3), "nonpositive_dim"),
    err("Conv2D-dilated-kernel-too-large", "Conv2D", (8, 3), {"dilation_rate": 3}, (None, 6, 6, 3), "nonpositive_dim"),
    err("Conv2D-channels-first-kernel-too-large", "Conv2D", (8, 5), CF, (None, 3, 4, 9), "nonpositive_dim"),
    err("Conv1D-kernel-larger-than-input", "Conv1D", (4, 7), {}, (None, 5, 2), "nonpositive_dim"),
    err("Conv3D-kernel-larger-than-input", "Conv3D", (4, 3), {}, (None, 8, 2, 8, 1), "nonpositive_dim"),
    err("Conv1D-stride2-dilation2", "Conv1D", (8, 3), {"strides": 2, "dilation_rate": 2}, (None, 21, 2), "bad_argument"),
    err("Conv2D-stride2-dilation2", "Conv2D", (8, 3), {"strides": (1, 2), "dilation_rate": (2, 1)}, (None, 21, 21, 2), "bad_argument"),
    err("Conv2D-causal-padding", "Conv2D", (8, 3), {"padding": "causal"}, (None, 21, 21, 2), "bad_argument"),
    err("Conv2DTranspose-stride2-dilation2", "Conv2DTranspose", (8, 3), {"strides": 2, "dilation_rate": 2}, (None, 7, 7, 2), "bad_argument"),
    err("Conv2DTranspose-output-padding-not-below-strides", "Conv2DTranspose", (8, 3), {"strides": 2, "output_padding": 2}, (None, 7, 7, 2), "bad_argument"),
    err("Conv2D-rank3-input", "Conv2D", (8, 3), {}, (None, 28, 28), "wrong_rank"),
    err("Conv2D-groups-not-dividing-channels", "Conv2D", (4, 3), {"groups": 2}, (None, 8, 8, 5), "bad_groups"),
    err("DepthwiseConv2D-kernel-larger-than-input", "DepthwiseConv2D", (5,), {}, (None, 4, 8, 3), "nonpositive_dim"),
    err("SeparableConv2D-kernel-larger-than-input", "SeparableConv2D", (4, 5), {}, (None, 8, 4, 3), "nonpositive_dim"),
    err("MaxPooling2D-pool-larger-than-input", "MaxPooling2D", ((3, 3),), {}, (None, 2, 2, 3), "nonpositive_dim"),
    err("MaxPooling2D-rank3-input", "MaxPooling2D", (), {}, (None, 8, 8), "wrong_rank"),
    err("AveragePooling1D-pool-larger-than-input", "AveragePooling1D", (5,), {}, (None, 4, 3), "nonpositive_dim"),
    err("MaxPooling3D-channels-first-pool-too-large", "MaxPooling3D", (3,), CF, (None, 2, 8, 2, 8), "nonpositive_dim"),
    err("GlobalAveragePooling2D-rank3-input", "GlobalAveragePooling2D", (), {}, (None, 8, 8), "wrong_rank"),
    err("Dense-rank1-input", "Dense", (4,), {}, (None,), "wrong_rank"),
    err("RepeatVector-rank3-input", "RepeatVector", (2,), {}, (None, 3, 4), "wrong_rank"),
    err("Permute-wrong-dims", "Permute", ((1, 3),), {}, (None, 3, 4), "bad_argument"),
    err("SpatialDropout2D-rank3-input", "SpatialDropout2D", (0.2,), {}, (None, 8, 8), "wrong_rank"),
    err("BatchNormalization-axis-out-of-range", "BatchNormalization", (), {"axis": 3}, (None, 4, 5), "bad_axis"),
    err("Cropping1D-crops-everything", "Cropping1D", ((5, 5),), {}, (None, 8, 2), "nonpositive_dim"),
    err("Cropping2D-crops-everything", "Cropping2D", (((3, 3), (0, 0)),), {}, (None, 6, 6, 3), "nonpositive_dim"),
    err("Reshape-incompatible-size", "Reshape", ((5, 5),), {}, (None, 4, 6), "reshape_mismatch"),
    err("Reshape-minus1-not-dividing", "Reshape", ((-1, 5),), {}, (None, 4, 6), "reshape_mismatch"),
    err("Add-mismatch", "Add", (), {}, [(None, 4), (None, 5)], "merge_mismatch"),
    err("Multiply-mismatch-rank3", "Multiply", (), {}, [(None, 3, 4), (None, 2, 4)], "merge_mismatch"),
    err("Maximum-different-batch-sizes", "Maximum", (), {}, [(2, 4), (3, 4)], "merge_mismatch"),
    err("Subtract-three-inputs", "Subtract", (), {}, [(None, 4), (None, 4), (None, 4)], "bad_input"),
    err("Concatenate-mismatch-non-axis", "Concatenate", (), {}, [(None, 3, 4), (None, 5, 4)], "concat_mismatch"),
    err("Concatenate-axis1-mismatch", "Concatenate", (), {"axis": 1}, [(None, 3, 4), (None, 3, 5)], "concat_mismatch"),
    err("Concatenate-rank-mismatch", "Concatenate", (), {}, [(None, 3, 4), (None, 4)], "concat_mismatch"),
    err("Concatenate-axis-out-of-range", "Concatenate", (), {"axis": 2}, [(None, 3), (None, 3)], "bad_axis"),
    err("Concatenate-channels-mismatch-rank4", "Concatenate", (), {}, [(None, 8, 8, 3), (None, 4, 4, 3)], "concat_mismatch"),
    err("TimeDistributed-rank2-input", "TimeDistributed", (Sub("Dense", (8,)),), {}, (None, 16), "wrong_rank"),
    err("TimeDistributed-Conv2D-kernel-too-large", "TimeDistributed", (Sub("Conv2D", (4, 5)),), {}, (None, 3, 4, 4, 1), "nonpositive_dim"),
]

# (id, legacy class, legacy args, legacy kwargs, Keras 3 class, Keras 3 args, Keras 3 kwargs, input shape(s))
LEGACY_ROWS = [
    pytest.param("AveragePooling2D", (), {},
                 "AveragePooling2D", ((2, 2),), {}, (None, 8, 8, 3),
                 id="AveragePooling2D-keras2-default-pool"),
    pytest.param("Convolution2D", (32, 5, 5), {"border_mode": "same", "subsample": (2, 2)},
                 "Conv2D", (32, (5, 5)), {"padding": "same", "strides": (2, 2)}, (None, 28, 28, 3),
                 id="Convolution2D-keras1-same-subsample"),
    pytest.param("Convolution2D", (16, 3, 3), {},
                 "Conv2D", (16, (3, 3)), {}, (None, 28, 28, 3),
                 id="Convolution2D-keras1-positional-kernel"),
    pytest.param("Convolution2D", (8, 3, 5, "glorot_uniform", "relu"), {"bias": False},
                 "Conv2D", (8, (3, 5)), {"activation": "relu", "use_bias": False}, (None, 12, 12, 3),
                 id="Convolution2D-keras1-init-activation-bias"),
    pytest.param("Convolution2D", (), {"nb_filter": 8, "nb_row": 3, "nb_col": 2},
                 "Conv2D", (8, (3, 2)), {}, (None, 10, 10, 3),
                 id="Convolution2D-keras1-keywords"),
    pytest.param("Convolution2D", (8, 3, 3), {"dim_ordering": "th", "border_mode": "valid"},
                 "Conv2D", (8, (3, 3)), CF, (None, 3, 16, 12),
                 id="Convolution2D-keras1-dim-ordering-th"),
    pytest.param("Convolution2D", (8, 3, 3), {"dim_ordering": "tf", "W_regularizer": None, "init": "he_normal"},
                 "Conv2D", (8, (3, 3)), {}, (None, 16, 12, 3),
                 id="Convolution2D-keras1-dim-ordering-tf"),
    pytest.param("AtrousConvolution2D", (8, 3, 3), {"atrous_rate": (2, 2)},
                 "Conv2D", (8, (3, 3)), {"dilation_rate": (2, 2)}, (None, 15, 15, 3),
                 id="AtrousConvolution2D-keras1"),
    pytest.param("Convolution1D", (), {"nb_filter": 16, "filter_length": 3, "subsample_length": 2},
                 "Conv1D", (16, 3), {"strides": 2}, (None, 21, 4),
                 id="Convolution1D-keras1-keywords"),
    pytest.param("Convolution1D", (16, 3), {"border_mode": "same"},
                 "Conv1D", (16, 3), {"padding": "same"}, (None, 21, 4),
                 id="Convolution1D-keras1-border-mode"),
    pytest.param("Convolution3D", (4, 3, 3, 2), {"border_mode": "same"},
                 "Conv3D", (4, (3, 3, 2)), {"padding": "same"}, (None, 6, 7, 8, 2),
                 id="Convolution3D-keras1-positional-kernel"),
    pytest.param("Deconvolution2D", (8, (3, 3)), {"strides": 2},
                 "Conv2DTranspose", (8, (3, 3)), {"strides": 2}, (None, 7, 7, 4),
                 id="Deconvolution2D-keras2-alias"),
    pytest.param("Dense", (), {"output_dim": 10},
                 "Dense", (10,), {}, (None, 20),
                 id="Dense-output-dim"),
    pytest.param("Dense", (10,), {"init": "uniform", "bias": False},
                 "Dense", (10,), {"use_bias": False}, (None, 20),
                 id="Dense-init-bias"),
    pytest.param("MaxPooling2D", ((2, 2), (2, 2), "same"), {},
                 "MaxPooling2D", (), {"pool_size": (2, 2), "strides": (2, 2), "padding": "same"}, (None, 7, 7, 3),
                 id="MaxPooling2D-keras1-positional"),
    pytest.param("MaxPooling2D", (), {"pool_size": (2, 2), "border_mode": "same", "dim_ordering": "th"},
                 "MaxPooling2D", ((2, 2),), {"padding": "same", **CF}, (None, 3, 7, 7),
                 id="MaxPooling2D-keras1-border-mode-dim-ordering"),
    pytest.param("MaxPooling1D", (), {"pool_length": 3, "stride": 2},
                 "MaxPooling1D", (3,), {"strides": 2}, (None, 11, 4),
                 id="MaxPooling1D-keras1-pool-length-stride"),
    pytest.param("AveragePooling2D", ((3, 3),), {"border_mode": "valid", "dim_ordering": "tf"},
                 "AveragePooling2D", ((3, 3),), {}, (None, 10, 10, 3),
                 id="AveragePooling2D-keras1-border-mode"),
    pytest.param("LeakyReLU", (), {"alpha": 0.2},
                 "LeakyReLU", (), {"negative_slope": 0.2}, (None, 10),
                 id="LeakyReLU-alpha"),
    pytest.param("Dropout", (), {"p": 0.5},
                 "Dropout", (0.5,), {}, (None, 10),
                 id="Dropout-p"),
    pytest.param("Reshape", (), {"dims": (4, 4)},
                 "Reshape", ((4, 4),), {}, (None, 16),
                 id="Reshape-dims"),
    pytest.param("BatchNormalization", (), {"mode": 0, "axis": 1},
                 "BatchNormalization", (), {"axis": 1}, (None, 6, 4, 4),
                 id="BatchNormalization-mode"),
    pytest.param("Concatenate", (), {"concat_axis": 1},
                 "Concatenate", (), {"axis": 1}, [(None, 2, 5), (None, 3, 5)],
                 id="Concatenate-concat-axis"),
]


# --- archlint's side ----------------------------------------------------------------------


def _archlint_value(value):
    if isinstance(value, Sub):
        return types.SimpleNamespace(spec=_archlint_spec(value.name, value.args, value.kwargs))
    return value


def _archlint_spec(name, args, kwargs):
    spec_cls = lookup(name)
    assert spec_cls is not None, f"{name} is not in the catalog"
    binding = bind(
        spec_cls,
        [_archlint_value(a) for a in args],
        {k: _archlint_value(v) for k, v in kwargs.items()},
        name,
    )
    legacy_gaps = [("missing_argument", f"{spec_cls.name} needs `{k}`") for k in spec_cls.legacy_defaults]
    unexpected = [p for p in binding.problems if p not in legacy_gaps]
    assert unexpected == [], f"{name}: binding problems {unexpected}"
    return spec_cls(binding.config)


def archlint_facts(name, args, kwargs, shape):
    """(output shape, trainable params, non-trainable params) according to archlint."""
    spec = _archlint_spec(name, args, kwargs)
    if spec.takes_list:
        shape = [tuple(s) for s in shape]
    out = tuple(spec.output_shape(shape))
    weights = spec.weights(shape)
    counts = [w.count for w in weights]
    assert None not in counts, f"unknown weight shape in {weights}"
    trainable = sum(w.count for w in weights if w.trainable)
    non_trainable = sum(w.count for w in weights if not w.trainable)
    return out, trainable, non_trainable


# --- Keras's side -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keras():
    if importlib.util.find_spec("keras") is None:
        pytest.skip("keras is not installed (pip install -e .[test])")
    import keras  # noqa: F811  (errors other than absence must fail loudly)

    keras.config.set_image_data_format("channels_last")
    return keras


def _keras_value(keras, value):
    if isinstance(value, Sub):
        return _keras_layer(keras, value.name, value.args, value.kwargs)
    return value


def _keras_layer(keras, name, args, kwargs):
    cls = getattr(keras.layers, name)
    return cls(*(_keras_value(keras, a) for a in args), **{k: _keras_value(keras, v) for k, v in kwargs.items()})


def _symbolic(keras, name, shape):
    dtype = "int32" if name == "Embedding" else "float32"
    return keras.KerasTensor(tuple(shape), dtype=dtype)


def keras_facts(keras, name, args, kwargs, shape):
    """(output shape, trainable params, non-trainable params) according to Keras."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        layer = _keras_layer(keras, name, args, kwargs)
    if isinstance(shape, list):
        inputs = [_symbolic(keras, name, s) for s in shape]
    else:
        inputs = _symbolic(keras, name, shape)
    with warnings.catch_warnings():  # e.g. rms_scaling's deprecation notice; only shapes matter here
        warnings.simplefilter("ignore", UserWarning)
        output = layer(inputs)
    count = lambda weights: int(sum(math.prod(w.shape) for w in weights))  # noqa: E731
    return tuple(output.shape), count(layer.trainable_weights), count(layer.non_trainable_weights)


# --- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("name, args, kwargs, shape", ROWS)
def test_layer_matches_keras(keras, name, args, kwargs, shape):
    want = keras_facts(keras, name, args, kwargs, shape)
    got = archlint_facts(name, args, kwargs, shape)
    assert got == want, f"(output shape, trainable, non-trainable): archlint {got} vs keras {want}"


@pytest.mark.parametrize("name, args, kwargs, shape, kind", ERROR_ROWS)
def test_layer_error_matches_keras(keras, name, args, kwargs, shape, kind):
    with pytest.raises((ValueError, IndexError)):
        keras_facts(keras, name, args, kwargs, shape)
    with pytest.raises(ShapeError) as raised:
        archlint_facts(name, args, kwargs, shape)
    assert raised.value.kind == kind, raised.value.message


@pytest.mark.parametrize("legacy, legacy_args, legacy_kwargs, name, args, kwargs, shape", LEGACY_ROWS)
def test_legacy_spelling_matches_keras3_equivalent(keras, legacy, legacy_args, legacy_kwargs, name, args, kwargs, shape):
    want = keras_facts(keras, name, args, kwargs, shape)
    got = archlint_facts(legacy, legacy_args, legacy_kwargs, shape)
    assert got == want, f"(output shape, trainable, non-trainable): archlint {got} vs keras {want}"


def _spec_of(name):
    spec_cls = lookup(name)
    assert spec_cls is not None, f"{name} is not in the catalog"
    return spec_cls


def test_every_registered_layer_has_a_row():
    covered = {_spec_of(p.values[0]).name for p in ROWS}
    missing = sorted(s.name for s in all_specs() if s.name != "InputLayer" and s.name not in covered)
    assert not missing, f"catalog layers without a row in ROWS: {', '.join(missing)}"


@pytest.mark.parametrize("spec", [s for s in all_specs() if s.name != "InputLayer"], ids=lambda s: s.name)
def test_signature_matches_keras(keras, spec):
    """Keras 3 positional parameters, in order and with their requiredness, lead the signature.

    Entries after them are keyword-only in Keras (taken from ``**kwargs``).
    """
    params = [
        p for p in inspect.signature(getattr(keras.layers, spec.name).__init__).parameters.values()
        if p.name != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    want = [(p.name, p.default is p.empty) for p in params]
    got = [(n, d is REQUIRED) for n, d in spec.signature[: len(params)]]
    assert got == want
