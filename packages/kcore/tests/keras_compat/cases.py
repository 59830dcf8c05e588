"""`Case`: one layer configuration to compare between Keras 3 and kcore.

Each `cases_<group>.py` module lists `CASES`, a list of `Case`; `test_layers_match_keras.py`
runs every one: it builds the layer in Keras, builds the same layer in kcore *from the Keras
layer's config*, copies the Keras weights across with `set_weights`, and compares the outputs
of the two on the same inputs (float32 tolerance), and the two configs' keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Case:
    """One comparison.

    Args:
        layer: the class name, the same in `keras.layers` and `kcore.layers`.
        kwargs: constructor arguments (used when `make` is None).
        input_shape: the input's shape, or a list/dict of shapes for several inputs; random
            data of `input_dtype` is made from it. Or give `input_data`.
        input_dtype: the dtype of the random inputs ("float32", "int32", "bool"...).
        input_data: a function `rng -> inputs` (numpy arrays, or nested lists/dicts of them),
            for inputs random data cannot stand in for (strings, token ids in a range...).
        call_kwargs: extra call arguments, as numpy values (masks, `training`...), or a
            function `rng -> dict`.
        make: a function `layers_module -> layer`, for layers whose arguments are layers
            (wrappers, RNN cells); receives `keras.layers` or `kcore.layers`.
        adapt: a function `rng -> data` whose result is passed to both layers' `adapt`.
        needs: modules Keras needs for this layer beyond its backend (e.g. "tensorflow" for
            the string preprocessing layers); the case is skipped where one is missing.
        compare_config_keys: compare the sets of config keys.
        id: the test id (defaults to the layer name and a counter).
        rtol, atol: the tolerance of the output comparison.
    """

    layer: str
    kwargs: dict = field(default_factory=dict)
    input_shape: Any = None
    input_dtype: str = "float32"
    input_data: Callable[[np.random.Generator], Any] | None = None
    call_kwargs: dict | Callable[[np.random.Generator], dict] = field(default_factory=dict)
    make: Callable[[Any], Any] | None = None
    adapt: Callable[[np.random.Generator], Any] | None = None
    needs: tuple[str, ...] = ()
    compare_config_keys: bool = True
    id: str | None = None
    rtol: float = 1e-5
    atol: float = 1e-5

    def build(self, layers_module):
        if self.make is not None:
            return self.make(layers_module)
        return getattr(layers_module, self.layer)(**self.kwargs)

    def inputs(self, rng):
        if self.input_data is not None:
            return self.input_data(rng)
        return _structure(self.input_shape, lambda shape: _random(rng, shape, self.input_dtype))

    def call_arguments(self, rng):
        if callable(self.call_kwargs):
            return self.call_kwargs(rng)
        return dict(self.call_kwargs)


def _random(rng, shape, dtype):
    if "int" in dtype:
        return rng.integers(0, 8, size=shape).astype(dtype)
    if dtype == "bool":
        return rng.random(shape) > 0.5
    return rng.standard_normal(shape).astype(dtype)


def _structure(shape, make):
    if isinstance(shape, dict):
        return {k: _structure(v, make) for k, v in shape.items()}
    if isinstance(shape, list):
        return [_structure(s, make) for s in shape]
    return make(tuple(shape))
