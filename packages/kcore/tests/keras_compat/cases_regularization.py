"""The regularization layers at inference (where they return their input; their training-time
statistics are tested in tests/layers/regularization): every class, each data format."""

from .cases import Case

CASES = [
    Case("Dropout", {"rate": 0.5, "seed": 1}, input_shape=(2, 4)),
    Case("SpatialDropout1D", {"rate": 0.3, "seed": 1}, input_shape=(2, 3, 4)),
    Case("SpatialDropout2D", {"rate": 0.3, "seed": 2}, input_shape=(2, 3, 3, 4)),
    Case(
        "SpatialDropout2D",
        {"rate": 0.3, "data_format": "channels_first"},
        input_shape=(2, 4, 3, 3),
        id="SpatialDropout2D-channels_first",
    ),
    Case("SpatialDropout3D", {"rate": 0.3}, input_shape=(2, 2, 2, 2, 4)),
    Case(
        "SpatialDropout3D",
        {"rate": 0.3, "data_format": "channels_first"},
        input_shape=(2, 4, 2, 2, 2),
        id="SpatialDropout3D-channels_first",
    ),
    Case("GaussianNoise", {"stddev": 0.5, "seed": 3}, input_shape=(2, 5)),
    Case("GaussianDropout", {"rate": 0.4, "seed": 4}, input_shape=(2, 5)),
    Case("AlphaDropout", {"rate": 0.2, "seed": 5}, input_shape=(2, 5)),
    Case(
        "AlphaDropout",
        {"rate": 0.2, "noise_shape": (None, 1, 4)},
        input_shape=(2, 3, 4),
        id="AlphaDropout-noise_shape",
    ),
    Case("ActivityRegularization", {"l1": 0.1, "l2": 0.01}, input_shape=(2, 4)),
]
