"""BackupAndRestore in a real process killed mid-epoch: the resumed run ends with the same weights
as an uninterrupted one."""

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import kcore

TRAIN = textwrap.dedent(
    """
    import os, signal, sys
    import numpy as np
    import kcore

    backup_dir, output, kill_at = sys.argv[1], sys.argv[2], int(sys.argv[3])
    kcore.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, 5)).astype("float32")
    y = (x @ rng.normal(size=(5, 1))).astype("float32")
    model = kcore.Sequential(
        [kcore.Input((5,)), kcore.layers.Dense(8, activation="tanh"), kcore.layers.Dense(1)]
    )
    model.compile(optimizer=kcore.optimizers.Adam(0.01), loss="mse", metrics=["mae"])


    class Kill(kcore.callbacks.Callback):
        steps = 0

        def on_train_batch_end(self, batch, logs=None):
            Kill.steps += 1
            if Kill.steps == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)


    callbacks = [kcore.callbacks.BackupAndRestore(backup_dir, save_freq=3), Kill()]
    model.fit(x, y, epochs=4, batch_size=16, shuffle=True, callbacks=callbacks, verbose=0)
    np.savez(output, *model.get_weights())
    print("steps run:", Kill.steps)
    """
)


def _train(tmp_path, backup_dir, output, kill_at):
    script = tmp_path / "train.py"
    script.write_text(TRAIN)
    env = {**os.environ, "KCORE_BACKEND": kcore.backend.backend()}
    return subprocess.run(
        [sys.executable, str(script), str(backup_dir), str(output), str(kill_at)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def _weights(path):
    with np.load(path) as data:
        return [data[f"arr_{i}"] for i in range(len(data.files))]


@pytest.mark.needs_training
def test_training_killed_mid_epoch_resumes_to_the_same_weights(tmp_path):
    # 80 samples in batches of 16: 5 steps per epoch, 20 in all. The kill comes at step 13 (epoch
    # 3, its third batch); the last backup was taken after step 12.
    reference = _train(tmp_path, tmp_path / "reference", tmp_path / "reference.npz", kill_at=0)
    assert reference.returncode == 0, reference.stderr
    assert "steps run: 20" in reference.stdout
    killed = _train(tmp_path, tmp_path / "backup", tmp_path / "resumed.npz", kill_at=13)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not (tmp_path / "resumed.npz").exists()
    assert (tmp_path / "backup").is_dir()
    resumed = _train(tmp_path, tmp_path / "backup", tmp_path / "resumed.npz", kill_at=0)
    assert resumed.returncode == 0, resumed.stderr
    assert "steps run: 8" in resumed.stdout  # it resumed after step 12 instead of starting over
    for expected, got in zip(
        _weights(tmp_path / "reference.npz"), _weights(tmp_path / "resumed.npz")
    ):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    assert not (tmp_path / "backup").exists() or not os.listdir(tmp_path / "backup")
