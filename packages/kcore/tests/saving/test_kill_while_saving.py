"""A process killed (SIGKILL) at random moments while it writes checkpoints never leaves a corrupt
file: each target path always holds the previous complete checkpoint or the new one, and loads.

The child process writes, in a loop, checkpoint ``i`` (every weight set to ``i``) through each
writer a user has: `model.save` (`.keras`), `model.save_weights` (`.weights.h5`), the
`ModelCheckpoint` callback (both formats) and `BackupAndRestore`; then it prints ``i``. The parent
kills it after a random delay, reads the last ``i`` printed, and loads every file. Fifty kills
on the numpy backend (file writing does not depend on the backend); five on the others, which
only differ in how tensors become arrays.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time

import h5py
import numpy as np

import kcore

CHILD = textwrap.dedent(
    """
    import os, sys
    import numpy as np
    import kcore

    folder = sys.argv[1]
    model = kcore.Sequential(
        [kcore.Input((64,)), kcore.layers.Dense(256), kcore.layers.Dense(256),
         kcore.layers.Dense(4)],
        name="checkpointed",
    )
    checkpoints = [
        kcore.callbacks.ModelCheckpoint(os.path.join(folder, "callback.keras")),
        kcore.callbacks.ModelCheckpoint(
            os.path.join(folder, "callback.weights.h5"), save_weights_only=True
        ),
        kcore.callbacks.BackupAndRestore(os.path.join(folder, "backup")),
    ]
    for callback in checkpoints:
        callback.set_model(model)
    i = 0
    while True:
        i += 1
        model.set_weights([np.full(w.shape, i, "float32") for w in model.weights])
        model.save(os.path.join(folder, "model.keras"))
        model.save_weights(os.path.join(folder, "model.weights.h5"))
        for callback in checkpoints:
            callback.on_epoch_end(i - 1, logs={"loss": 1.0 / i})
        print(i, flush=True)
    """
)

TARGETS = ["model.keras", "model.weights.h5", "callback.keras", "callback.weights.h5"]


def _model():
    return kcore.Sequential(
        [
            kcore.Input((64,)),
            kcore.layers.Dense(256),
            kcore.layers.Dense(256),
            kcore.layers.Dense(4),
        ]
    )


def _checkpoint_number(path):
    """The ``i`` a checkpoint file holds (every weight equals it), after loading it fully."""
    if path.endswith(".keras"):
        model = kcore.saving.load_model(path)
    else:
        model = _model()
        model.load_weights(path)
    values = {float(v) for w in model.get_weights() for v in np.unique(w)}
    assert len(values) == 1, f"{path} mixes two checkpoints: {sorted(values)[:5]}"
    return int(values.pop())


def _kill_once(script, folder, rng):
    child = subprocess.Popen(
        [sys.executable, str(script), str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "KCORE_BACKEND": kcore.backend.backend()},
    )
    first = child.stdout.readline()  # one complete round: every file exists
    assert first.strip() == "1", child.stderr.read()
    time.sleep(rng.uniform(0.0, 0.3))
    child.send_signal(signal.SIGKILL)
    rest, _ = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    return int(([first] + rest.split())[-1])


def test_a_process_killed_while_saving_leaves_loadable_checkpoints(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    kills = 50 if kcore.backend.backend() == "numpy" else 5
    rng = np.random.default_rng()
    caught_mid_round = 0
    for attempt in range(kills):
        folder = tmp_path / f"run{attempt}"
        folder.mkdir()
        last = _kill_once(script, folder, rng)
        for name in TARGETS:
            found = _checkpoint_number(str(folder / name))
            # `last` was printed after its files were complete; the kill may have come while
            # round `last + 1` was being written.
            assert found in (last, last + 1), f"{name}: checkpoint {found}, last done {last}"
            caught_mid_round += found != last
        backup = folder / "backup" / "latest.weights.h5"
        found = _checkpoint_number(str(backup))
        assert found in (last, last + 1)
        with h5py.File(backup, "r") as file:
            # The training position stored with the weights belongs to those weights.
            assert f'"epoch": {found}' in file.attrs["kcore_training_position"]
        leftovers = [n for n in os.listdir(folder) if n not in TARGETS and n != "backup"]
        assert all(n.startswith(".") and n.endswith(".tmp") for n in leftovers), leftovers
    if kills == 50:
        # The random delays did catch rounds in the middle (else the test proves little).
        assert caught_mid_round > 0
