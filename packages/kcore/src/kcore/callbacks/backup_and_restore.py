"""`BackupAndRestore`: backs up the training state so an interrupted `fit` resumes where it was."""

from __future__ import annotations

import json
import os
import shutil

from kcore.callbacks.callback import Callback
from kcore.saving import saving_lib
from kcore.saving.saving_lib import atomic_path

# The root attribute of a backup's weights file that holds the training position, so that the
# weights and the position they belong to are written in one atomic step.
_POSITION_ATTRIBUTE = "kcore_training_position"


def _write_json_atomically(path: str, data: dict) -> None:
    with atomic_path(path) as temporary:
        with open(temporary, "w", encoding="utf-8") as file:
            json.dump(data, file, sort_keys=True)


def _copy_atomically(source: str, target: str) -> None:
    with atomic_path(target) as temporary:
        shutil.copyfile(source, temporary)


def _read_position(weights_path: str, metadata_path: str) -> tuple[int, int]:
    """The ``(epoch, batch)`` a backup resumes at: from its weights file (written with the
    weights, so the two always agree), else from the metadata file (older backups, Keras's)."""
    import h5py

    with h5py.File(weights_path, "r") as file:
        position = file.attrs.get(_POSITION_ATTRIBUTE)
    if position is None and os.path.exists(metadata_path):
        with open(metadata_path, encoding="utf-8") as file:
            position = file.read()
    if position is None:
        return 0, 0
    metadata = json.loads(position)
    return int(metadata["epoch"]), int(metadata.get("batch", 0))


class BackupAndRestore(Callback):
    """Backs up the training state, and restores it when `fit` starts again after a crash.

    The weights (with the optimizer state) go to `backup_dir/latest.weights.h5` and the position
    in training to `backup_dir/training_metadata.json` (`{"epoch": e, "batch": b}`: the next
    epoch to run and the number of its batches already done), as Keras writes them. Every file is
    written atomically, and the position is also stored inside the weights file (an HDF5 root
    attribute Keras ignores), so a process killed between the two writes still resumes from
    weights and a position that belong together (Keras 3 can resume with the newer weights and
    the older position). When `fit` starts with a backup present, the weights are loaded and training
    resumes at that epoch, skipping the batches already done. When training ends normally the
    backup is deleted (unless `delete_checkpoint=False`).

    The model must be the same (and built, and compiled the same way) as the one backed up.

    Args:
        backup_dir: folder for the backup files; use it for nothing else.
        save_freq: `"epoch"` (back up at the end of each epoch) or an integer number of batches.
        double_checkpoint: also keep the previous backup (`_latest.weights.h5`,
            `_training_metadata.json`) and fall back to it when the latest cannot be read.
        delete_checkpoint: delete the backup when training ends normally.

    Example:

    ```python
    backup = kcore.callbacks.BackupAndRestore(backup_dir="/tmp/backup")
    model.fit(x, y, epochs=10, callbacks=[backup])  # interrupted at epoch 4...
    model.fit(x, y, epochs=10, callbacks=[backup])  # ...runs epochs 5 to 10 only
    ```
    """

    def __init__(
        self,
        backup_dir,
        save_freq="epoch",
        double_checkpoint=False,
        delete_checkpoint=True,
    ):
        super().__init__()
        if not backup_dir:
            raise ValueError(
                f"BackupAndRestore needs a folder: received backup_dir={backup_dir!r}. Pass the "
                "path of a folder used only for this backup."
            )
        if save_freq != "epoch" and (
            not isinstance(save_freq, int) or isinstance(save_freq, bool) or save_freq < 1
        ):
            raise ValueError(
                "Invalid value for argument `save_freq`. "
                f"Received: save_freq={save_freq!r}. Expected either 'epoch' or a positive "
                "integer number of batches."
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._training_metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._prev_weights_path = os.path.join(self.backup_dir, "_latest.weights.h5")
        self._prev_training_metadata_path = os.path.join(self.backup_dir, "_training_metadata.json")
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = -1
        self._current_epoch = 0

    @property
    def _groupable_batch_hooks(self):
        return self.save_freq == "epoch"

    def on_train_begin(self, logs=None):
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = -1
        self._current_epoch = 0
        try:
            self._load_model(self._weights_path, self._training_metadata_path)
        except (OSError, ValueError, KeyError):
            if not (self.double_checkpoint and os.path.exists(self._prev_weights_path)):
                raise
            # The latest backup is unreadable (e.g. cut short): use the one before it.
            self._load_model(self._prev_weights_path, self._prev_training_metadata_path)

    def _load_model(self, weights_path, metadata_path):
        model = self.model
        if not getattr(model, "built", False):
            raise ValueError(
                "To use the BackupAndRestore callback, your model must be built before you call "
                f"`fit()`. Model {model.name!r} is unbuilt: build it beforehand by calling it on "
                "a batch of data (or give it an Input)."
            )
        if not os.path.exists(weights_path):
            return
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None and not getattr(optimizer, "built", True):
            # The optimizer's variables must exist to receive the backed-up state.
            optimizer.build(model.trainable_variables)
        model.load_weights(weights_path)
        epoch, steps = _read_position(weights_path, metadata_path)
        model._initial_epoch = epoch
        model._initial_step = steps
        self._current_epoch = epoch
        self._last_batch_seen = steps - 1

    def on_epoch_begin(self, epoch, logs=None):
        if epoch != self._current_epoch:
            self._last_batch_seen = -1
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model(epoch=self._current_epoch, steps_done=batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = -1
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch + 1, steps_done=0)

    def _should_save_on_batch(self, batch):
        if self.save_freq == "epoch":
            return False
        # With steps_per_execution=N the hook runs every N batches: count them all.
        if batch <= self._last_batch_seen:
            self._last_batch_seen = -1
        self._batches_seen_since_last_saving += batch - self._last_batch_seen
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _save_model(self, epoch, steps_done):
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint:
            if os.path.exists(self._weights_path):
                _copy_atomically(self._weights_path, self._prev_weights_path)
            if os.path.exists(self._training_metadata_path):
                _copy_atomically(self._training_metadata_path, self._prev_training_metadata_path)
        position = {"epoch": epoch, "batch": steps_done}
        with atomic_path(self._weights_path) as temporary:
            saving_lib.save_weights_only(self.model, temporary)
            import h5py

            with h5py.File(temporary, "a") as file:
                file.attrs[_POSITION_ATTRIBUTE] = json.dumps(position, sort_keys=True)
        _write_json_atomically(self._training_metadata_path, position)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)
