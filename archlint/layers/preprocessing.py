"""Feature preprocessing layers: rescaling, normalization, category encodings, hashing,
lookups, text vectorization and audio spectrograms.

Lookup tables are not weights in Keras and are not counted; Normalization's statistics
are non-trainable weights unless given at construction. Argument checks repeat Keras's
``__init__`` on values known statically.
"""

from __future__ import annotations

from typing import Tuple

from ..shapes import (
    ShapeError,
    canonical_axis,
    conv_length,
    format_shape,
    require_min_rank,
    require_rank,
)
from .argument_checks import check_choice, known, refuse
from .base import LayerSpec, Weight, params, register

# --- numeric features -----------------------------------------------------------------------


@register
class Rescaling(LayerSpec):
    name = "Rescaling"
    signature = params("scale", offset=0.0)


def _nested_shape(value) -> Tuple[int, ...]:
    """The array shape of a (nested) list of numbers, like ``numpy.shape``."""
    if isinstance(value, (tuple, list)):
        return (len(value), *(_nested_shape(value[0]) if value else ()))
    return ()


@register
class Normalization(LayerSpec):
    """Keeps per-position statistics over the ``axis`` dims: non-trainable mean, variance and a
    count, unless ``mean`` and ``variance`` are given (then they are constants, not weights)."""

    name = "Normalization"
    signature = params(axis=-1, mean=None, variance=None, invert=False)

    def _axes(self) -> Tuple:
        axis = self.arg("axis")
        return () if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)

    def _given_stats(self):
        """The shape of the given ``mean`` (``None`` when the layer adapts its own)."""
        mean, variance = self.arg("mean"), self.arg("variance")
        if (mean is None) != (variance is None):
            raise ShapeError("bad_argument", "Normalization: give both `mean` and `variance`, or neither")
        if mean is None:
            return None
        shape = _nested_shape(mean)
        if shape != _nested_shape(variance):
            raise ShapeError("bad_argument", "Normalization: `mean` and `variance` must have the same shape")
        if len(shape) > len(self._axes()):
            raise ShapeError("bad_argument", f"Normalization: `mean` of shape {shape} has more dims than `axis`")
        return shape

    def _kept(self, input_shape) -> Tuple[int, ...]:
        """The input dims the statistics keep (every other dim is reduced)."""
        kept = tuple(sorted(canonical_axis(a, len(input_shape)) for a in self._axes()))
        for a in kept:
            if input_shape[a] is None:
                raise ShapeError(
                    "bad_input",
                    f"Normalization keeps axis {a}, which must have a known size; got shape {format_shape(input_shape)}",
                )
        return kept

    def output_shape(self, input_shape):
        given = self._given_stats()
        kept = self._kept(input_shape)
        repeated = [a for a in set(kept) if kept.count(a) > 1 and input_shape[a] != 1]
        if given is None and repeated:  # the adapted statistics could not be reshaped
            raise ShapeError("bad_axis", f"Normalization: `axis` names dim {repeated[0]} twice")
        if given:  # broadcast onto the kept dims, aligned from the right
            for size, axis in zip(reversed(given), reversed(kept)):
                if size not in (1, input_shape[axis]):
                    raise ShapeError(
                        "bad_argument",
                        f"Normalization: `mean` of shape {given} does not fit an input of shape {format_shape(input_shape)}",
                    )
        return input_shape

    def weights(self, input_shape):
        if self._given_stats() is not None:
            return []
        stats = tuple(input_shape[a] for a in self._kept(input_shape))
        return [Weight("mean", stats, False), Weight("variance", stats, False), Weight("count", (), False)]

    def formula(self, input_shape):
        if self._given_stats() is not None:
            return None
        stats = "*".join(str(input_shape[a]) for a in self._kept(input_shape)) or "1"
        return f"2*{stats} + 1 non-trainable"


# --- categorical features -------------------------------------------------------------------


def _output_mode(spec: LayerSpec, allowed: Tuple[str, ...], aliases=None) -> str:
    mode = spec.arg("output_mode")
    mode = (aliases or {}).get(mode, mode)
    if mode not in allowed:
        refuse(spec.name, "output_mode", mode, "one of " + ", ".join(repr(a) for a in allowed))
    return mode


def _one_hot(shape, depth):
    """One-hot encoding: a trailing axis of size 1 becomes ``depth``, otherwise ``depth`` is appended."""
    if len(shape) > 1 and shape[-1] == 1:
        return (*shape[:-1], depth)
    return (*shape, depth)


def _multi_hot(shape, depth):
    """Multi-hot / count encoding: the last axis (the tokens) becomes ``depth``."""
    return (*shape[:-1], depth)


