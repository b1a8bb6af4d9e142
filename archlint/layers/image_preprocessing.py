"""Image preprocessing and augmentation layers: resizing, cropping, random transforms.

Keras works out these layers' symbolic output shapes with their own ``compute_output_shape``
instead of running ``call``, so most augmentations hand any shape straight back (their rank
checks only fire on real data); archlint mirrors the symbolic behaviour, and the stricter
one where Keras really runs them (``executed_output``, e.g. inside a Pipeline). The
argument checks of ``__init__`` are repeated on values known statically: an unknown
augmentation strength never hides an output shape.
"""

from __future__ import annotations

from typing import ClassVar, Dict, Tuple

from ..shapes import ShapeError, format_shape, require_rank
from .argument_checks import (
    FILL_MODES,
    INTERPOLATIONS,
    Range,
    check_choice,
    check_pair,
    image_params,
    is_number,
    known,
    refuse,
)
from .base import LayerSpec, register

# --- image layers ---------------------------------------------------------------------------


class _Image(LayerSpec):
    """An image layer; by default Keras's ``compute_output_shape`` returns the input shape."""

    ranges: ClassVar[Dict[str, Range]] = {}  # strength arguments and what Keras accepts
    choices: ClassVar[Dict[str, Tuple[str, ...]]] = {}  # string arguments and their allowed values
    checks_value_range: ClassVar[bool] = False  # Keras insists `value_range` is a pair

    def check_arguments(self) -> None:
        for key, allowed in self.ranges.items():
            allowed.check(self.name, key, known(self, key))
        for key, allowed in self.choices.items():
            check_choice(self, key, allowed)
        if self.checks_value_range:
            check_pair(self, "value_range")

    def output_shape(self, input_shape):
        self.check_arguments()
        return self.image_shape(input_shape)

    def image_shape(self, input_shape):
        return input_shape

    def executed_output(self, shapes, options):
        # Static inference accepts any rank; running needs one image or a batch of them.
        require_rank(shapes["inputs"], (3, 4), self.name)
        return self.call_output(shapes, options)


_GEOMETRY = {"fill_mode": FILL_MODES, "interpolation": INTERPOLATIONS}


@register
class RandomFlip(_Image):
    name = "RandomFlip"
    signature = image_params(mode="horizontal_and_vertical", seed=None, data_format=None)


@register
class RandomRotation(_Image):
    name = "RandomRotation"
    signature = image_params(
        "factor", fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0, data_format=None
    )
    ranges = {"factor": Range(-1, 1)}
    choices = _GEOMETRY


@register
class RandomTranslation(_Image):
    name = "RandomTranslation"
    signature = image_params(
        "height_factor", "width_factor", fill_mode="reflect", interpolation="bilinear", seed=None,
        fill_value=0.0, data_format=None,
    )
    ranges = {"height_factor": Range(-1, 1, each=True), "width_factor": Range(-1, 1, each=True)}
    choices = _GEOMETRY


@register
class RandomZoom(_Image):
    name = "RandomZoom"
    signature = image_params(
        "height_factor", width_factor=None, fill_mode="reflect", interpolation="bilinear", seed=None,
        fill_value=0.0, data_format=None,
    )
    ranges = {
        "height_factor": Range(-1, 1, each=True, open_low=True),
        "width_factor": Range(-1, 1, each=True, open_low=True),
    }
    choices = _GEOMETRY


@register
class RandomShear(_Image):
    name = "RandomShear"
    signature = image_params(
        x_factor=0.0, y_factor=0.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
        data_format=None, seed=None,
    )
    ranges = {"x_factor": Range(0, 1, each=True), "y_factor": Range(0, 1, each=True)}
    choices = _GEOMETRY


@register
class RandomContrast(_Image):
    name = "RandomContrast"
    signature = image_params("factor", value_range=(0, 255), seed=None)
    ranges = {"factor": Range(0, 1)}


@register
class RandomBrightness(_Image):
    name = "RandomBrightness"
    signature = image_params("factor", value_range=(0, 255), seed=None)
    ranges = {"factor": Range(-1, 1)}
    checks_value_range = True


