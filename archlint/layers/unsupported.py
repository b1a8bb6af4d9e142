"""Exported Keras layer classes the catalog deliberately does not model, each with its reason.

The coverage self-test enumerates ``keras.layers`` and fails for any class that is
neither in the catalog nor listed here. Such a layer, met in user code, becomes an
opaque node: unknown shape and weights, and an AL903 note.
"""

UNSUPPORTED = {
    "Layer": "the abstract base class; user subclasses are custom layers",
    "Wrapper": "the abstract base class of wrappers",
    "FlaxLayer": "wraps a Flax module: its weights live in foreign code",
    "JaxLayer": "wraps a JAX function and its parameters: foreign code",
    "TorchModuleWrapper": "wraps a PyTorch module: foreign code",
    "TFSMLayer": "loads a TensorFlow SavedModel from disk at run time",
}
