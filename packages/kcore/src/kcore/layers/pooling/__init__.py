"""Pooling layers: max and average pooling in 1, 2 and 3 dimensions, their global forms, and
adaptive pooling to a fixed output size.

Each layer is also exported under Keras's short alias (`MaxPool2D` for `MaxPooling2D`,
`AvgPool2D` for `AveragePooling2D`, `GlobalAvgPool2D` for `GlobalAveragePooling2D`...): the
same class under a second name.
"""

from kcore.layers.pooling.adaptive_average_pooling1d import AdaptiveAveragePooling1D
from kcore.layers.pooling.adaptive_average_pooling2d import AdaptiveAveragePooling2D
from kcore.layers.pooling.adaptive_average_pooling3d import AdaptiveAveragePooling3D
from kcore.layers.pooling.adaptive_max_pooling1d import AdaptiveMaxPooling1D
from kcore.layers.pooling.adaptive_max_pooling2d import AdaptiveMaxPooling2D
from kcore.layers.pooling.adaptive_max_pooling3d import AdaptiveMaxPooling3D
from kcore.layers.pooling.average_pooling1d import AveragePooling1D
from kcore.layers.pooling.average_pooling1d import AveragePooling1D as AvgPool1D
from kcore.layers.pooling.average_pooling2d import AveragePooling2D
from kcore.layers.pooling.average_pooling2d import AveragePooling2D as AvgPool2D
from kcore.layers.pooling.average_pooling3d import AveragePooling3D
from kcore.layers.pooling.average_pooling3d import AveragePooling3D as AvgPool3D
from kcore.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D
from kcore.layers.pooling.global_average_pooling1d import (
    GlobalAveragePooling1D as GlobalAvgPool1D,
)
from kcore.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from kcore.layers.pooling.global_average_pooling2d import (
    GlobalAveragePooling2D as GlobalAvgPool2D,
)
from kcore.layers.pooling.global_average_pooling3d import GlobalAveragePooling3D
from kcore.layers.pooling.global_average_pooling3d import (
    GlobalAveragePooling3D as GlobalAvgPool3D,
)
from kcore.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D
from kcore.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D as GlobalMaxPool1D
from kcore.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D
from kcore.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D as GlobalMaxPool2D
from kcore.layers.pooling.global_max_pooling3d import GlobalMaxPooling3D
from kcore.layers.pooling.global_max_pooling3d import GlobalMaxPooling3D as GlobalMaxPool3D
from kcore.layers.pooling.max_pooling1d import MaxPooling1D
from kcore.layers.pooling.max_pooling1d import MaxPooling1D as MaxPool1D
from kcore.layers.pooling.max_pooling2d import MaxPooling2D
from kcore.layers.pooling.max_pooling2d import MaxPooling2D as MaxPool2D
from kcore.layers.pooling.max_pooling3d import MaxPooling3D
from kcore.layers.pooling.max_pooling3d import MaxPooling3D as MaxPool3D

__all__ = [
    "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAveragePooling3D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalAvgPool3D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPool3D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GlobalMaxPooling3D",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
]