@register
class RandomGrayscale(_Image):
    name = "RandomGrayscale"
    signature = image_params(factor=0.5, data_format=None, seed=None)
    ranges = {"factor": Range(0, 1, each=True)}


@register
class RandomHue(_Image):
    name = "RandomHue"
    signature = image_params("factor", value_range=(0, 255), data_format=None, seed=None)
    ranges = {"factor": Range(0, 1)}


@register
class RandomSaturation(_Image):
    name = "RandomSaturation"
    signature = image_params("factor", value_range=(0, 255), data_format=None, seed=None)
    ranges = {"factor": Range(-1, 1)}
    checks_value_range = True


@register
class RandomSharpness(_Image):
    name = "RandomSharpness"
    signature = image_params("factor", value_range=(0, 255), data_format=None, seed=None)
    ranges = {"factor": Range(0, 1)}
    checks_value_range = True


@register
class RandomColorDegeneration(_Image):
    name = "RandomColorDegeneration"
    signature = image_params("factor", value_range=(0, 255), data_format=None, seed=None)
    ranges = {"factor": Range(-1, 1)}
    checks_value_range = True

    def image_shape(self, input_shape):
        require_rank(input_shape, (3, 4), self.name)
        channels = input_shape[-1 if self.data_format == "channels_last" else -3]
        if channels is not None and channels != 3:
            raise ShapeError(
                "bad_input", f"{self.name} needs RGB images (3 channels), got shape {format_shape(input_shape)}"
            )
        return input_shape


@register
class RandomColorJitter(_Image):
    name = "RandomColorJitter"
    signature = image_params(
        value_range=(0, 255), brightness_factor=None, contrast_factor=None, saturation_factor=None,
        hue_factor=None, seed=None, data_format=None,
    )
    # Each factor configures the matching layer above, which checks it (and maybe `value_range`).
    ranges = {
        "brightness_factor": RandomBrightness.ranges["factor"],
        "contrast_factor": RandomContrast.ranges["factor"],
        "saturation_factor": RandomSaturation.ranges["factor"],
        "hue_factor": RandomHue.ranges["factor"],
    }

    def check_arguments(self):
        super().check_arguments()
        if self.config.get("brightness_factor") is not None or self.config.get("saturation_factor") is not None:
            check_pair(self, "value_range")


@register
class RandomInvert(_Image):
    name = "RandomInvert"
    signature = image_params(factor=1.0, value_range=(0, 255), seed=None, data_format=None)
    ranges = {"factor": Range(0, 1)}


@register
class RandomPosterization(_Image):
    name = "RandomPosterization"
    signature = image_params("factor", value_range=(0, 255), data_format=None, seed=None)
    ranges = {"factor": Range(1, 8)}
    checks_value_range = True


@register
class RandomPerspective(_Image):
    name = "RandomPerspective"
    signature = image_params(
        factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0, seed=None, data_format=None
    )
    ranges = {"factor": Range(0, 1), "scale": Range(0, 1, each=True)}
    choices = {"interpolation": INTERPOLATIONS}


@register
class RandomElasticTransform(_Image):
    name = "RandomElasticTransform"
    signature = image_params(
        factor=1.0, scale=1.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
        value_range=(0, 255), seed=None, data_format=None,
    )
    ranges = {"factor": Range(0, 1), "scale": Range(0, 1)}
    choices = {"interpolation": INTERPOLATIONS, "fill_mode": ("constant", "nearest", "wrap", "mirror", "reflect")}


@register
class RandomErasing(_Image):
    name = "RandomErasing"
    signature = image_params(
        factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255), seed=None, data_format=None
    )
    ranges = {"factor": Range(0, 1), "scale": Range(0, 1)}


