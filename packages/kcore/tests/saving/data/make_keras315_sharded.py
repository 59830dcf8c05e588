"""Writes ``keras315_sharded.weights.json`` and its shards ``keras315_sharded_0000N.weights.h5``
with Keras 3.15.1, for ``test_sharded_weights.py``.

Run from the repository root: ``KERAS_BACKEND=jax .venv/bin/python
packages/kcore/tests/saving/data/make_keras315_sharded.py``. It prints the predictions and the
optimizer variables' sums that the test compares against; paste them there if you re-run it.

The model is ``Sequential([Input((3,)), Dense(4, "relu"), Dense(2)])`` compiled with ``"adam"``
and ``"mse"``, fitted for one step; its weights are saved with ``max_shard_size=1e-7`` (about 107
bytes of variables per shard), so the optimizer's variables are split over several shards.
"""

import os

import keras
import numpy as np

assert keras.__version__ == "3.15.1", keras.__version__

HERE = os.path.dirname(os.path.abspath(__file__))

keras.utils.set_random_seed(7)
model = keras.Sequential(
    [keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(2)]
)
model.compile(optimizer="adam", loss="mse")
x = (np.arange(12, dtype="float32").reshape(4, 3) - 5) / 4
y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]], "float32")
model.fit(x, y, batch_size=4, epochs=1, verbose=0)

for name in os.listdir(HERE):
    if name.startswith("keras315_sharded"):
        os.remove(os.path.join(HERE, name))
model.save_weights(os.path.join(HERE, "keras315_sharded.weights.json"), max_shard_size=1e-7)

print("files:", sorted(n for n in os.listdir(HERE) if n.startswith("keras315_sharded")))
print("predictions:", np.asarray(model(x[:2])).tolist())
print(
    "optimizer sums:",
    [float(np.asarray(v).astype("float64").sum()) for v in model.optimizer.variables],
)
