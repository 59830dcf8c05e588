import json

import numpy as np
import pytest

from kcore import callbacks as cbks


def _metadata(folder):
    return json.loads((folder / "training_metadata.json").read_text())


def _assert_same_weights(a, b):
    for x, y in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(x, y)


def _run_batches(callback, epoch, batches):
    callback.on_epoch_begin(epoch)
    for batch in batches:
        callback.on_train_batch_begin(batch)
        callback.on_train_batch_end(batch, {"loss": 1.0})


def test_epoch_backup_restores_weights_and_next_epoch(tmp_path, model, make_model):
    backup = cbks.BackupAndRestore(str(tmp_path / "backup"))
    backup.set_model(model)
    backup.on_train_begin()
    for epoch in range(2):
        _run_batches(backup, epoch, range(3))
        backup.on_epoch_end(epoch, {"loss": 1.0})
    # The run is killed here: on_train_end never runs, so the backup stays.
    assert _metadata(tmp_path / "backup") == {"epoch": 2, "batch": 0}

    resumed = make_model(seed=1)
    restore = cbks.BackupAndRestore(str(tmp_path / "backup"))
    restore.set_model(resumed)
    restore.on_train_begin()
    _assert_same_weights(resumed, model)
    assert (resumed._initial_epoch, resumed._initial_step) == (2, 0)


def test_batch_backup_resumes_mid_epoch(tmp_path, model, make_model):
    folder = tmp_path / "backup"
    backup = cbks.BackupAndRestore(str(folder), save_freq=3)
    backup.set_model(model)
    backup.on_train_begin()
    _run_batches(backup, 0, range(5))
    assert _metadata(folder) == {"epoch": 0, "batch": 3}

    resumed = make_model(seed=1)
    restore = cbks.BackupAndRestore(str(folder), save_freq=3)
    restore.set_model(resumed)
    restore.on_train_begin()
    assert (resumed._initial_epoch, resumed._initial_step) == (0, 3)
    # The trainer skips the 3 batches done and goes on with batch 3.
    _run_batches(restore, 0, range(3, 6))
    assert _metadata(folder) == {"epoch": 0, "batch": 6}
    restore.on_epoch_end(0, {"loss": 1.0})
    _run_batches(restore, 1, range(3))
    assert _metadata(folder) == {"epoch": 1, "batch": 3}


def test_steps_per_execution_counts_every_batch(tmp_path, model):
    folder = tmp_path / "backup"
    backup = cbks.BackupAndRestore(str(folder), save_freq=4)
    backup.set_model(model)
    backup.on_train_begin()
    _run_batches(backup, 0, [1, 3])  # hooks once per 2 steps, with the last step index
    assert _metadata(folder) == {"epoch": 0, "batch": 4}


def test_optimizer_state_is_backed_up(tmp_path, sgd_model, make_model):
    from kcore.optimizers.sgd import SGD

    sgd_model.optimizer.build(sgd_model.trainable_variables)
    sgd_model.optimizer.iterations.assign(7)
    backup = cbks.BackupAndRestore(str(tmp_path / "backup"))
    backup.set_model(sgd_model)
    backup.on_train_begin()
    backup.on_epoch_end(0, {"loss": 1.0})

    resumed = make_model(seed=1)
    resumed.optimizer = SGD(learning_rate=0.1)
    restore = cbks.BackupAndRestore(str(tmp_path / "backup"))
    restore.set_model(resumed)
    restore.on_train_begin()
    assert int(resumed.optimizer.iterations.numpy()) == 7


def test_backup_is_deleted_when_training_ends(tmp_path, model):
    for delete, exists in ((True, False), (False, True)):
        folder = tmp_path / f"backup_{delete}"
        backup = cbks.BackupAndRestore(str(folder), delete_checkpoint=delete)
        backup.set_model(model)
        backup.on_train_begin()
        backup.on_epoch_end(0, {"loss": 1.0})
        assert (folder / "latest.weights.h5").is_file()
        backup.on_train_end()
        assert folder.exists() == exists


def test_double_checkpoint_falls_back_to_the_previous_backup(tmp_path, model, make_model):
    folder = tmp_path / "backup"
    backup = cbks.BackupAndRestore(str(folder), double_checkpoint=True)
    backup.set_model(model)
    backup.on_train_begin()
    backup.on_epoch_end(0, {"loss": 1.0})
    backup.on_epoch_end(1, {"loss": 1.0})
    assert _metadata(folder) == {"epoch": 2, "batch": 0}
    (folder / "latest.weights.h5").write_bytes(b"cut short")

    resumed = make_model(seed=1)
    restore = cbks.BackupAndRestore(str(folder), double_checkpoint=True)
    restore.set_model(resumed)
    restore.on_train_begin()
    _assert_same_weights(resumed, model)
    assert resumed._initial_epoch == 1


def test_unbuilt_model_and_bad_arguments_are_explained(tmp_path):
    import kcore

    unbuilt = kcore.Sequential([kcore.layers.Dense(1)])
    backup = cbks.BackupAndRestore(str(tmp_path))
    backup.set_model(unbuilt)
    with pytest.raises(ValueError, match="must be built"):
        backup.on_train_begin()
    with pytest.raises(ValueError, match="backup_dir"):
        cbks.BackupAndRestore("")
    with pytest.raises(ValueError, match="save_freq"):
        cbks.BackupAndRestore(str(tmp_path), save_freq="batch")
