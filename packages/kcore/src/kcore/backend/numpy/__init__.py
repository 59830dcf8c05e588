"""The numpy reference backend: every contract function with numpy alone, inference only.

It defines what the other backends are checked against in the conformance suite, so it favours
clarity and exactness over speed. It imports no other framework.
"""

from kcore.backend.contract import Capabilities
from kcore.backend.numpy.core import *  # noqa: F403
from kcore.backend.numpy.image import *  # noqa: F403
from kcore.backend.numpy.linalg import *  # noqa: F403
from kcore.backend.numpy.math import *  # noqa: F403
from kcore.backend.numpy.nn import *  # noqa: F403
from kcore.backend.numpy.nn_conv import *  # noqa: F403
from kcore.backend.numpy.numpy_array import *  # noqa: F403
from kcore.backend.numpy.numpy_math import *  # noqa: F403
from kcore.backend.numpy.numpy_reduce import *  # noqa: F403
from kcore.backend.numpy.random import *  # noqa: F403
from kcore.backend.numpy.rnn import *  # noqa: F403

capabilities = Capabilities(
    supports_training=False,
    supports_jit=False,
    description="numpy reference backend (inference only)",
)
