"""`GlobalAveragePooling1D`: the mean over the steps of temporal data, honouring a mask."""

from __future__ import annotations

from kcore import ops
from kcore.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Global average pooling for temporal data: `(batch, steps, features)` (or
    `(batch, features, steps)` with ``"channels_first"``) becomes `(batch, features)`, the mean
    over the steps.

    With a mask of shape `(batch, steps)` (given, or set by an `Embedding(mask_zero=True)` or a
    `Masking` layer upstream) only the unmasked steps are averaged. The output carries no mask.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).
        keepdims: whether to keep the steps axis with size 1 rather than drop it.

    Example:

    >>> import kcore
    >>> x = kcore.ops.reshape(kcore.ops.arange(6.0), (1, 3, 2))
    >>> layer = kcore.layers.GlobalAveragePooling1D()
    >>> kcore.ops.convert_to_numpy(layer(x)).tolist()
    [[2.0, 3.0]]
    >>> mask = kcore.ops.convert_to_tensor([[True, True, False]])
    >>> kcore.ops.convert_to_numpy(layer(x, mask=mask)).tolist()
    [[1.0, 2.0]]
    """

    pool_dimensions = 1
    _reduce = staticmethod(ops.mean)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return ops.mean(inputs, axis=self._axes, keepdims=self.keepdims)
        feature_axis = 2 if self.data_format == "channels_last" else 1
        mask = ops.expand_dims(ops.cast(mask, "bool"), feature_axis)
        total = ops.sum(ops.where(mask, inputs, 0), axis=self._axes, keepdims=self.keepdims)
        count = ops.sum(ops.cast(mask, inputs.dtype), axis=self._axes, keepdims=self.keepdims)
        return total / count

    def compute_mask(self, inputs, previous_mask):
        return None