def _no_sparse_int(spec: LayerSpec, mode: str) -> None:
    if mode == "int" and spec.config.get("sparse") is True:
        raise ShapeError("bad_argument", f"{spec.name}: `sparse=True` needs a one_hot/multi_hot/count `output_mode`")


@register
class CategoryEncoding(LayerSpec):
    name = "CategoryEncoding"
    signature = params(num_tokens=None, output_mode="multi_hot", sparse=False)
    call_signature = params("inputs", count_weights=None)

    def output_shape(self, input_shape):
        mode = _output_mode(self, ("count", "one_hot", "multi_hot"), {"binary": "multi_hot"})
        if self.arg("num_tokens") is None:
            raise ShapeError("bad_argument", "CategoryEncoding needs `num_tokens`")
        tokens = self.int_arg("num_tokens")
        if tokens < 1:
            refuse(self.name, "num_tokens", tokens, ">= 1")
        return _one_hot(input_shape, tokens) if mode == "one_hot" else _multi_hot(input_shape, tokens)


@register
class Discretization(LayerSpec):
    name = "Discretization"
    signature = params(bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int", sparse=False, dtype=None, name=None)

    def output_shape(self, input_shape):
        mode = _output_mode(self, ("int", "one_hot", "multi_hot", "count"))
        _no_sparse_int(self, mode)
        bounds, bins = self.arg("bin_boundaries"), self.arg("num_bins")
        if (bounds is None) == (bins is None):
            raise ShapeError("bad_argument", "Discretization needs exactly one of `bin_boundaries` and `num_bins`")
        if bins is not None and self.int_arg("num_bins") < 0:
            refuse(self.name, "num_bins", bins, ">= 0")
        if mode == "int":
            return input_shape
        depth = len(bounds) + 1 if bounds is not None else bins
        if mode == "one_hot":
            return _one_hot(input_shape, depth)
        # Keras drops axis 1 (not the last axis) of a rank-3+ input here.
        return (input_shape[0], *input_shape[2:], depth) if len(input_shape) >= 2 else (depth,)


def _check_salt(spec: LayerSpec) -> None:
    salt = known(spec, "salt")
    if salt is not None and not isinstance(salt, int) and not (isinstance(salt, (tuple, list)) and len(salt) == 2):
        refuse(spec.name, "salt", salt, "an integer or a pair of integers")


@register
class Hashing(LayerSpec):
    name = "Hashing"
    signature = params("num_bins", mask_value=None, salt=None, output_mode="int", sparse=False)

    def output_shape(self, input_shape):
        bins = self.arg("num_bins")
        if bins is None or self.int_arg("num_bins") <= 0:
            refuse(self.name, "num_bins", bins, "a positive integer")
        mode = _output_mode(self, ("int", "one_hot", "multi_hot", "count"))
        dtype = known(self, "dtype")
        if mode == "int" and dtype is not None and dtype not in ("int32", "int64"):
            refuse(self.name, "dtype", dtype, "'int32' or 'int64' when output_mode='int'")
        _no_sparse_int(self, mode)
        _check_salt(self)
        return input_shape if mode == "int" else _multi_hot(input_shape, bins)


@register
class HashedCrossing(LayerSpec):
    name = "HashedCrossing"
    signature = params("num_bins", output_mode="int", sparse=False, name=None, dtype=None)
    takes_list = True

    def output_shape(self, input_shape):
        mode = _output_mode(self, ("int", "one_hot"))
        if len(input_shape) != 2:
            raise ShapeError("bad_input", f"HashedCrossing crosses exactly 2 inputs, got {len(input_shape)}")
        first, second = (tuple(s) for s in input_shape)
        require_min_rank(first, 1, self.name)
        require_min_rank(second, 1, self.name)
        if first[-1] != second[-1]:
            raise ShapeError(
                "merge_mismatch",
                f"HashedCrossing inputs must have the same shape, got {format_shape(first)} and {format_shape(second)}",
            )
        if mode == "int":
            return first
        bins = self.int_arg("num_bins")
        return (*first, bins) if first[-1] != 1 else (*first[:-1], bins)


_LOOKUP_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_LOOKUP_ALIASES = {"binary": "multi_hot", "tf-idf": "tf_idf"}


class _Lookup(LayerSpec):
    """IntegerLookup / StringLookup: vocabulary indices, or one encoding axis of vocabulary size."""

    def mode(self) -> str:
        mode = _output_mode(self, _LOOKUP_MODES, _LOOKUP_ALIASES)
        max_tokens = self.arg("max_tokens")
        if max_tokens is not None and max_tokens <= 1:
            refuse(self.name, "max_tokens", max_tokens, "greater than 1 (or None)")
        if self.arg("pad_to_max_tokens") and max_tokens is None:
            raise ShapeError("bad_argument", f"{self.name}: `pad_to_max_tokens=True` needs `max_tokens`")
        if self.int_arg("num_oov_indices") < 0:
            refuse(self.name, "num_oov_indices", self.arg("num_oov_indices"), ">= 0")
        if self.arg("invert") and mode != "int":
            raise ShapeError("bad_argument", f"{self.name}: `invert=True` needs output_mode='int'")
        _no_sparse_int(self, mode)
        has_idf = self.arg("idf_weights") is not None
        if has_idf != (mode == "tf_idf") and (has_idf or self.arg("vocabulary") is not None):
            raise ShapeError("bad_argument", f"{self.name}: `idf_weights` goes with output_mode='tf_idf' and a `vocabulary`")
        _check_salt(self)
        return mode

    def vocabulary_size(self, mode: str):
        """Mask and OOV slots plus the given tokens; ``None`` without a vocabulary."""
        vocabulary = self.arg("vocabulary")
        if vocabulary is None:
            return None
        if isinstance(vocabulary, str):  # a file: its size matters only for the encodings
            if mode == "int":
                return None
            raise ShapeError("opaque", f"{self.name} reads its vocabulary from the file {vocabulary!r} at run time")
        vocabulary = list(vocabulary)
        mask = self.arg("mask_token")
        special = [mask] * (mask is not None and mode == "int") + [self.arg("oov_token")] * self.int_arg("num_oov_indices")
        tokens = vocabulary[len(special):] if vocabulary[: len(special)] == special else vocabulary
        if not vocabulary or len(set(tokens)) != len(tokens) or (mask is not None and mask in tokens):
            refuse(self.name, "vocabulary", vocabulary, "non-empty, without repeats or a misplaced mask token")
        size = len(special) + len(tokens)
        max_tokens = self.arg("max_tokens")
        if max_tokens is not None and size > max_tokens:
            raise ShapeError("bad_argument", f"{self.name}: a vocabulary of {size} exceeds max_tokens={max_tokens}")
        return size

    def output_shape(self, input_shape):
        mode = self.mode()
        size = self.vocabulary_size(mode)
        if mode == "int":
            return input_shape
        depth = self.int_arg("max_tokens") if self.arg("pad_to_max_tokens") else size
        return _one_hot(input_shape, depth) if mode == "one_hot" else _multi_hot(input_shape, depth)


@register
class IntegerLookup(_Lookup):
    name = "IntegerLookup"
    signature = params(
        max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, vocabulary=None,
        vocabulary_dtype="int64", idf_weights=None, invert=False, output_mode="int", sparse=False,
        pad_to_max_tokens=False, oov_method="floormod", salt=None, name=None,
    )

    def mode(self):
        if self.arg("vocabulary_dtype") != "int64":
            refuse(self.name, "vocabulary_dtype", self.arg("vocabulary_dtype"), "'int64'")
        check_choice(self, "oov_method", ("floormod", "farmhash"))
        if self.arg("salt") is not None and self.arg("oov_method") != "farmhash":
            raise ShapeError("bad_argument", "IntegerLookup: `salt` needs oov_method='farmhash'")
        return super().mode()


@register
class StringLookup(_Lookup):
    name = "StringLookup"
    signature = params(
        max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]", vocabulary=None,
        idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
        encoding="utf-8", name=None, salt=None,
    )


