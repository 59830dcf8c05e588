"""Contract group ``image``: color conversions, resizing, geometric transforms, patches.

Image ops are exposed as `kcore.ops.image.<name>` only. Images are rank 3 (one image) or rank 4
(a batch), laid out by `data_format` (None means `kcore.config.image_data_format()`). Sampling
follows JAX's `map_coordinates` conventions: pixel centers at integer coordinates, order 0 rounds
half to even, fill modes "constant", "nearest", "wrap", "mirror", "reflect".
"""

from __future__ import annotations

from kcore.backend.contract._spec import Group, ops
from kcore.backend.keras_tensor import KerasTensor

group = Group("image")


@group.required
def rgb_to_grayscale(images, data_format=None):
    """Luma `0.2989 R + 0.5870 G + 0.1140 B`, keeping a channel axis of size 1 and the dtype."""


@group.required
def rgb_to_hsv(images, data_format=None):
    """RGB to HSV (all channels in [0, 1]) for float images."""


@group.required
def hsv_to_rgb(images, data_format=None):
    """HSV to RGB for float images; hue wraps around modulo 1."""


@group.required
def resize(
    images,
    size,
    interpolation="bilinear",
    antialias=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    fill_mode="constant",
    fill_value=0.0,
    data_format=None,
):
    """Resizes images to `size = (height, width)` as `jax.image.resize` does (half-pixel centers).

    `interpolation`: "bilinear", "nearest", "bicubic" (Keys, a = -0.5), "lanczos3", "lanczos5";
    `antialias` widens the kernel when downsampling. `crop_to_aspect_ratio` first center-crops,
    `pad_to_aspect_ratio` first pads both sides equally with `fill_value`, to the target aspect
    ratio. Int images give floatx.
    """


@group.required
def affine_transform(
    images,
    transform,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0,
    data_format=None,
):
    """Output pixel `(x, y)` samples the input at `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`,
    `k = c0 x + c1 y + 1`, for `transform = [a0, a1, a2, b0, b1, b2, c0, c1]` (one per image or
    one for all). `interpolation` is "nearest" or "bilinear".
    """


@group.required(output_spec=lambda images, *args, **kwargs: KerasTensor(images.shape, images.dtype))
def perspective_transform(
    images,
    start_points,
    end_points,
    interpolation="bilinear",
    fill_value=0,
    data_format=None,
):
    """Warps images by the homography that maps the four `end_points` (x, y) to `start_points`
    (shape `(4, 2)` or `(batch, 4, 2)`); samples outside the image take `fill_value`."""


@group.required
def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Samples `inputs` at `coordinates` (shape `(inputs.ndim, ...)`), with `order` 0 (nearest)
    or 1 (linear); integer inputs give rounded results of their dtype."""


@group.required
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Per-channel Gaussian blur with zero padding ("same" size output); the kernel spans
    `kernel_size[1]` rows with `sigma[1]` and `kernel_size[0]` columns with `sigma[0]`."""


@group.required(seeded=True)
def elastic_transform(
    images,
    alpha=20.0,
    sigma=5.0,
    interpolation="bilinear",
    fill_mode="reflect",
    fill_value=0.0,
    seed=None,
    data_format=None,
):
    """Elastic deformation: standard-normal displacement fields (times `sigma`) per image,
    Gaussian-blurred (kernel size `int(6 * sigma) | 1`), scaled by `alpha`, then resampled.

    `seed` is a seed tensor of shape (2,) and dtype uint32 (see the random group); the op turns a
    user seed (int, `kcore.random.SeedGenerator` or None) into one.
    """


@group.optional
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """Patches of `size` (int or `(h, w)`) as the channel axis: `(..., out_h, out_w, h * w * C)`
    for channels_last, values in `(row, column, channel)` order; `strides` default to `size`."""
    return _patches(images, size, strides, dilation_rate, padding, data_format, 2)


@group.optional
def extract_patches_3d(
    volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None
):
    """`extract_patches` for volumes of rank 4 or 5: patches of `size` (int or `(d, h, w)`)."""
    return _patches(volumes, size, strides, dilation_rate, padding, data_format, 3)


