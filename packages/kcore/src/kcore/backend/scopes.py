"""The scopes that change how variables behave: name scopes (variable paths), the stateless scope
(a layer as a pure function of given variable values) and the autocast scope (mixed precision).

Each scope is a stack held per thread, as in Keras 3.
"""

from __future__ import annotations

import threading


class _Stacks(threading.local):
    """One stack per kind of scope, per thread (created empty in each thread)."""

    def __init__(self):
        self.name_scopes: list = []
        self.stateless: list = []
        self.autocast: list = []


_local = _Stacks()


class name_scope:
    """Opens a sub-namespace for the paths of variables created inside it (``dense/kernel``).

    Args:
        name: the scope's name (no ``/``).
        caller: the object opening the scope (a layer); re-entering the innermost scope with the
            same caller and name does not nest a second time (`deduplicate`).
        deduplicate: whether that re-entry is skipped.
        override_parent: an absolute path that replaces every enclosing scope.
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"A name scope's name must be a string without '/', got name={name!r}."
            )
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        self._pushed = False

    def __enter__(self):
        stack = _local.name_scopes
        if self.deduplicate and self.caller is not None and stack:
            top = stack[-1]
            if top.caller is self.caller and top.name == self.name:
                return self
        stack.append(self)
        self._pushed = True
        return self

    def __exit__(self, *exc):
        if self._pushed:
            _local.name_scopes.pop()
            self._pushed = False


def current_path() -> str:
    """The path of the enclosing name scopes, ``"outer/inner"`` (``""`` outside any)."""
    parts = []
    for scope in _local.name_scopes:
        if scope.override_parent is not None:
            parts = [scope.override_parent.strip("/")] if scope.override_parent else []
        parts.append(scope.name)
    return "/".join(p for p in parts if p)


class StatelessScope:
    """Runs code as a pure function of given variable values.

    Inside the scope, reading a variable listed in `state_mapping` gives the mapped value, and
    `assign` records the new value in the scope instead of changing the variable. Scopes nest: a
    variable the inner scope neither maps nor assigned reads the enclosing scope's value (what a
    gradient computation inside a jit-compiled step relies on). Read the new
    values with `get_current_value(variable)` before leaving; the variables themselves never change.
    This is what lets a jit-compiled step treat layer state as inputs and outputs.

    Args:
        state_mapping: pairs `(variable, value)`.
        collect_losses: whether `add_loss` calls inside the scope are collected (`losses`).
        initialize_variables: whether variables created inside the scope get their values when
            the scope closes (outside any trace running inside it), rather than at creation.

    Example:

    >>> import kcore
    >>> v = kcore.Variable(1.0)
    >>> with kcore.StatelessScope([(v, kcore.ops.convert_to_tensor(5.0))]) as scope:
    ...     _ = v.assign(v + 1.0)
    ...     new = scope.get_current_value(v)
    >>> float(new), float(v.numpy())
    (6.0, 1.0)
    """

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        from kcore.backend.variables import Variable

        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses = []
        self._loss_owners = []
        self._values = {}
        self._assigned = {}
        self._deferred = []
        for variable, value in state_mapping or ():
            if not isinstance(variable, Variable):
                raise ValueError(
                    "StatelessScope: state_mapping must hold (kcore.Variable, value) pairs, got "
                    f"{type(variable).__name__} as the first item of a pair."
                )
            self._values[id(variable)] = _as_value(variable, value)

    def __enter__(self):
        _local.stateless.append(self)
        return self

    def __exit__(self, *exc):
        _local.stateless.pop()
        outer = get_stateless_scope()
        if outer is not None and outer.initialize_variables:
            outer._deferred.extend(self._deferred)
        else:
            for variable in self._deferred:
                variable._deferred_initialize()
        self._deferred = []

    def defer(self, variable) -> None:
        """Records a variable created inside the scope, to be given its value on exit."""
        self._deferred.append(variable)

    def add_update(self, variable, value):
        self._values[id(variable)] = value
        self._assigned[id(variable)] = variable

    def assigned_variables(self) -> list:
        """The variables assigned inside the scope, in first-assignment order."""
        return list(self._assigned.values())

    def get_current_value(self, variable):
        """The value `variable` has inside this scope (None if it was neither mapped nor assigned)."""
        return self._values.get(id(variable))

    def add_loss(self, loss, owner=None):
        """Collects a loss added by `owner` (a layer) while the scope is active."""
        self.losses.append(loss)
        self._loss_owners.append(id(owner))

    def losses_of(self, owner) -> list:
        """The collected losses that `owner` added."""
        return [loss for loss, o in zip(self.losses, self._loss_owners) if o == id(owner)]


def _as_value(variable, value):
    from kcore.backend import bound

    value = bound.convert_to_tensor(value)
    if tuple(bound.shape(value)) != variable.shape:
        raise ValueError(
            f"StatelessScope: the value for variable {variable.path!r} has shape "
            f"{tuple(bound.shape(value))}, expected {variable.shape}."
        )
    if bound.dtype(value) != variable.dtype:
        value = bound.cast(value, variable.dtype)
    return value


def in_stateless_scope() -> bool:
    return bool(_local.stateless)


def scoped_value(variable):
    """The value the innermost stateless scope that knows `variable` holds for it, or None."""
    for scope in reversed(_local.stateless):
        value = scope.get_current_value(variable)
        if value is not None:
            return value
    return None


def get_stateless_scope():
    """The innermost active `StatelessScope`, or None."""
    stack = _local.stateless
    return stack[-1] if stack else None


class AutocastScope:
    """Inside it, reading a float variable that allows autocast gives its value cast to `dtype`
    (mixed precision: float32 weights computed in float16 or bfloat16). `dtype=None` turns
    autocasting off."""

    def __init__(self, dtype):
        from kcore.backend.dtypes import is_float_dtype, standardize_dtype

        if dtype is not None:
            dtype = standardize_dtype(dtype)
            if not is_float_dtype(dtype):
                raise ValueError(f"AutocastScope needs a float dtype, got dtype={dtype!r}.")
        self.dtype = dtype

    def __enter__(self):
        _local.autocast.append(self)
        return self

    def __exit__(self, *exc):
        _local.autocast.pop()


def get_autocast_scope():
    """The innermost active `AutocastScope`, or None."""
    stack = _local.autocast
    return stack[-1] if stack else None
