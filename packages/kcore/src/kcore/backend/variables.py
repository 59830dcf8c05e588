"""`kcore.Variable`: a named, stateful tensor holding a backend-native value.

Ops accept variables wherever they accept tensors (kcore's op dispatch reads `.value`), and a
variable has the Python operators of a tensor. Inside a `StatelessScope` a variable reads and
writes the scope's values instead of its own, so the same layer code runs eagerly or as a pure
function under `jit`.

Example:

>>> import kcore
>>> v = kcore.Variable(kcore.ops.ones((2, 2)), name="kernel")
>>> _ = v.assign_add(kcore.ops.ones((2, 2)))
>>> v
<Variable path=kernel, shape=(2, 2), dtype=float32, value=[[2. 2.] [2. 2.]]>
>>> kcore.ops.convert_to_numpy(v * 3).tolist()
[[6.0, 6.0], [6.0, 6.0]]
"""

from __future__ import annotations

import numpy as np

from kcore.backend import scopes
from kcore.backend._activation import bound
from kcore.backend._operators import install_operators
from kcore.backend.backend_bases import BackendVariable
from kcore.backend.dtypes import is_float_dtype, standardize_dtype

_AGGREGATIONS = ("none", "mean", "sum", "only_first_replica")
_SYNCHRONIZATIONS = ("none", "on_write", "on_read", "auto")