def _patches(images, size, strides, dilation_rate, padding, data_format, rank):
    import math

    from kcore import config

    data_format = config.standardize_data_format(data_format)
    images = ops.convert_to_tensor(images)
    size = (size,) * rank if isinstance(size, int) else tuple(size)
    channels = images.shape[-1] if data_format == "channels_last" else images.shape[-rank - 1]
    depth = math.prod(size) * channels
    kernel = ops.reshape(ops.eye(depth, dtype=images.dtype), size + (channels, depth))
    unbatched = len(images.shape) == rank + 1
    if unbatched:
        images = ops.expand_dims(images, axis=0)
    patches = ops.conv(
        images, kernel, strides or size, padding, data_format, dilation_rate=dilation_rate
    )
    return ops.squeeze(patches, axis=0) if unbatched else patches


@group.optional
def pad_images(
    images,
    top_padding=None,
    left_padding=None,
    bottom_padding=None,
    right_padding=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """Zero-pads images; exactly two of top/bottom/target_height and two of left/right/
    target_width are given."""
    images, to_layout, (height, width) = _as_nhwc(images, data_format)
    top, bottom = margins(top_padding, bottom_padding, target_height, height, "padding", "height")
    left, right = margins(left_padding, right_padding, target_width, width, "padding", "width")
    padded = ops.pad(images, ((0, 0), (top, bottom), (left, right), (0, 0)))
    return to_layout(padded)


@group.optional
def crop_images(
    images,
    top_cropping=None,
    left_cropping=None,
    bottom_cropping=None,
    right_cropping=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """Crops images; exactly two of top/bottom/target_height and two of left/right/target_width
    are given."""
    images, to_layout, (height, width) = _as_nhwc(images, data_format)
    top, bottom = margins(
        top_cropping, bottom_cropping, target_height, height, "cropping", "height"
    )
    left, right = margins(left_cropping, right_cropping, target_width, width, "cropping", "width")
    batch, _, _, depth = images.shape
    cropped = ops.slice(
        images, (0, top, left, 0), (batch, height - top - bottom, width - left - right, depth)
    )
    return to_layout(cropped)


def _as_nhwc(images, data_format):
    from kcore import config

    data_format = config.standardize_data_format(data_format)
    images = ops.convert_to_tensor(images)
    rank = len(images.shape)
    if rank not in (3, 4):
        raise ValueError(f"Images must have rank 3 or 4, got shape {images.shape}.")
    if rank == 3:
        images = ops.expand_dims(images, axis=0)
    if data_format == "channels_first":
        images = ops.transpose(images, (0, 2, 3, 1))

    def to_layout(result):
        if data_format == "channels_first":
            result = ops.transpose(result, (0, 3, 1, 2))
        return ops.squeeze(result, axis=0) if rank == 3 else result

    return images, to_layout, tuple(images.shape[1:3])


RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic")


def resize_target(size, interpolation, fill_mode, crop_to_aspect_ratio, pad_to_aspect_ratio):
    """Checks `resize`'s arguments and returns the target ``(height, width)``.

    Shared by the backends implementing `resize`.
    """
    if interpolation not in RESIZE_INTERPOLATIONS:
        raise ValueError(
            f"Unknown interpolation {interpolation!r}; expected one of {RESIZE_INTERPOLATIONS}."
        )
    if fill_mode != "constant":
        raise ValueError(f"resize supports fill_mode='constant' only, got {fill_mode!r}.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be True.")
    if len(size) != 2:
        raise ValueError(f"size must be (height, width), got {size!r}.")
    return int(size[0]), int(size[1])


def margins(before, after, target, size, what, axis):
    """The (before, after) padding or cropping along an axis, from two of before / after / target.

    Shared by `pad_images` and `crop_images` and by backends implementing them.
    """
    if [before, after, target].count(None) != 1:
        side = "top, bottom" if axis == "height" else "left, right"
        raise ValueError(f"Give exactly two of {side} {what} and target_{axis}.")
    sign = 1 if what == "padding" else -1
    if before is None:
        before = sign * (target - size) - after
    elif after is None:
        after = sign * (target - size) - before
    if before < 0 or after < 0:
        raise ValueError(
            f"The {what} along the {axis} must be >= 0, got {before} and {after} for size {size}."
        )
    return int(before), int(after)


@group.required
def scale_and_translate(
    images,
    output_shape,
    scale,
    translation,
    spatial_dims,
    method,
    antialias=True,
):
    """`jax.image.scale_and_translate`: output index `o` along each of `spatial_dims` samples the
    input at `(o + 0.5 - translation) / scale - 0.5` with the `method` kernel ("linear",
    "bilinear", "trilinear", "triangle", "cubic", "bicubic", "tricubic", "lanczos3", "lanczos5")."""
