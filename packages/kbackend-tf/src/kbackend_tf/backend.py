"""The backend module kcore activates for ``"tensorflow"``: every contract function, and
`capabilities`.

kcore loads it when the ``"tensorflow"`` backend is activated (see `kbackend_tf._plugin`).
"""

import tensorflow as tf

from kbackend_tf.core import *  # noqa: F403
from kbackend_tf.image import *  # noqa: F403
from kbackend_tf.linalg import *  # noqa: F403
from kbackend_tf.math import *  # noqa: F403
from kbackend_tf.nn import *  # noqa: F403
from kbackend_tf.nn_conv import *  # noqa: F403
from kbackend_tf.nn_ctc import *  # noqa: F403
from kbackend_tf.numpy_array import *  # noqa: F403
from kbackend_tf.numpy_math import *  # noqa: F403
from kbackend_tf.numpy_products import *  # noqa: F403
from kbackend_tf.numpy_reduce import *  # noqa: F403
from kbackend_tf.random import *  # noqa: F403
from kbackend_tf.rnn import *  # noqa: F403
from kbackend_tf.training import *  # noqa: F403
from kcore.backend.contract import ALL_DTYPES, Capabilities

capabilities = Capabilities(
    supports_training=True,
    supports_jit=True,
    dtypes=ALL_DTYPES,
    default_int="int32",
    keep_64bit=True,
    supports_sparse=False,
    description=f"TensorFlow {tf.__version__} (tf.function, on-device loops, XLA on request)",
    # As in Keras 3: "auto" means XLA only with an accelerator; steps still run as tf.functions.
    auto_jit_compile=bool(
        tf.config.list_physical_devices("GPU") or tf.config.list_physical_devices("TPU")
    ),
    mutable_variables=True,
    device_loops=True,
)

__all__ = ["capabilities"]
