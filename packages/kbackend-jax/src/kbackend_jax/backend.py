"""The backend module kcore activates for ``"jax"``: every contract function, and `capabilities`.

kcore loads it when the ``"jax"`` backend is activated (see `kbackend_jax._plugin`).
Like Keras 3, it leaves JAX's ``jax_enable_x64`` flag as the user set it: the 64-bit dtypes are
supported only when it is on.
"""

import jax

from kbackend_jax.core import *  # noqa: F403
from kbackend_jax.image import *  # noqa: F403
from kbackend_jax.linalg import *  # noqa: F403
from kbackend_jax.math import *  # noqa: F403
from kbackend_jax.nn import *  # noqa: F403
from kbackend_jax.nn_conv import *  # noqa: F403
from kbackend_jax.nn_ctc import *  # noqa: F403
from kbackend_jax.numpy_array import *  # noqa: F403
from kbackend_jax.numpy_math import *  # noqa: F403
from kbackend_jax.numpy_products import *  # noqa: F403
from kbackend_jax.numpy_reduce import *  # noqa: F403
from kbackend_jax.random import *  # noqa: F403
from kbackend_jax.rnn import *  # noqa: F403
from kcore.backend.contract import ALL_DTYPES, Capabilities

_64BIT = ("int64", "uint64", "float64", "complex128")

capabilities = Capabilities(
    supports_training=True,
    supports_jit=True,
    dtypes=tuple(d for d in ALL_DTYPES if jax.config.jax_enable_x64 or d not in _64BIT),
    default_int="int32",
    keep_64bit=False,
    supports_sparse=False,
    description=f"JAX {jax.__version__} on {jax.default_backend()} (jit, autodiff, XLA)",
)

__all__ = ["capabilities"]
