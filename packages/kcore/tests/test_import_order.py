"""torch and TensorFlow in one process, imported in either order, beside kcore: no crash, and
each framework and kcore's active backend compute (Keras 3 requires torch to come first)."""

import importlib.util
import os
import subprocess
import sys

import pytest

FRAMEWORKS = ("torch", "tensorflow")

pytestmark = pytest.mark.skipif(
    not all(importlib.util.find_spec(name) for name in FRAMEWORKS),
    reason="needs both torch and tensorflow installed",
)

CODE = """
import {first}, {second}
import numpy as np
import tensorflow as tf, torch
import kcore

model = kcore.Sequential([kcore.Input((4,)), kcore.layers.Dense(2)])
out = model.predict(np.ones((3, 4), "float32"), verbose=0)
assert out.shape == (3, 2)
assert float(torch.ones(3).sum()) == 3.0
assert float(tf.reduce_sum(tf.ones(3))) == 3.0
loader = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(torch.ones(8, 4), torch.zeros(8, 2)), batch_size=4
)
if kcore.backend.capabilities().supports_training:
    model.compile(optimizer="sgd", loss="mse")
    model.fit(loader, epochs=1, verbose=0)
    model.fit(tf.data.Dataset.from_tensor_slices((np.ones((8, 4)), np.zeros((8, 2)))).batch(4),
              epochs=1, verbose=0)
print("ok", kcore.backend.backend())
"""


@pytest.mark.parametrize("first, second", [FRAMEWORKS, FRAMEWORKS[::-1]])
def test_torch_and_tensorflow_in_either_order(first, second):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-c", CODE.format(first=first, second=second)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().startswith("ok")