class Variable(BackendVariable):
    """A stateful tensor: a backend-native value with a name, a path, a dtype and a trainable flag.

    Args:
        initializer: the initial value (array-like or tensor), or a callable (an initializer, or
            its string identifier such as ``"glorot_uniform"``) called as `initializer(shape, dtype)`.
        shape: the variable's shape; required when `initializer` is a callable.
        dtype: the dtype (default: the initial value's dtype, or floatx for a callable).
        trainable: whether gradient-based training updates it.
        autocast: whether a float variable is read in the compute dtype inside an
            `AutocastScope` (mixed precision).
        aggregation: how distributed replicas combine updates: ``"none"``, ``"mean"``, ``"sum"`` or
            ``"only_first_replica"``.
        synchronization: ``"none"``, ``"on_write"``, ``"on_read"`` or ``"auto"``.
        name: the variable's name (default ``"variable"``); its `path` prefixes the enclosing
            name scopes (``"dense/kernel"``).
    """

    _kcore_variable = True

    def __init__(
        self,
        initializer,
        shape=None,
        dtype=None,
        trainable=True,
        autocast=True,
        aggregation="none",
        synchronization="auto",
        name=None,
    ):
        name = "variable" if name is None else name
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"A variable's name must be a string without '/', got name={name!r}. Use "
                "kcore.name_scope to group variables under a path."
            )
        if aggregation not in _AGGREGATIONS:
            raise ValueError(f"aggregation must be one of {_AGGREGATIONS}, got {aggregation!r}.")
        if synchronization not in _SYNCHRONIZATIONS:
            raise ValueError(
                f"synchronization must be one of {_SYNCHRONIZATIONS}, got {synchronization!r}."
            )
        self.name = name
        parent = scopes.current_path()
        self.path = f"{parent}/{name}" if parent else name
        self.trainable = bool(trainable)
        self._autocast = bool(autocast)
        self.aggregation = aggregation
        self.synchronization = synchronization
        self.regularizer = None
        self.constraint = None
        self._overwrite_with_gradient = False
        if isinstance(initializer, str):
            from kcore import initializers

            initializer = initializers.get(initializer)
        if callable(initializer):
            if shape is None:
                raise ValueError(
                    f"Variable {self.path!r}: when `initializer` is a callable ({initializer!r}), "
                    "`shape` is required. Pass shape=..., or pass an initial value instead."
                )
            self._dtype = standardize_dtype(dtype)
            self._shape = tuple(int(d) for d in shape)
            scope = scopes.get_stateless_scope()
            if scope is not None and scope.initialize_variables:
                # Created while tracing a pure function (shape inference, jit): the value is made
                # when the scope closes, outside the trace; until then reads use the initializer.
                self._initializer = initializer
                self._value = None
                scope.defer(self)
                return
            value = initializer(self._shape, dtype=self._dtype)
        else:
            value = initializer
            if dtype is None and not hasattr(value, "dtype"):
                value = bound.convert_to_tensor(value)  # Python floats: floatx; ints: int32
            self._dtype = standardize_dtype(dtype if dtype is not None else _dtype_of(value))
        value = bound.convert_to_tensor(value, dtype=self._dtype)
        self._shape = tuple(int(d) for d in bound.shape(value))
        if shape is not None and tuple(shape) != self._shape:
            raise ValueError(
                f"Variable {self.path!r}: the initial value has shape {self._shape}, but "
                f"shape={tuple(shape)} was given."
            )
        self._value = self._initialize(value)

    # The backend keeps the value its own way: as is, or in a mutable container it updates in
    # place (a torch Parameter, a tf.Variable).
    def _initialize(self, value):
        return bound.variable_state(value, self)

    def _deferred_initialize(self) -> None:
        if self._value is None:
            value = bound.convert_to_tensor(
                self._initializer(self._shape, dtype=self._dtype), dtype=self._dtype
            )
            self._value = self._initialize(value)

    def _direct_assign(self, value):
        self._value = bound.assign_variable_state(self._value, value)

    @property
    def value(self):
        """The current value: the stateless scope's if one maps this variable, cast to the
        autocast dtype when an `AutocastScope` applies."""
        value = self._value
        if scopes.in_stateless_scope():
            scoped = scopes.scoped_value(self)
            if scoped is not None:
                value = scoped
        if value is None:
            value = bound.convert_to_tensor(
                self._initializer(self._shape, dtype=self._dtype), dtype=self._dtype
            )
        if self._autocast:
            autocast = scopes.get_autocast_scope()
            if (
                autocast is not None
                and autocast.dtype is not None
                and autocast.dtype != self._dtype
                and is_float_dtype(self._dtype)
            ):
                value = bound.cast(value, autocast.dtype)
        return value

    @property
    def dtype(self) -> str:
        autocast = scopes.get_autocast_scope() if self._autocast else None
        if autocast is not None and autocast.dtype is not None and is_float_dtype(self._dtype):
            return autocast.dtype
        return self._dtype

    @property
    def shape(self) -> tuple:
        return self._shape

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def overwrite_with_gradient(self) -> bool:
        """Whether an optimizer replaces this variable with its gradient instead of applying it."""
        return self._overwrite_with_gradient

    @overwrite_with_gradient.setter
    def overwrite_with_gradient(self, value):
        if not isinstance(value, bool):
            raise TypeError(f"overwrite_with_gradient must be a bool, got {value!r}.")
        self._overwrite_with_gradient = value

    def numpy(self) -> np.ndarray:
        return np.asarray(bound.convert_to_numpy(self.value))

    def assign(self, value):
        """Sets the value (same shape; cast to the variable's dtype) and returns it."""
        value = bound.convert_to_tensor(value, dtype=self._dtype)
        if tuple(bound.shape(value)) != self._shape:
            raise ValueError(
                f"Variable {self.path!r} has shape {self._shape}; the value assigned to it has "
                f"shape {tuple(bound.shape(value))}. Assign a value of the variable's shape."
            )
        scope = scopes.get_stateless_scope()
        if scope is not None:
            scope.add_update(self, value)
        else:
            self._direct_assign(value)
        return value

    def assign_add(self, value):
        """Adds `value` to the variable; returns the new value."""
        return self.assign(bound.add(self.value, bound.cast(value, self._dtype)))

    def assign_sub(self, value):
        """Subtracts `value` from the variable; returns the new value."""
        return self.assign(bound.subtract(self.value, bound.cast(value, self._dtype)))

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array.astype(dtype) if dtype is not None else array

    def __repr__(self):
        value = np.array2string(self.numpy(), threshold=8, edgeitems=2, separator=" ")
        value = " ".join(value.split())
        return (
            f"<Variable path={self.path}, shape={self._shape}, dtype={self._dtype}, value={value}>"
        )

    __hash__ = object.__hash__

    def __len__(self):
        if not self._shape:
            raise TypeError("len() of a 0-d Variable")
        return self._shape[0]

    def __bool__(self):
        return bool(self.numpy())

    def __float__(self):
        return float(self.numpy())

    def __int__(self):
        return int(self.numpy())

    def __getitem__(self, key):
        import kcore.ops

        return kcore.ops.get_item(self.value, key)

    def __neg__(self):
        return bound.negative(self.value)

    def __pos__(self):
        return self.value

    def __abs__(self):
        return bound.absolute(self.value)

    def __invert__(self):
        import kcore.ops

        value = self.value
        return (
            kcore.ops.logical_not(value)
            if self._dtype == "bool"
            else kcore.ops.bitwise_invert(value)
        )

    @property
    def T(self):
        return bound.transpose(self.value)

    def astype(self, dtype):
        return bound.cast(self.value, dtype)


install_operators(Variable)
Variable.__module__ = "kcore"


def _dtype_of(value) -> str:
    dtype = getattr(value, "dtype", None)
    if dtype is not None:
        return standardize_dtype(dtype)
    return bound.dtype(bound.convert_to_tensor(value))


def is_variable(x) -> bool:
    return isinstance(x, Variable)
