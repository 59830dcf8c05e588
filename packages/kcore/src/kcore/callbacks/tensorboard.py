"""`TensorBoard`: writes TensorBoard event files (metrics, weight histograms, the model), without
TensorFlow, through the `tensorboardX` package."""

from __future__ import annotations

import json
import os
import time
import warnings

import numpy as np

from kcore.callbacks.callback import Callback, as_float, python_logs


def _import_tensorboardx():
    try:
        import tensorboardX
    except ImportError:
        raise ImportError(
            "The TensorBoard callback writes its event files with the `tensorboardX` package, "
            "which is not installed. Install it with `pip install tensorboardX`."
        ) from None
    return tensorboardX


def _check_profile_batch(profile_batch):
    message = (
        "profile_batch must be a non-negative integer or 2-tuple of positive integers. A pair "
        f"of positive integers signifies a range of batches to profile. Found: {profile_batch!r}"
    )
    if isinstance(profile_batch, str):
        try:
            profile_batch = [int(part) for part in profile_batch.split(",")]
        except ValueError:
            raise ValueError(message) from None
    if isinstance(profile_batch, int) and not isinstance(profile_batch, bool):
        start = stop = profile_batch
    elif isinstance(profile_batch, (tuple, list)) and len(profile_batch) == 2:
        start, stop = profile_batch
    else:
        raise ValueError(message)
    if start < 0 or stop < start:
        raise ValueError(message)
    return start, stop


def _keras_model_summary(model):
    """The model's config as Keras's `graph_keras_model` summary (TensorBoard's conceptual graph)."""
    from tensorboardX.proto.summary_pb2 import Summary, SummaryMetadata
    from tensorboardX.proto.tensor_pb2 import TensorProto
    from tensorboardX.proto.tensor_shape_pb2 import TensorShapeProto

    from kcore.saving import serialization

    try:
        text = json.dumps(serialization.serialize_keras_object(model), sort_keys=True)
    except Exception as error:
        warnings.warn(f"Model failed to serialize as JSON. Ignoring... {error}", stacklevel=3)
        return None
    metadata = SummaryMetadata(
        plugin_data=SummaryMetadata.PluginData(plugin_name="graph_keras_model", content=b"1")
    )
    tensor = TensorProto(
        dtype="DT_STRING", string_val=[text.encode("utf-8")], tensor_shape=TensorShapeProto()
    )
    return Summary(value=[Summary.Value(tag="keras", metadata=metadata, tensor=tensor)])


def _weight_image(value):
    """A weight as an NHWC image batch with values in [0, 1], or `None` when it has no picture."""
    image = np.squeeze(np.asarray(value, dtype=np.float32))
    if image.ndim == 1:  # a bias
        image = image.reshape(1, image.shape[0], 1, 1)
    elif image.ndim == 2:  # a dense kernel, laid out wide
        if image.shape[0] > image.shape[1]:
            image = image.T
        image = image.reshape(1, image.shape[0], image.shape[1], 1)
    elif image.ndim == 3:  # a 1-D conv kernel: one image per output channel
        image = np.transpose(image, (2, 0, 1))[..., None]
    if image.ndim != 4 or image.shape[-1] not in (1, 3, 4):
        return None
    low, high = float(image.min()), float(image.max())
    return (image - low) / (high - low) if high > low else np.zeros_like(image)


