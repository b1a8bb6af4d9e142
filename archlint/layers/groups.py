"""Keras layer classes grouped by how they treat their input, by catalog name.

The rules, the cost counts and the receptive fields ask the same questions of a layer (is
it a convolution, a pooling, an element-wise merge?); the answers live here once. A name
only: nothing here imports the catalog or knows a layer's arguments.
"""

from __future__ import annotations

# Kernels slid over the input, one output position per window.
CONVOLUTIONS = frozenset({"Conv1D", "Conv2D", "Conv3D", "SeparableConv1D", "SeparableConv2D",
                          "DepthwiseConv1D", "DepthwiseConv2D"})
SEPARABLE = frozenset({"SeparableConv1D", "SeparableConv2D"})
TRANSPOSED = frozenset({"Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"})
POOLINGS = frozenset({"MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
                      "AveragePooling3D"})
GLOBAL_POOLINGS = frozenset({"GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
                             "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D"})
# Same-shape inputs combined value by value (Concatenate is not one: it joins them).
ELEMENTWISE_MERGES = frozenset({"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"})
ACTIVATIONS = frozenset({"Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax"})
NORMALIZATIONS = frozenset({"BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization",
                            "RMSNormalization"})
DROPOUTS = frozenset({"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
                      "GaussianDropout", "AlphaDropout"})
