"""`Lambda`: wraps a function of tensors as a layer."""

from __future__ import annotations

import inspect
import types

import optree

from kcore.backend import bound
from kcore.backend.keras_tensor import KerasTensor
from kcore.layers.layer import Layer
from kcore.saving import serialization
from kcore.saving.lambdas import func_dump, func_load
from kcore.saving.scopes import in_safe_mode


def _is_shape(value) -> bool:
    return isinstance(value, (tuple, list)) and all(
        d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in value
    )


class Lambda(Layer):
    """Wraps an arbitrary expression as a layer.

    Best for quick experiments: a `Lambda` is saved as its function's Python bytecode (for a
    ``lambda``) or its registered name, so a model holding one only loads where the same code is
    available, and loading a ``lambda`` needs ``safe_mode=False``. Prefer a `Layer` subclass for
    anything meant to last.

    Args:
        function: the function, called as `function(inputs, **arguments)` (plus `mask` and
            `training` when it takes arguments of those names).
        output_shape: the output shape without the batch axis (a tuple, or a structure of them),
            or a function of the full input shape. By default inferred by running `function` on
            symbolic inputs.
        mask: None (no output mask), a function `mask(inputs, previous_mask)`, or a tensor
            returned as the output mask.
        arguments: a dict of keyword arguments for `function`.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.Lambda(lambda x: x ** 2)
    >>> kcore.ops.convert_to_numpy(layer(kcore.ops.ones((1, 2)) * 3)).tolist()
    [[9.0, 9.0]]
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(
                f"Lambda layer {self.name!r}: `function` must be callable, got {function!r}."
            )
        self.arguments = dict(arguments or {})
        self.function = function
        self.supports_masking = mask is not None
        self.mask = mask
        self._output_shape = output_shape
        try:
            parameters = inspect.signature(function).parameters
        except (TypeError, ValueError):
            parameters = {}
        self._fn_expects_training_arg = "training" in parameters
        self._fn_expects_mask_arg = "mask" in parameters
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            specs = optree.tree_map(
                lambda s: KerasTensor(s, dtype=self.compute_dtype),
                input_shape,
                is_leaf=_is_shape,
                none_is_leaf=True,
            )
            outputs = self._infer_outputs(specs)
            return optree.tree_map(lambda x: tuple(x.shape), outputs)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch = optree.tree_leaves(input_shape, none_is_leaf=True)[0]
        return optree.tree_map(
            lambda s: (batch, *s), self._output_shape, is_leaf=_is_shape, none_is_leaf=True
        )

    def compute_output_spec(self, inputs, mask=None, training=None):
        if self._output_shape is None:
            # Inferred from the function itself: its output dtypes are kept.
            return self._infer_outputs(inputs, mask=mask, training=training)
        return super().compute_output_spec(inputs)

    def _infer_outputs(self, inputs, **kwargs):
        try:
            return bound.compute_output_spec(lambda x: self.call(x, **kwargs), inputs)
        except Exception as error:
            raise NotImplementedError(
                f"We could not automatically infer the shape of the Lambda's output (layer "
                f"{self.name!r}: {type(error).__name__}: {error}). Please specify the "
                "`output_shape` argument for this Lambda layer."
            ) from error

    # --- config ------------------------------------------------------------------------------

    def _function_config(self, fn):
        # A function loaded from a config is written back as it was read: marshalled bytecode
        # is not byte-stable across a load, and the config should be.
        loaded = getattr(self, "_loaded_function_configs", {}).get(id(fn))
        if loaded is not None and loaded[0] is fn:
            return loaded[1]
        return _serialize_function(fn)

    def get_config(self) -> dict:
        config = {"function": self._function_config(self.function)}
        if self._output_shape is not None:
            if callable(self._output_shape):
                config["output_shape"] = self._function_config(self._output_shape)
            else:
                config["output_shape"] = self._output_shape
        if self.mask is not None:
            if callable(self.mask):
                config["mask"] = self._function_config(self.mask)
            else:
                config["mask"] = serialization.serialize_keras_object(self.mask)
        config["arguments"] = serialization.serialize_keras_object(self.arguments)
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """Rebuilds the layer; a ``lambda`` in the config is only loaded with safe mode off
        (`safe_mode=False`, an enclosing `SafeModeScope(False)` or
        `kcore.saving.enable_unsafe_deserialization()`)."""
        if safe_mode is None:
            safe_mode = in_safe_mode()
        safe_mode = safe_mode is not False  # unset means safe: fail closed
        config = dict(config)
        loaded = {}

        def load(value):
            fn = _deserialize_function(value, custom_objects, safe_mode)
            loaded[id(fn)] = (fn, value)
            return fn

        config["function"] = load(config["function"])
        if "output_shape" in config:
            value = config["output_shape"]
            if isinstance(value, dict) and "class_name" in value:
                config["output_shape"] = load(value)
            else:
                config["output_shape"] = _to_tuples(value)
        if isinstance(config.get("mask"), dict):
            mask = config["mask"]
            if mask.get("class_name") in ("__lambda__", "function"):
                config["mask"] = load(mask)
            else:
                config["mask"] = serialization.deserialize_keras_object(
                    mask, custom_objects=custom_objects
                )
        if "arguments" in config:
            config["arguments"] = serialization.deserialize_keras_object(
                config["arguments"], custom_objects=custom_objects
            )
        layer = cls(**config)
        layer._loaded_function_configs = loaded
        return layer


def _serialize_function(fn):
    if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
        code, defaults, closure = func_dump(fn)
        return {
            "class_name": "__lambda__",
            "config": {"code": code, "defaults": defaults, "closure": closure},
        }
    if callable(fn):
        return serialization.serialize_keras_object(fn)
    raise ValueError(f"Invalid input type for serialization. Received: {fn} of type {type(fn)}.")


def _deserialize_function(config, custom_objects, safe_mode):
    if isinstance(config, dict) and config.get("class_name") == "__lambda__":
        if safe_mode:
            raise ValueError(
                "Requested the deserialization of a `Lambda` layer whose `function` is a Python "
                "lambda. This carries a potential risk of arbitrary code execution and thus it is "
                "disallowed by default. If you trust the source of the artifact, you can "
                "override this error by passing `safe_mode=False` to the loading function, or "
                "calling `kcore.saving.enable_unsafe_deserialization()`."
            )
        inner = config["config"]
        defaults = inner.get("defaults")
        return func_load(
            inner["code"],
            defaults=tuple(defaults) if defaults is not None else None,
            closure=inner.get("closure"),
        )
    return serialization.deserialize_keras_object(config, custom_objects=custom_objects)


def _to_tuples(value):
    """A shape (or structure of shapes) read back from JSON, with its lists made tuples again."""
    if _is_shape(value):
        return tuple(value)
    if isinstance(value, (list, tuple)):
        return [_to_tuples(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_tuples(v) for k, v in value.items()}
    return value
