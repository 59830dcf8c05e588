"""The normalization layers: BatchNormalization (inference, training, masks, renorm, axis),
LayerNormalization (axes, center/scale, rms_scaling), GroupNormalization, UnitNormalization,
RMSNormalization and SpectralNormalization.

SpectralNormalization is compared at inference only: a training call changes the kernel, so the
call after Keras's (made from Keras's updated weights) normalizes again; its training update is
checked against a numpy power iteration in tests/layers/normalization."""

from .cases import Case

# Non-trivial weights, so that inference outputs depend on every one of them.
_RANDOM_STATS = {
    "gamma_initializer": "random_normal",
    "beta_initializer": "random_normal",
    "moving_mean_initializer": "random_normal",
    "moving_variance_initializer": {
        "class_name": "RandomUniform",
        "config": {"minval": 0.5, "maxval": 2.0},
    },
}
_RANDOM_AFFINE = {"gamma_initializer": "random_normal", "beta_initializer": "random_normal"}


def _mask(rng):
    return {"training": True, "mask": rng.random((3, 5)) > 0.3}


CASES = [
    # BatchNormalization: inference uses the moving statistics, training the batch's.
    Case(
        "BatchNormalization", _RANDOM_STATS, input_shape=(4, 3), id="BatchNormalization-inference"
    ),
    Case(
        "BatchNormalization",
        {"momentum": 0.9, **_RANDOM_AFFINE},
        input_shape=(8, 5, 3),
        call_kwargs={"training": True},
        id="BatchNormalization-training",
    ),
    Case(
        "BatchNormalization",
        {"axis": 1, "epsilon": 1e-5, **_RANDOM_STATS},
        input_shape=(2, 3, 4, 4),
        id="BatchNormalization-channels_first",
    ),
    Case(
        "BatchNormalization",
        {"axis": 1, "center": False, "scale": False},
        input_shape=(4, 3, 5),
        call_kwargs={"training": True},
        id="BatchNormalization-channels_first-training-no-affine",
    ),
    Case(
        "BatchNormalization",
        _RANDOM_AFFINE,
        input_shape=(3, 5, 2),
        call_kwargs=_mask,
        id="BatchNormalization-mask",
    ),
    Case(
        "BatchNormalization",
        {"renorm": True, **_RANDOM_STATS},
        input_shape=(6, 3),
        id="BatchNormalization-renorm-inference",
    ),
    # The renorm statistics do not move with renorm_momentum=1, so the call after Keras's (with
    # its updated weights) sees the same correction.
    Case(
        "BatchNormalization",
        {"renorm": True, "renorm_momentum": 1.0, "renorm_clipping": {"rmax": 1.5, "dmax": 0.5}},
        input_data=lambda rng: (rng.standard_normal((8, 3)) * 3 + 1).astype("float32"),
        call_kwargs={"training": True},
        id="BatchNormalization-renorm-training",
    ),
    # LayerNormalization.
    Case("LayerNormalization", _RANDOM_AFFINE, input_shape=(2, 3, 4)),
    # Several trailing axes (Keras's torch backend fails on inner axes; kcore's own tests cover
    # them).
    Case(
        "LayerNormalization",
        {"axis": [2, 3], "epsilon": 1e-5, **_RANDOM_AFFINE},
        input_shape=(2, 3, 4, 5),
        id="LayerNormalization-axes",
    ),
    Case(
        "LayerNormalization",
        {"center": False, "scale": False},
        input_shape=(2, 6),
        id="LayerNormalization-no-affine",
    ),
    Case(
        "LayerNormalization",
        {"rms_scaling": True, "gamma_initializer": "random_normal"},
        input_shape=(2, 6),
        id="LayerNormalization-rms_scaling",
    ),
    # GroupNormalization.
    Case("GroupNormalization", {"groups": 2, **_RANDOM_AFFINE}, input_shape=(2, 5, 4)),
    Case(
        "GroupNormalization",
        {"groups": 3, "axis": 1, **_RANDOM_AFFINE},
        input_shape=(2, 6, 4, 4),
        id="GroupNormalization-channels_first",
    ),
    Case(
        "GroupNormalization",
        {"groups": -1, "center": False},
        input_shape=(2, 3, 3, 4),
        id="GroupNormalization-instance",
    ),
    Case(
        "GroupNormalization", {"groups": 1}, input_shape=(2, 4), id="GroupNormalization-one-group"
    ),
    # UnitNormalization.
    Case("UnitNormalization", input_shape=(2, 5)),
    Case("UnitNormalization", {"axis": [1, 2]}, input_shape=(2, 3, 4), id="UnitNormalization-axes"),
    # RMSNormalization.
    Case("RMSNormalization", input_shape=(2, 3, 6)),
    Case(
        "RMSNormalization",
        {"axis": [1, 2], "epsilon": 1e-5},
        input_shape=(2, 3, 4),
        id="RMSNormalization-axes",
    ),
    # SpectralNormalization: at inference the wrapped layer runs on its kernel.
    Case(
        "SpectralNormalization",
        make=lambda L: L.SpectralNormalization(L.Dense(3, activation="relu"), power_iterations=2),
        input_shape=(2, 4),
    ),
]
