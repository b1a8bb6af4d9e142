"""archlint: static summaries and architecture lint for Keras model code.

It parses Python with libcst and never imports or runs the analyzed code, Keras, or
TensorFlow.
"""

__version__ = "0.2.0"
