"""`kcore.utils`: Keras 3's utilities."""

import importlib

from kcore.utils.seeding import set_random_seed
from kcore.utils.session import clear_session

_LAZY = {
    "PyDataset": "kcore.trainers.data_adapters.py_dataset_adapter",
    "Sequence": "kcore.trainers.data_adapters.py_dataset_adapter",
    "pack_x_y_sample_weight": "kcore.trainers.data_adapters.data_adapter_utils",
    "unpack_x_y_sample_weight": "kcore.trainers.data_adapters.data_adapter_utils",
}

__all__ = ["clear_session", "set_random_seed", *_LAZY]


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        return getattr(module, "PyDataset" if name == "Sequence" else name)
    raise AttributeError(f"module 'kcore.utils' has no attribute {name!r}")