@register
class TextVectorization(LayerSpec):
    """Splits strings into tokens (a new axis), then looks them up like a StringLookup."""

    name = "TextVectorization"
    signature = params(
        max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace", ngrams=None,
        output_mode="int", output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
        idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None,
    )

    def _lookup(self) -> StringLookup:
        """The StringLookup Keras builds inside (mask token "", one OOV index)."""
        fixed = dict(mask_token="", oov_token="[UNK]", num_oov_indices=1, invert=False, salt=None)
        return StringLookup({**self.config, **fixed})

    def output_shape(self, input_shape):
        mode = _output_mode(self, _LOOKUP_MODES, _LOOKUP_ALIASES)
        check_choice(self, "standardize", ("lower_and_strip_punctuation", "lower", "strip_punctuation"))
        check_choice(self, "split", ("whitespace", "character"))
        ngrams = known(self, "ngrams")
        if not (ngrams is None or isinstance(ngrams, int) or isinstance(ngrams, tuple) and all(isinstance(n, int) for n in ngrams)):
            refuse(self.name, "ngrams", ngrams, "None, an integer or a tuple of integers")
        length = self.arg("output_sequence_length")
        if mode == "int" and not (length is None or isinstance(length, int)):
            refuse(self.name, "output_sequence_length", length, "None or an integer")
        if mode != "int" and length is not None:
            raise ShapeError("bad_argument", "TextVectorization: `output_sequence_length` needs output_mode='int'")
        if mode != "int" and self.config.get("ragged") is True:
            raise ShapeError("bad_argument", "TextVectorization: `ragged=True` needs output_mode='int'")
        lookup = self._lookup()
        lookup.mode()
        if mode == "int":
            lookup.vocabulary_size(mode)
            require_min_rank(input_shape, 1, self.name)
            return (input_shape[0], length)
        if self.arg("split") is not None:
            tokens = (*input_shape, None)
        else:
            tokens = (*input_shape, 1) if len(input_shape) <= 1 else tuple(input_shape)
        return lookup.output_shape(tokens)


