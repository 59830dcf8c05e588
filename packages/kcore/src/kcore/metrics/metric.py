"""`kcore.metrics.Metric`: the base class of every metric (state variables, update, result).

A metric keeps its running statistics in non-trainable `kcore.Variable`s created with
`add_variable`. `update_state` folds a batch into them, `result` reads the metric from them and
`reset_state` puts them back to zero. All three are written with `kcore.ops` only, so a trainer
can run them as pure functions of the variable values (`stateless_update_state`,
`stateless_result`, `stateless_reset_state`) inside a jit-compiled step.

Example:

>>> import kcore
>>> m = kcore.metrics.Mean()
>>> m.update_state([1.0, 3.0, 5.0, 7.0])
>>> float(m.result())
4.0
"""

from __future__ import annotations

from kcore import ops
from kcore.backend import scopes
from kcore.backend.dtypes import standardize_dtype
from kcore.backend.variables import Variable


class Metric:
    """Encapsulates metric logic and state.

    Subclasses create their state in `__init__` with `add_variable`, accumulate it in
    `update_state` (with `variable.assign(...)`, traceable ops only) and compute the value in
    `result`.

    Args:
        dtype: the dtype of the metric's variables and result (default: floatx).
        name: the metric's name (default: the snake-cased class name, made unique).

    Example:

    >>> import kcore
    >>> class Count(kcore.metrics.Metric):
    ...     def __init__(self, name="count", dtype=None):
    ...         super().__init__(name=name, dtype=dtype)
    ...         self.count = self.add_variable(shape=(), initializer="zeros", name="count")
    ...     def update_state(self, values):
    ...         self.count.assign_add(kcore.ops.cast(kcore.ops.size(values), self.dtype))
    ...     def result(self):
    ...         return self.count.value
    >>> m = Count()
    >>> float(m([1, 2, 3]))
    3.0
    """

    _keras_module = "keras.metrics"  # kcore subclasses are saved under it

    def __init__(self, dtype=None, name=None):
        if name is None:
            from kcore.layers._state import to_snake_case, unique_name

            name = unique_name(to_snake_case(type(self).__name__))
        if not isinstance(name, str):
            raise TypeError(
                f"{type(self).__name__}: `name` must be a string, received name={name!r}."
            )
        from kcore import config

        self.name = name
        self._dtype = standardize_dtype(dtype or config.floatx())
        self._variables = []
        self._metrics = []

    # --- tracking ----------------------------------------------------------------------------

    def __setattr__(self, name, value):
        if "_metrics" in self.__dict__:
            self._track(value)
        super().__setattr__(name, value)

    def _track(self, value):
        if isinstance(value, Variable):
            if not any(v is value for v in self._variables):
                self._variables.append(value)
        elif isinstance(value, Metric):
            if not any(m is value for m in self._metrics):
                self._metrics.append(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, (Variable, Metric)):
                    self._track(item)

    def _check_super_called(self):
        if "_metrics" not in self.__dict__:
            raise RuntimeError(
                f"{type(self).__name__}: you forgot to call `super().__init__()` in the "
                "`__init__()` method. Call it before creating variables."
            )

    @property
    def variables(self):
        """The metric's state variables, then those of the metrics it holds in attributes."""
        variables = list(self._variables)
        for metric in self._metrics:
            variables.extend(metric.variables)
        return variables

    @property
    def dtype(self):
        """The dtype of the metric's result (and, by default, of its variables)."""
        return self._dtype

    # --- state -------------------------------------------------------------------------------

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Creates a non-trainable state variable named ``<metric name>/<name>``.

        Args:
            shape: the variable's shape.
            initializer: an initializer or its name (``"zeros"``).
            dtype: the variable's dtype (default: floatx).
            aggregation: how replicas combine it (``"sum"``, ``"mean"``, ``"none"``,
                ``"only_first_replica"``).
            name: the variable's name.

        Returns:
            The new `kcore.Variable`.
        """
        self._check_super_called()
        from kcore import initializers

        with scopes.name_scope(self.name.replace("/", ">"), caller=self):
            variable = Variable(
                initializer=initializers.get(initializer),
                shape=shape,
                dtype=dtype,
                trainable=False,
                aggregation=aggregation,
                synchronization="on_read",
                name=name,
            )
        self._track(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """Alias of `add_variable` kept for compatibility with older Keras code."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    def update_state(self, *args, **kwargs):
        """Accumulates statistics for the metric (implemented by subclasses)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `update_state(self, ...)`."
        )

    def result(self):
        """Returns the metric value (a scalar tensor, a tensor or a dict of them)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `result(self)`.")

    def reset_state(self):
        """Puts every state variable back to zero (called between epochs)."""
        for variable in self.variables:
            variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))

    def __call__(self, *args, **kwargs):
        """Updates the state with the arguments, then returns `result()`."""
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    # --- stateless API -------------------------------------------------------------------------

    def _mapping(self, metric_variables, method):
        variables = self.variables
        metric_variables = list(metric_variables)
        if len(metric_variables) != len(variables):
            raise ValueError(
                f"{type(self).__name__}.{method}: argument `metric_variables` must be a list of "
                f"tensors corresponding 1:1 to {type(self).__name__}().variables. Received a list "
                f"of length {len(metric_variables)}, expected {len(variables)}."
            )
        return list(zip(variables, metric_variables))

    def _collect(self, scope, fallback):
        values = []
        for variable, old in zip(self.variables, fallback):
            new = scope.get_current_value(variable)
            values.append(new if new is not None else old)
        return values

    def stateless_update_state(self, metric_variables, *args, **kwargs):
        """`update_state` as a pure function: returns the new variable values.

        Args:
            metric_variables: the current values, in the order of `variables`.
            *args: what `update_state` takes (``y_true, y_pred``...).
            **kwargs: what `update_state` takes (``sample_weight``...).

        Returns:
            The list of new values, in the order of `variables`.
        """
        mapping = self._mapping(metric_variables, "stateless_update_state")
        with scopes.StatelessScope(state_mapping=mapping) as scope:
            self.update_state(*args, **kwargs)
        return self._collect(scope, [value for _, value in mapping])

    def stateless_result(self, metric_variables):
        """`result` computed from the given variable values (in the order of `variables`)."""
        mapping = self._mapping(metric_variables, "stateless_result")
        with scopes.StatelessScope(state_mapping=mapping):
            return self.result()

    def stateless_reset_state(self):
        """Returns the variable values `reset_state` would set, leaving the variables as they are."""
        with scopes.StatelessScope() as scope:
            self.reset_state()
        return self._collect(scope, self.variables)

    # --- config ------------------------------------------------------------------------------

    def get_config(self):
        """Returns the metric's config (``name`` and ``dtype``, plus each subclass's arguments)."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        """Rebuilds a metric from the output of `get_config`."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"

    def __str__(self):
        return self.__repr__()
