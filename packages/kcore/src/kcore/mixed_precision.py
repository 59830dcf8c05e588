"""`keras.mixed_precision`: dtype policies under their mixed-precision names, and
`LossScaleOptimizer`.

Example:

>>> import kcore
>>> kcore.mixed_precision.set_global_policy("mixed_float16")
>>> kcore.layers.Dense(4).dtype_policy.compute_dtype
'float16'
>>> kcore.mixed_precision.set_global_policy("float32")
"""

from kcore.dtype_policies import DTypePolicy, dtype_policy, set_dtype_policy
from kcore.dtype_policies import dtype_policy as global_policy
from kcore.dtype_policies import set_dtype_policy as set_global_policy
from kcore.optimizers.loss_scale_optimizer import LossScaleOptimizer

Policy = DTypePolicy

__all__ = [
    "DTypePolicy",
    "LossScaleOptimizer",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]
