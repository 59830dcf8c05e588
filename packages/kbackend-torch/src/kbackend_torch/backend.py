"""The backend module kcore activates for ``"torch"``: every contract function, and `capabilities`.

kcore loads it when the ``"torch"`` backend is activated (see `kbackend_torch._plugin`). Tensors
live on torch's default device (CPU unless the user set another with `torch.set_default_device`).
"""

import torch

from kbackend_torch._utils import SUPPORTED_DTYPES
from kbackend_torch.core import *  # noqa: F403
from kbackend_torch.image import *  # noqa: F403
from kbackend_torch.linalg import *  # noqa: F403
from kbackend_torch.math import *  # noqa: F403
from kbackend_torch.nn import *  # noqa: F403
from kbackend_torch.nn_conv import *  # noqa: F403
from kbackend_torch.nn_ctc import *  # noqa: F403
from kbackend_torch.numpy_array import *  # noqa: F403
from kbackend_torch.numpy_math import *  # noqa: F403
from kbackend_torch.numpy_products import *  # noqa: F403
from kbackend_torch.numpy_reduce import *  # noqa: F403
from kbackend_torch.random import *  # noqa: F403
from kbackend_torch.rnn import *  # noqa: F403
from kbackend_torch.training import *  # noqa: F403
from kcore.backend.contract import Capabilities

capabilities = Capabilities(
    supports_training=True,
    supports_jit=True,
    dtypes=SUPPORTED_DTYPES,
    default_int="int32",
    keep_64bit=True,
    supports_sparse=False,
    description=f"PyTorch {torch.__version__} (eager autograd, fused optimizer updates, torch.compile)",
    # As in Keras 3: steps run eagerly unless jit_compile=True asks for torch.compile.
    auto_jit_compile=False,
    mutable_variables=True,
    device_loops=False,
    graph_capture=True,
)

__all__ = ["capabilities"]
