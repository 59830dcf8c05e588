"""Backend selection and the dtype utilities of `keras.backend`.

Example:

>>> import kcore
>>> active = kcore.backend.backend()
>>> active in kcore.backend.installed_backends()
True
"""

from kcore.backend._activation import (
    BackendContractError,
    BackendNotFoundError,
    activate,
    backend,
    backend_module,
    bound,
    capabilities,
    installed_backends,
    select_backend_name,
)
from kcore.backend.dtypes import (
    is_complex_dtype,
    is_float_dtype,
    is_int_dtype,
    result_type,
    standardize_dtype,
)
from kcore.backend.keras_tensor import KerasTensor, is_keras_tensor
from kcore.config import (
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)

__all__ = [
    "BackendContractError",
    "BackendNotFoundError",
    "KerasTensor",
    "activate",
    "backend",
    "backend_module",
    "bound",
    "capabilities",
    "epsilon",
    "floatx",
    "image_data_format",
    "installed_backends",
    "is_complex_dtype",
    "is_float_dtype",
    "is_int_dtype",
    "is_keras_tensor",
    "result_type",
    "select_backend_name",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "standardize_dtype",
]