# --- audio ----------------------------------------------------------------------------------


@register
class MelSpectrogram(LayerSpec):
    """``(batch, samples)`` audio -> ``(batch, num_mel_bins, frames)``, no weights."""

    name = "MelSpectrogram"
    signature = params(
        fft_length=2048, sequence_stride=512, sequence_length=None, window="hann", sampling_rate=16000,
        num_mel_bins=128, min_freq=20.0, max_freq=None, power_to_db=True, top_db=80.0, mag_exp=2.0,
        min_power=1e-10, ref_power=1.0,
    )

    def output_shape(self, input_shape):
        fft = self.int_arg("fft_length")
        window = self.arg("sequence_length") or fft
        if fft < window:
            raise ShapeError("bad_argument", f"MelSpectrogram: fft_length={fft} is shorter than sequence_length={window}")
        require_min_rank(input_shape, 1, self.name)
        stride = self.int_arg("sequence_stride")
        batch, samples = ((), input_shape[0]) if len(input_shape) == 1 else ((input_shape[0],), input_shape[1])
        frames = None if samples is None else (samples + stride + 1) // stride  # Keras's formula
        return (*batch, self.int_arg("num_mel_bins"), frames)


@register
class STFTSpectrogram(LayerSpec):
    """A strided convolution with fixed (but trainable) real and imaginary Fourier kernels."""

    name = "STFTSpectrogram"
    signature = params(
        mode="log", frame_length=256, frame_step=None, fft_length=None, window="hann", periodic=False,
        scaling="density", padding="valid", expand_dims=False, data_format=None,
    )

    def _geometry(self):
        """(frame_length, frame_step, frequency bins) after Keras's argument checks."""
        length = self.int_arg("frame_length")
        step = self.arg("frame_step")
        if step is not None and not 1 <= step <= length:
            refuse(self.name, "frame_step", step, f"between 1 and frame_length={length}")
        fft = self.arg("fft_length")
        if fft is not None and fft < length:
            refuse(self.name, "fft_length", fft, f"at least frame_length={length}")
        check_choice(self, "mode", ("log", "magnitude", "psd", "real", "imag", "angle", "stft"))
        check_choice(self, "scaling", ("density", "spectrum"))
        check_choice(self, "padding", ("valid", "same"))
        fft = fft or 1 << (length - 1).bit_length()  # the next power of two
        return length, step or length // 2, fft // 2 + 1

    def output_shape(self, input_shape):
        length, step, bins = self._geometry()
        require_rank(input_shape, 3, self.name)
        last = self.data_format == "channels_last"
        samples, channels = (input_shape[1], input_shape[2]) if last else (input_shape[2], input_shape[1])
        if channels is None:
            raise ShapeError("bad_input", f"STFTSpectrogram needs a known channel count, got shape {format_shape(input_shape)}")
        frames = conv_length(samples, length, step, self.arg("padding"))
        if self.arg("mode") == "stft":
            bins *= 2
        if self.arg("expand_dims"):
            return (input_shape[0], frames, bins, channels) if last else (input_shape[0], channels, frames, bins)
        return (input_shape[0], frames, bins * channels) if last else (input_shape[0], bins * channels, frames)

    def weights(self, input_shape):
        length, _, bins = self._geometry()
        mode = self.arg("mode")
        parts = [part for part, skip in (("real", "imag"), ("imag", "real")) if mode != skip]
        return [Weight(f"{part}_kernel", (length, 1, bins)) for part in parts]

    def formula(self, input_shape):
        length, _, bins = self._geometry()
        kernels = len(self.weights(input_shape))
        return f"{kernels} * {length}*1*{bins}"
