"""The regularization layers: Dropout, SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout,
AlphaDropout, ActivityRegularization."""

from kcore.layers.regularization.activity_regularization import ActivityRegularization
from kcore.layers.regularization.alpha_dropout import AlphaDropout
from kcore.layers.regularization.dropout import Dropout
from kcore.layers.regularization.gaussian_dropout import GaussianDropout
from kcore.layers.regularization.gaussian_noise import GaussianNoise
from kcore.layers.regularization.spatial_dropout import (
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)

__all__ = [
    "ActivityRegularization",
    "AlphaDropout",
    "Dropout",
    "GaussianDropout",
    "GaussianNoise",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
]