@register
class RandomGaussianBlur(_Image):
    name = "RandomGaussianBlur"
    signature = image_params(
        factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255), data_format=None, seed=None
    )
    ranges = {"factor": Range(0, 1), "sigma": Range(0, 1)}

    def check_arguments(self):
        super().check_arguments()
        size = known(self, "kernel_size")
        odd = lambda s: is_number(s) and s % 2 == 1  # noqa: E731
        ok = len(size) == 2 and all(map(odd, size)) if isinstance(size, (tuple, list)) else odd(size)
        if size is not None and not ok:
            refuse(self.name, "kernel_size", size, "an odd number or a pair of odd numbers")


@register
class AutoContrast(_Image):
    name = "AutoContrast"
    signature = image_params(value_range=(0, 255))
    checks_value_range = True


@register
class Equalization(_Image):
    name = "Equalization"
    signature = image_params(value_range=(0, 255), bins=256, data_format=None)
    checks_value_range = True


@register
class Solarization(_Image):
    name = "Solarization"
    signature = image_params(addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None)
    ranges = {"addition_factor": Range(0, 1, each=True), "threshold_factor": Range(0, 1, each=True)}
    checks_value_range = True


@register
class AugMix(_Image):
    name = "AugMix"
    signature = image_params(
        value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3, alpha=1.0, all_ops=True,
        interpolation="bilinear", seed=None, data_format=None,
    )
    # The factor also configures RandomShear, which wants both ends of a pair in [0, 1].
    ranges = {"factor": Range(0, 1, each=True)}
    choices = {"interpolation": INTERPOLATIONS}
    checks_value_range = True


@register
class RandAugment(_Image):
    name = "RandAugment"
    signature = image_params(
        value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear", seed=None, data_format=None
    )
    ranges = AugMix.ranges
    choices = AugMix.choices
    checks_value_range = True


@register
class CutMix(_Image):
    name = "CutMix"
    signature = image_params(factor=1.0, seed=None, data_format=None)
    ranges = {"factor": Range(0, 1)}


@register
class MixUp(_Image):
    name = "MixUp"
    signature = image_params(alpha=0.2, data_format=None, seed=None)


@register
class MaxNumBoundingBoxes(_Image):
    """Pads or trims a dict's bounding boxes; a plain image tensor passes through."""

    name = "MaxNumBoundingBoxes"
    signature = image_params("max_number", fill_value=-1)


@register
class ContrastLimitedAdaptiveHistogramEqualization(_Image):
    name = "ContrastLimitedAdaptiveHistogramEqualization"
    signature = image_params(value_range=(0, 255), clip_limit=4.0, tile_grid_size=(8, 8), data_format=None)


class _Sized(_Image):
    """Sets an image's height and width axes to the layer's ``height`` and ``width``."""

    def hw_axes(self, rank: int) -> Tuple[int, int]:
        """Keras's Resizing/CenterCrop rule: a rank-4 input is a batch, anything else one image."""
        first = (1 if rank == 4 else 0) + (self.data_format == "channels_first")
        return first, first + 1

    def image_shape(self, input_shape):
        out, rank = list(input_shape), len(input_shape)
        height_axis, width_axis = self.hw_axes(rank)
        if not (-rank <= min(height_axis, width_axis) and max(height_axis, width_axis) < rank):
            raise ShapeError(
                "wrong_rank", f"{self.name} has no height and width axes in an input of shape {format_shape(input_shape)}"
            )
        out[height_axis], out[width_axis] = self.int_arg("height"), self.int_arg("width")
        return tuple(out)


@register
class Resizing(_Sized):
    name = "Resizing"
    signature = image_params(
        "height", "width", interpolation="bilinear", crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
        fill_mode="constant", fill_value=0.0, antialias=False, data_format=None,
    )


@register
class CenterCrop(_Sized):
    name = "CenterCrop"
    signature = image_params("height", "width", data_format=None)

    def image_shape(self, input_shape):
        require_rank(input_shape, (3, 4), self.name)
        return super().image_shape(input_shape)


@register
class RandomCrop(_Sized):
    name = "RandomCrop"
    signature = image_params("height", "width", seed=None, data_format=None, name=None)

    def hw_axes(self, rank):
        return (-2, -1) if self.data_format == "channels_first" else (-3, -2)
