"""`kcore.layers`: Keras 3's layers.

Each group of layers lives in its own subpackage, which lists its public names in `__all__`.

Example:

>>> import kcore
>>> kcore.ops.shape(kcore.layers.Dense(3)(kcore.ops.ones((2, 4))))
(2, 3)
"""

from kcore.layers import (
    activations,
    attention,
    convolution,
    core,
    merging,
    normalization,
    pooling,
    preprocessing,
    regularization,
    reshaping,
    rnn,
)
from kcore.layers.activations import *  # noqa: F403
from kcore.layers.attention import *  # noqa: F403
from kcore.layers.convolution import *  # noqa: F403
from kcore.layers.core import *  # noqa: F403
from kcore.layers.input_spec import InputSpec as InputSpec
from kcore.layers.layer import Layer as Layer
from kcore.layers.merging import *  # noqa: F403
from kcore.layers.normalization import *  # noqa: F403
from kcore.layers.pooling import *  # noqa: F403
from kcore.layers.preprocessing import *  # noqa: F403
from kcore.layers.regularization import *  # noqa: F403
from kcore.layers.reshaping import *  # noqa: F403
from kcore.layers.rnn import *  # noqa: F403

__all__ = sorted(
    [
        "InputSpec",
        "Layer",
        *activations.__all__,
        *attention.__all__,
        *convolution.__all__,
        *core.__all__,
        *merging.__all__,
        *normalization.__all__,
        *pooling.__all__,
        *preprocessing.__all__,
        *regularization.__all__,
        *reshaping.__all__,
        *rnn.__all__,
    ]
)
