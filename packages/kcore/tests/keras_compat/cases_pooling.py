"""The pooling layers: every class and alias, both paddings, strides, both data formats,
keepdims, the mask of GlobalAveragePooling1D, and adaptive pooling (output sizes that divide
the input, that do not, and larger than the input).

The "same" average-pooling cases pad each axis evenly: where "same" needs one more padded
element at the end, Keras 3.15 on torch pads by repeating the edge and counts the copy in the
mean, unlike Keras on JAX and TensorFlow (and kcore on every backend), which leave padding out.
"""

import numpy as np

from .cases import Case


def _steps_mask(rng):
    return {"mask": np.array([[True, True, False, True, False], [False, True, True, True, True]])}


CASES = [
    # Max pooling.
    Case("MaxPooling1D", input_shape=(2, 7, 3)),
    Case("MaxPooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 8, 3)),
    Case(
        "MaxPooling1D",
        {"pool_size": 2, "strides": 1, "data_format": "channels_first"},
        input_shape=(2, 3, 7),
        id="MaxPooling1D-channels_first",
    ),
    Case("MaxPooling2D", input_shape=(2, 6, 7, 3)),
    Case("MaxPooling2D", {"pool_size": (3, 2), "strides": (2, 1), "padding": "same"}, (2, 7, 6, 2)),
    Case(
        "MaxPooling2D",
        {"pool_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"},
        input_shape=(2, 3, 7, 8),
        id="MaxPooling2D-channels_first",
    ),
    Case("MaxPooling3D", input_shape=(2, 4, 5, 4, 2)),
    Case(
        "MaxPooling3D", {"pool_size": 3, "strides": (2, 1, 2), "padding": "same"}, (1, 5, 4, 5, 2)
    ),
    Case(
        "MaxPooling3D",
        {"pool_size": 2, "data_format": "channels_first"},
        input_shape=(1, 2, 4, 5, 4),
        id="MaxPooling3D-channels_first",
    ),
    Case("MaxPool1D", {"pool_size": 3}, input_shape=(2, 9, 2)),
    Case("MaxPool2D", {"pool_size": 2, "padding": "same"}, input_shape=(2, 5, 5, 2)),
    Case("MaxPool3D", input_shape=(1, 4, 4, 4, 1)),
    # Average pooling ("same" leaves the padded positions out of the mean).
    Case("AveragePooling1D", {"pool_size": 2}, input_shape=(2, 7, 3)),
    Case("AveragePooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 7, 3)),
    Case(
        "AveragePooling1D",
        {"pool_size": 3, "padding": "same", "data_format": "channels_first"},
        input_shape=(2, 3, 7),
        id="AveragePooling1D-channels_first",
    ),
    Case("AveragePooling2D", {"pool_size": 2}, input_shape=(2, 6, 7, 3)),
    Case(
        "AveragePooling2D",
        {"pool_size": (3, 3), "strides": (2, 1), "padding": "same"},
        input_shape=(2, 7, 6, 2),
    ),
    Case(
        "AveragePooling2D",
        {"pool_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"},
        input_shape=(2, 3, 7, 9),
        id="AveragePooling2D-channels_first",
    ),
    Case("AveragePooling3D", {"pool_size": 2}, input_shape=(2, 4, 5, 4, 2)),
    Case(
        "AveragePooling3D",
        {"pool_size": 3, "strides": (2, 1, 2), "padding": "same"},
        input_shape=(1, 5, 4, 5, 2),
    ),
    Case(
        "AveragePooling3D",
        {"pool_size": 2, "data_format": "channels_first"},
        input_shape=(1, 2, 4, 5, 4),
        id="AveragePooling3D-channels_first",
    ),
    Case("AvgPool1D", {"pool_size": 2, "strides": 1}, input_shape=(2, 6, 2)),
    Case("AvgPool2D", {"pool_size": 2, "padding": "same"}, input_shape=(2, 5, 5, 2)),
    Case("AvgPool3D", {"pool_size": 2}, input_shape=(1, 4, 4, 4, 1)),
    # Global pooling.
    Case("GlobalMaxPooling1D", input_shape=(2, 5, 3)),
    Case(
        "GlobalMaxPooling1D",
        {"data_format": "channels_first", "keepdims": True},
        input_shape=(2, 3, 5),
        id="GlobalMaxPooling1D-channels_first-keepdims",
    ),
    Case("GlobalMaxPooling2D", input_shape=(2, 4, 5, 3)),
    Case("GlobalMaxPooling2D", {"keepdims": True}, input_shape=(2, 4, 5, 3)),
    Case(
        "GlobalMaxPooling2D",
        {"data_format": "channels_first"},
        input_shape=(2, 3, 4, 5),
        id="GlobalMaxPooling2D-channels_first",
    ),
    Case("GlobalMaxPooling3D", input_shape=(2, 3, 4, 2, 3)),
    Case(
        "GlobalMaxPooling3D",
        {"data_format": "channels_first", "keepdims": True},
        input_shape=(2, 3, 3, 4, 2),
        id="GlobalMaxPooling3D-channels_first-keepdims",
    ),
    Case("GlobalAveragePooling1D", input_shape=(2, 5, 3)),
    Case("GlobalAveragePooling1D", {"keepdims": True}, input_shape=(2, 5, 3)),
    Case(
        "GlobalAveragePooling1D",
        input_shape=(2, 5, 3),
        call_kwargs=_steps_mask,
        id="GlobalAveragePooling1D-mask",
    ),
    Case(
        "GlobalAveragePooling1D",
        {"data_format": "channels_first", "keepdims": True},
        input_shape=(2, 3, 5),
        call_kwargs=_steps_mask,
        id="GlobalAveragePooling1D-mask-channels_first-keepdims",
    ),
    Case("GlobalAveragePooling2D", input_shape=(2, 4, 5, 3)),
    Case(
        "GlobalAveragePooling2D",
        {"data_format": "channels_first", "keepdims": True},
        input_shape=(2, 3, 4, 5),
        id="GlobalAveragePooling2D-channels_first-keepdims",
    ),
    Case("GlobalAveragePooling3D", input_shape=(2, 3, 4, 2, 3)),
    Case(
        "GlobalAveragePooling3D",
        {"data_format": "channels_first"},
        input_shape=(2, 3, 3, 4, 2),
        id="GlobalAveragePooling3D-channels_first",
    ),
    Case("GlobalMaxPool1D", input_shape=(2, 5, 3)),
    Case("GlobalMaxPool2D", input_shape=(2, 4, 5, 3)),
    Case("GlobalMaxPool3D", input_shape=(2, 3, 4, 2, 3)),
    Case("GlobalAvgPool1D", input_shape=(2, 5, 3)),
    Case("GlobalAvgPool2D", {"keepdims": True}, input_shape=(2, 4, 5, 3)),
    Case("GlobalAvgPool3D", input_shape=(2, 3, 4, 2, 3)),
    # Adaptive pooling.
    Case("AdaptiveMaxPooling1D", {"output_size": 3}, input_shape=(2, 7, 3)),
    Case("AdaptiveMaxPooling1D", {"output_size": 6}, input_shape=(2, 4, 3)),
    Case("AdaptiveMaxPooling2D", {"output_size": 3}, input_shape=(2, 7, 5, 3)),
    Case(
        "AdaptiveMaxPooling2D",
        {"output_size": (2, 4), "data_format": "channels_first"},
        input_shape=(2, 3, 6, 8),
        id="AdaptiveMaxPooling2D-channels_first",
    ),
    Case("AdaptiveMaxPooling3D", {"output_size": (2, 3, 2)}, input_shape=(1, 5, 4, 6, 2)),
    Case("AdaptiveAveragePooling1D", {"output_size": 3}, input_shape=(2, 7, 3)),
    Case(
        "AdaptiveAveragePooling1D",
        {"output_size": 2, "data_format": "channels_first"},
        input_shape=(2, 3, 5),
        id="AdaptiveAveragePooling1D-channels_first",
    ),
    Case("AdaptiveAveragePooling2D", {"output_size": (3, 2)}, input_shape=(2, 7, 5, 3)),
    Case("AdaptiveAveragePooling3D", {"output_size": 2}, input_shape=(1, 5, 4, 6, 2)),
    Case(
        "AdaptiveAveragePooling3D",
        {"output_size": 3, "data_format": "channels_first"},
        input_shape=(1, 2, 5, 4, 7),
        id="AdaptiveAveragePooling3D-channels_first",
    ),
]
