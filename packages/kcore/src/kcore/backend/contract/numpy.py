"""Contract group ``numpy``: the numpy-like ops (about 220), in two modules by concept.

- `kcore.backend.contract.numpy_math`: element-wise math, comparisons, logic, reductions, statistics.
- `kcore.backend.contract.numpy_array`: creation, shape manipulation, indexing, sorting, products.
"""

from __future__ import annotations

from kcore.backend.contract._spec import Group

group = Group("numpy")

from kcore.backend.contract import numpy_array, numpy_math  # noqa: E402, F401  (they fill `group`)
