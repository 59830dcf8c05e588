"""`Initializer`, the base class of every initializer."""

from __future__ import annotations


class Initializer:
    """Base class of initializers: callables that make a tensor of a given shape and dtype.

    A subclass implements ``__call__(shape, dtype=None)``, and ``get_config()`` when its
    constructor takes arguments (the default ``from_config`` calls ``cls(**config)``).

    Example:

    >>> import kcore
    >>> class Fives(kcore.initializers.Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return kcore.ops.full(shape, 5.0, dtype=dtype)
    >>> kcore.ops.convert_to_numpy(Fives()((2,))).tolist()
    [5.0, 5.0]
    """

    _keras_module = "keras.initializers"  # kcore subclasses are saved under it

    def __call__(self, shape, dtype=None):
        """Returns a tensor of shape `shape` and dtype `dtype` (default floatx).

        Args:
            shape: the tensor's shape.
            dtype: the tensor's dtype (default `kcore.config.floatx()`).
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__call__(self, shape, dtype=None)`."
        )

    def get_config(self):
        """Returns the initializer's constructor arguments as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Builds an initializer from a `get_config()` dict.

        Args:
            config: the dict `get_config()` returned.
        """
        return cls(**config)

    def clone(self):
        """Returns a new initializer of the same class and config."""
        return self.__class__.from_config(self.get_config())
