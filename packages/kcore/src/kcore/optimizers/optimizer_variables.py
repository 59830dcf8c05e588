"""`OptimizerVariables`: the variable store every optimizer shares (a mixin of `Optimizer`).

It creates the optimizer's non-trainable variables in the optimizer's name scope (slots named
after the model variable they belong to, as Keras names them), keeps them in creation order in
`variables`, maps each trainable variable to its index, and reads and writes their values
(`set_weights`, `save_own_variables`, `load_own_variables`).
"""

from __future__ import annotations

from kcore import initializers
from kcore.backend.scopes import name_scope
from kcore.backend.variables import Variable


class OptimizerVariables:
    """The variable store of `Optimizer`; see the module docstring. It expects `name`,
    `_variables`, `_trainable_variables_indices` and `built` from the optimizer's `__init__`."""

    @property
    def variables(self):
        """The optimizer's variables: ``iteration``, ``learning_rate`` (unless it is a schedule),
        then the slots in creation order."""
        return self._variables[:]

    def _track_variable(self, variable):
        self._variables.append(variable)

    def _untrack_variable(self, variable):
        self._variables = [v for v in self._variables if v is not variable]

    def _var_key(self, variable):
        return id(variable)

    def _get_variable_index(self, variable):
        return self._trainable_variables_indices[self._var_key(variable)]

    def _overwrite_variable_with_gradient(self, variable):
        return getattr(variable, "overwrite_with_gradient", False)

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none", name=None):
        """Creates a non-trainable optimizer variable in the optimizer's name scope.

        Args:
            shape: the variable's shape.
            initializer: an initializer or its name (default ``"zeros"``).
            dtype: the dtype (default floatx).
            aggregation: how replicas combine it (``"none"``, ``"mean"``, ``"sum"``,
                ``"only_first_replica"``).
            name: the variable's name.

        Returns:
            The new `kcore.Variable`, tracked in `variables`.
        """
        self._check_super_called()
        with name_scope(self.name, caller=self):
            variable = Variable(
                initializers.get(initializer),
                shape=shape,
                dtype=dtype,
                trainable=False,
                aggregation=aggregation,
                name=name,
            )
        self._track_variable(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """Creates an optimizer variable with the shape and dtype of `reference_variable`, named
        ``"<reference path with _>_<name>"`` (``"dense_kernel_momentum"``).

        Args:
            reference_variable: the model variable the slot belongs to.
            name: the slot's name (default ``"var"``).
            initializer: an initializer or its name (default ``"zeros"``).
        """
        name = name or "var"
        prefix = getattr(reference_variable, "path", None) or str(reference_variable.name)
        name = f"{prefix.replace('/', '_').replace(':', '_')}_{name}"
        return self.add_variable(
            shape=reference_variable.shape,
            initializer=initializer,
            dtype=reference_variable.dtype,
            name=name,
        )

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """Creates one slot per trainable variable (``None`` for variables that are overwritten
        with their gradient).

        Args:
            trainable_variables: the model variables.
            name: the slot name, or a list of names (one slot of each per variable, interleaved).
            initializer: an initializer, or a list of them matching `name`.

        Returns:
            A list of variables, or a tuple of lists when `name` is a list.
        """
        names = [name] if isinstance(name, str) else list(name)
        if isinstance(initializer, (list, tuple)):
            inits = list(initializer)
        else:
            inits = [initializer] * len(names)
        if len(names) != len(inits):
            raise ValueError(
                f"add_optimizer_variables: {len(names)} names but {len(inits)} initializers "
                f"(name={name!r}, initializer={initializer!r}). Pass one initializer per name."
            )
        slots = tuple([] for _ in names)
        for variable in trainable_variables:
            skip = self._overwrite_variable_with_gradient(variable)
            for i, (slot_name, init) in enumerate(zip(names, inits)):
                slots[i].append(
                    None
                    if skip
                    else self.add_variable_from_reference(
                        variable, name=slot_name, initializer=init
                    )
                )
        return slots[0] if isinstance(name, str) else slots

    def assign(self, variable, value):
        """Sets `variable` to `value` (optimizers use this rather than `variable.assign`)."""
        variable.assign(value)

    def assign_add(self, variable, value):
        """Adds `value` to `variable`."""
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        """Subtracts `value` from `variable`."""
        variable.assign_sub(value)

    def set_weights(self, weights):
        """Sets the optimizer's variables from a list of arrays (in `variables` order)."""
        if not self.built:
            raise ValueError(
                "set_weights() was called on an optimizer that is not built. Call "
                "`optimizer.build(trainable_variables)` first."
            )
        for variable, weight in zip(self._variables, weights):
            if tuple(variable.shape) != tuple(weight.shape):
                raise ValueError(
                    f"Optimizer variable {variable.path!r} has shape {variable.shape}; the weight "
                    f"given for it has shape {tuple(weight.shape)}."
                )
            variable.assign(weight)

    def save_own_variables(self, store):
        """Writes the variables to `store` under keys ``"0"``, ``"1"``... (Keras's layout)."""
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Reads the variables `save_own_variables` wrote (Keras's layout: keys ``"0"``,
        ``"1"``..., in `variables` order).

        Everything is checked before anything is assigned, so a mismatched file leaves the
        optimizer as it was.

        Raises:
            ValueError: if the store holds a different number of variables, or a variable of a
                different shape, than the optimizer has.
        """
        variables = self.variables
        found = len(store.keys())
        if found != len(variables):
            hint = (
                " The optimizer is not built yet: build it on the model's trainable variables "
                "(`optimizer.build(model.trainable_variables)`) before loading."
                if not self.built
                else " Was the file saved with another optimizer, optimizer options (e.g. "
                "`amsgrad`, `momentum`, `use_ema`) or model?"
            )
            raise ValueError(
                f"Cannot load the state of optimizer '{self.name}' ({type(self).__name__}): it "
                f"has {len(variables)} variables, but the saved state holds {found}.{hint}"
            )
        values = [store[str(i)] for i in range(found)]
        mismatched = [
            f"{variable.path} expects {tuple(variable.shape)}, found {tuple(value.shape)}"
            for variable, value in zip(variables, values)
            if tuple(variable.shape) != tuple(value.shape)
        ]
        if mismatched:
            raise ValueError(
                f"Cannot load the state of optimizer '{self.name}' ({type(self).__name__}): "
                f"variable shapes differ from the saved ones: {'; '.join(mismatched)}. The "
                "optimizer must be built on the same model variables, in the same order, as the "
                "one that was saved."
            )
        for variable, value in zip(variables, values):
            variable.assign(value)
