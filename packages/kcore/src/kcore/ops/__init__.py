"""`kcore.ops`: Keras 3's ops, with the same names, arguments and defaults.

Every op works eagerly on the active backend's tensors (and numpy arrays, Python scalars) and
symbolically on `KerasTensor`s. The numpy, nn, math, linalg and core ops are also available flat
(`kcore.ops.matmul`); image ops live in `kcore.ops.image`.

Example:

>>> import kcore
>>> kcore.ops.convert_to_numpy(kcore.ops.add([1.0, 2.0], 1.0)).tolist()
[2.0, 3.0]
"""

from kcore.ops import core, image, linalg, math, nn, numpy
from kcore.ops.core import *  # noqa: F403
from kcore.ops.linalg import *  # noqa: F403
from kcore.ops.math import *  # noqa: F403
from kcore.ops.nn import *  # noqa: F403
from kcore.ops.numpy import *  # noqa: F403

__all__ = [
    "core",
    "image",
    "linalg",
    "math",
    "nn",
    "numpy",
    *core.__all__,
    *linalg.__all__,
    *math.__all__,
    *nn.__all__,
    *numpy.__all__,
]