class TensorBoard(Callback):
    """Writes logs for TensorBoard: metrics, learning rate, weight histograms and the model.

    Event files go to `log_dir/train` and `log_dir/validation`, with Keras 3's tags:
    `epoch_<name>` (training values in `train`, validation values, `val_` removed, in
    `validation`), `epoch_learning_rate`, `epoch_steps_per_second`, `batch_<name>` (with
    `update_freq`), `evaluation_<name>_vs_iterations` (the results of `evaluate` and of each
    validation, at the optimizer's iteration count) and `<weight path>/histogram`. The model's
    config is written as Keras's `keras` summary, which TensorBoard's graph tab shows as a
    conceptual graph (kcore has no op graph to write).

    Written without TensorFlow, through the `tensorboardX` package (`pip install tensorboardX`).
    View the logs with `tensorboard --logdir=path_to_your_logs`.

    Args:
        log_dir: the folder to write the logs to; use it for nothing else.
        histogram_freq: frequency (in epochs) of weight histograms; 0 writes none.
        write_graph: whether to write the model (its config) for TensorBoard's graph tab.
        write_images: whether to also write the weights as images.
        write_steps_per_second: whether to log the training steps per second.
        update_freq: `"epoch"`, `"batch"` (every batch) or an integer: every how many batches
            the `batch_` scalars are written.
        profile_batch: not supported by kcore (a warning says so when set).
        embeddings_freq: not supported by kcore (a warning says so when set).
        embeddings_metadata: not supported by kcore.

    Example:

    ```python
    model.fit(x, y, epochs=2, callbacks=[kcore.callbacks.TensorBoard(log_dir="./logs")])
    ```
    """

    _raw_batch_logs = True

    def __init__(
        self,
        log_dir="logs",
        histogram_freq=0,
        write_graph=True,
        write_images=False,
        write_steps_per_second=False,
        update_freq="epoch",
        profile_batch=0,
        embeddings_freq=0,
        embeddings_metadata=None,
    ):
        super().__init__()
        _import_tensorboardx()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        if self.update_freq != "epoch" and (
            not isinstance(self.update_freq, int) or self.update_freq < 1
        ):
            raise ValueError(
                f"TensorBoard received update_freq={update_freq!r}: expected 'epoch', 'batch' or "
                "a positive integer number of batches."
            )
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._start_batch, self._stop_batch = _check_profile_batch(profile_batch)
        if self._stop_batch:
            warnings.warn(
                f"TensorBoard(profile_batch={profile_batch!r}): kcore does not profile batches "
                "yet; profile_batch is ignored. Use your backend's own profiler meanwhile.",
                stacklevel=2,
            )
        if embeddings_freq or embeddings_metadata:
            warnings.warn(
                "TensorBoard(embeddings_freq=..., embeddings_metadata=...): kcore does not write "
                "embedding projector data yet; these arguments are ignored.",
                stacklevel=2,
            )
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._writers = {}
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._previous_epoch_iterations = 0
        self._epoch_start_time = 0.0
        self._batch_start_time = 0.0

    def set_model(self, model):
        """Sets the model and writes it (its config) for the graph tab when `write_graph`."""
        self._model = model
        self._close_writers()
        if self.write_graph:
            from kcore.models.functional import Functional
            from kcore.models.sequential import Sequential

            if isinstance(model, (Functional, Sequential)):
                summary = _keras_model_summary(model)
                if summary is not None:
                    self._train_writer._get_file_writer().add_summary(summary, global_step=0)
                    self._train_writer.flush()

    def _writer(self, name, folder):
        if name not in self._writers:
            self._writers[name] = _import_tensorboardx().SummaryWriter(logdir=folder)
        return self._writers[name]

    @property
    def _train_writer(self):
        return self._writer("train", self._train_dir)

    @property
    def _val_writer(self):
        return self._writer("val", self._val_dir)

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def _optimizer(self):
        optimizer = getattr(self._model, "optimizer", None)
        return optimizer if hasattr(optimizer, "learning_rate") else None

    def _iterations(self) -> int:
        optimizer = getattr(self._model, "optimizer", None)
        iterations = getattr(optimizer, "iterations", None)
        return int(as_float(iterations)) if iterations is not None else 0

    @property
    def _groupable_batch_hooks(self):
        return self.update_freq == "epoch"

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0

    def on_train_end(self, logs=None):
        self._close_writers()

    def on_test_end(self, logs=None):
        if getattr(getattr(self._model, "optimizer", None), "iterations", None) is None:
            return
        step = self._iterations()
        writer = self._val_writer
        for name, value in python_logs(logs).items():
            if np.ndim(value) == 0 and not isinstance(value, str):
                writer.add_scalar(f"evaluation_{name}_vs_iterations", value, global_step=step)
        writer.flush()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def on_train_batch_end(self, batch, logs=None):
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        writer = self._train_writer
        if self.write_steps_per_second:
            elapsed = max(time.time() - self._batch_start_time, 1e-12)
            writer.add_scalar(
                "batch_steps_per_second", 1.0 / elapsed, global_step=self._global_train_batch
            )
        for name, value in python_logs(logs).items():
            if np.ndim(value) == 0 and not isinstance(value, str):
                writer.add_scalar(f"batch_{name}", value, global_step=self._global_train_batch)

    def on_test_batch_begin(self, batch, logs=None):
        self._global_test_batch += 1

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._previous_epoch_iterations = self._iterations()
            self._epoch_start_time = time.time()

    def on_epoch_end(self, epoch, logs=None):
        self._log_epoch_metrics(epoch, python_logs(logs))
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def _log_epoch_metrics(self, epoch, logs):
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k[len("val_") :]: v for k, v in logs.items() if k.startswith("val_")}
        optimizer = self._optimizer()
        if optimizer is not None:
            train_logs["learning_rate"] = as_float(optimizer.learning_rate)
        if self.write_steps_per_second:
            elapsed = max(time.time() - self._epoch_start_time, 1e-12)
            train_logs["steps_per_second"] = (
                self._iterations() - self._previous_epoch_iterations
            ) / elapsed
        for writer, values in ((self._train_writer, train_logs), (self._val_writer, val_logs)):
            if not values:
                continue
            for name, value in values.items():
                if np.ndim(value) == 0 and not isinstance(value, str):
                    writer.add_scalar(f"epoch_{name}", value, global_step=epoch)
            writer.flush()

    def _log_weights(self, epoch):
        writer = self._train_writer
        for weight in self.model.weights:
            value = np.asarray(weight.numpy())
            name = weight.path.replace(":", "_")
            writer.add_histogram(f"{name}/histogram", value, global_step=epoch)
            if self.write_images:
                image = _weight_image(value)
                if image is not None:
                    writer.add_images(f"{name}/image", image, global_step=epoch, dataformats="NHWC")
        writer.flush()
