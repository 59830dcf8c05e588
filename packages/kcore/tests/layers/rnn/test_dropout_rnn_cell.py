"""DropoutRNNCell: masks cached until reset, one per gate where the cell asks for it."""

import numpy as np

from kcore import layers, ops


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_masks_are_cached_until_reset():
    cell = layers.LSTMCell(3, dropout=0.5, recurrent_dropout=0.5, seed=1)
    x = np.ones((2, 8), "float32")
    h = np.ones((2, 3), "float32")
    masks = cell.get_dropout_mask(x)
    assert len(masks) == 4  # recurrent dropout: one mask per gate
    assert all(tuple(m.shape) == (2, 8) for m in masks)
    assert cell.get_dropout_mask(x) is masks
    recurrent = cell.get_recurrent_dropout_mask(h)
    assert tuple(recurrent[0].shape) == (2, 3)
    values = sorted(set(_np(masks[0]).ravel().tolist()))
    assert values == [0.0, 2.0] or values in ([0.0], [2.0])
    cell.reset_dropout_mask()
    cell.reset_recurrent_dropout_mask()
    assert cell._dropout_mask is None and cell._recurrent_dropout_mask is None


def test_no_mask_without_dropout():
    cell = layers.GRUCell(3)
    assert cell.get_dropout_mask(np.ones((2, 4), "float32")) is None
    assert cell.get_recurrent_dropout_mask(np.ones((2, 3), "float32")) is None
    single = layers.GRUCell(3, dropout=0.5)
    assert tuple(single.get_dropout_mask(np.ones((2, 4), "float32")).shape) == (2, 4)


def test_rates_are_clipped_as_keras_clips_them():
    cell = layers.SimpleRNNCell(2, dropout=1.5, recurrent_dropout=-0.2)
    assert (cell.dropout, cell.recurrent_dropout) == (1.0, 0.0)
