import pytest

import kcore
from kcore import callbacks as cbks


def test_stops_training_on_nan_or_inf_loss(model, capsys):
    callbacks = cbks.CallbackList([cbks.TerminateOnNaN()], model=model)
    model.stop_training = False
    callbacks.on_train_batch_end(0, {"loss": kcore.ops.convert_to_tensor(1.0)})
    assert not model.stop_training
    callbacks.on_train_batch_end(1, {"loss": kcore.ops.convert_to_tensor(float("inf"))})
    assert model.stop_training
    assert capsys.readouterr().out == "Batch 1: Invalid loss, terminating training\n"


def test_raise_error_raises_at_once(model):
    callbacks = cbks.CallbackList([cbks.TerminateOnNaN(raise_error=True)], model=model)
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 3"):
        callbacks.on_train_batch_end(3, {"loss": float("nan")})
