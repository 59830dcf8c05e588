"""`Trainer`: the training API of `kcore.Model` (`compile`, `fit`, `evaluate`, `predict`, the
``*_on_batch`` methods), with Keras 3's arguments, defaults, logs and callbacks.

kcore owns the epoch loop, the callbacks and the data (numpy batches); the steps run through a
`StepRunner`, compiled by the backend (`jit` with donated state, `steps_per_execution` steps per
call) when it can compile, eagerly otherwise.
"""

from __future__ import annotations

import numpy as np
import optree

from kcore import ops
from kcore.backend import bound, capabilities
from kcore.config import floatx
from kcore.layers import _state
from kcore.trainers.data_adapters import data_adapter_utils
from kcore.trainers.epoch_iterator import EpochIterator
from kcore.trainers.step_functions import StepRunner, model_runner, step_mode
from kcore.trainers.steps import StepsMixin

# Auto-grouping: when compiled steps are cheap next to the cost of launching one (small
# batches), and no callback needs to run after every step, `fit`/`evaluate`/`predict` with
# steps_per_execution=1 run several steps per compiled call (an on-device loop), as many as keep
# a group's input under this size, at most _AUTO_GROUP_MAX. The results are those of one step per
# call; only the batch hooks of kcore's own callbacks (progress bar) run less often.
_AUTO_GROUP_BYTES = 256 * 1024
_AUTO_GROUP_MAX = 32


class Trainer(StepsMixin):
    """Mixed into `kcore.Model`: compile it, then `fit`, `evaluate` and `predict`.

    Example:

    >>> import numpy as np, kcore
    >>> model = kcore.Sequential([kcore.Input((4,)), kcore.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> model.evaluate(np.ones((8, 4)), np.zeros((8, 1)), verbose=0) >= 0
    True
    """

    compiled = False
    optimizer = None
    loss = None
    stop_training = False
    stop_evaluating = False
    stop_predicting = False
    history = None
    _compile_loss = None
    _compile_metrics = None
    _loss_tracker = None
    _run_eagerly = False
    _jit_compile = None
    _steps_per_execution = 1
    _initial_epoch = None
    _initial_step = None
    _compile_arguments = None

    # --- compile -----------------------------------------------------------------------------

    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly=False,
        steps_per_execution=1,
        jit_compile="auto",
        auto_scale_loss=True,
    ):
        """Configures the model for training.

        Args:
            optimizer: an optimizer name (``"adam"``) or instance.
            loss: a loss name, function or `kcore.losses.Loss`, or a list or dict of them (one per
                output).
            loss_weights: a list or dict of floats weighting each output's loss.
            metrics: metrics for every output (a list), per output (a list of lists, or a dict).
                ``"accuracy"`` picks binary, categorical or sparse accuracy from the data's shapes.
            weighted_metrics: metrics that receive `sample_weight` / `class_weight`.
            run_eagerly: run the steps eagerly (debuggable, slow).
            steps_per_execution: how many batches one compiled call processes (an on-device
                loop); callbacks' batch hooks then run once per call.
            jit_compile: ``"auto"`` (compile where the backend can), True or False.
            auto_scale_loss: wrap the optimizer in a `LossScaleOptimizer` under the
                ``mixed_float16`` dtype policy.
        """
        from kcore import metrics as metrics_module
        from kcore import optimizers
        from kcore.trainers.compile_utils import CompileLoss, CompileMetrics

        if isinstance(steps_per_execution, bool) or not isinstance(steps_per_execution, int):
            raise ValueError(
                f"compile(): steps_per_execution must be a positive int, got "
                f"{steps_per_execution!r}."
            )
        if steps_per_execution < 1:
            raise ValueError(
                f"compile(): steps_per_execution must be at least 1, got {steps_per_execution}."
            )
        if jit_compile not in ("auto", True, False):
            raise ValueError(
                f"compile(): jit_compile must be 'auto', True or False, got {jit_compile!r}."
            )
        if run_eagerly and jit_compile is True:
            raise ValueError(
                "compile(): run_eagerly=True and jit_compile=True contradict each other. Set "
                "jit_compile=False (or 'auto') to run eagerly."
            )
        optimizer = optimizers.get(optimizer) if optimizer is not None else None
        if (
            auto_scale_loss
            and optimizer is not None
            and getattr(self.dtype_policy, "name", None) == "mixed_float16"
            and not isinstance(optimizer, optimizers.LossScaleOptimizer)
        ):
            optimizer = optimizers.LossScaleOptimizer(optimizer, name="loss_scale_optimizer")
        output_names = getattr(self, "output_names", None)
        self.optimizer = optimizer
        self.loss = loss
        self._compile_loss = (
            CompileLoss(loss, loss_weights, output_names) if loss is not None else None
        )
        self._compile_metrics = (
            CompileMetrics(metrics, weighted_metrics, output_names)
            if metrics is not None or weighted_metrics is not None
            else None
        )
        self._loss_tracker = metrics_module.Mean(name="loss")
        self._run_eagerly = bool(run_eagerly)
        self._jit_compile = jit_compile
        self._steps_per_execution = steps_per_execution
        self._compile_arguments = {
            "optimizer": optimizer,
            "loss": loss,
            "loss_weights": loss_weights,
            "metrics": metrics,
            "weighted_metrics": weighted_metrics,
            "run_eagerly": bool(run_eagerly),
            "steps_per_execution": steps_per_execution,
            "jit_compile": jit_compile,
        }
        self._runners = {}
        self.compiled = True

    @property
    def run_eagerly(self) -> bool:
        return self._run_eagerly

    @run_eagerly.setter
    def run_eagerly(self, value):
        self._run_eagerly = bool(value)
        self._runners = {}

    @property
    def jit_compile(self) -> bool:
        """Whether the steps are compiled whole (XLA, `torch.compile`): `compile(jit_compile=...)`
        where the backend can, ``"auto"`` resolved by the backend as in Keras 3 (yes on JAX; no
        on torch, and on TensorFlow without an accelerator, which still runs `tf.function`)."""
        backend_capabilities = capabilities()
        if self._run_eagerly or not backend_capabilities.supports_jit:
            return False
        if self._jit_compile in ("auto", None):
            return backend_capabilities.auto_jit_compile
        return bool(self._jit_compile)

    @jit_compile.setter
    def jit_compile(self, value):
        self._jit_compile = value
        self._runners = {}

    @property
    def steps_per_execution(self) -> int:
        return self._steps_per_execution

    @steps_per_execution.setter
    def steps_per_execution(self, value):
        self._steps_per_execution = int(value)
        self._runners = {}

    def get_compile_config(self):
        """The `compile()` arguments, serialized (saved in `.keras` files)."""
        from kcore.saving import serialize_keras_object

        if not self.compiled or self._compile_arguments is None:
            return None
        return {k: serialize_keras_object(v) for k, v in self._compile_arguments.items()}

    def compile_from_config(self, config):
        """Compiles the model from `get_compile_config()`'s output."""
        from kcore.saving import deserialize_keras_object

        config = {k: deserialize_keras_object(v) for k, v in config.items()}
        self.compile(**config)
        if self.optimizer is not None and self.built:
            self.optimizer.build(self.trainable_variables)

    # --- metrics -----------------------------------------------------------------------------

    @property
    def metrics(self) -> list:
        """The loss tracker, the compiled metrics, and the metrics held by the model's attributes
        and layers."""
        return _state.cached(self, "metrics", self._collect_metrics)

    def _collect_metrics(self) -> list:
        from kcore.metrics import Metric

        result = []
        if self.compiled:
            result.append(self._loss_tracker)
            if self._compile_metrics is not None:
                result.append(self._compile_metrics)
            if self._compile_loss is not None:
                result.extend(self._compile_loss.metrics)
        seen = {id(m) for m in result}
        for layer in self._flatten_layers():
            if layer is not self and isinstance(layer, Trainer):
                continue
            for value in vars(layer).values():
                items = value if isinstance(value, (list, tuple)) else [value]
                for item in items:
                    if isinstance(item, Metric) and id(item) not in seen:
                        seen.add(id(item))
                        result.append(item)
        return result

    @property
    def metrics_names(self) -> list:
        return [m.name for m in self.metrics]

    @property
    def metrics_variables(self) -> list:
        return [v for metric in self.metrics for v in metric.variables]

    def reset_metrics(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    # --- fit / evaluate / predict ------------------------------------------------------------

    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
    ):
        """Trains the model for `epochs` epochs and returns the `History`.

        Takes numpy arrays (and nested dicts/lists of them), pandas frames, Python generators,
        `kcore.utils.PyDataset` and, when installed, `tf.data.Dataset`, torch `DataLoader` and
        grain datasets. Arguments, defaults and logs are Keras 3's.
        """
        from kcore.callbacks import CallbackList, History

        self._assert_compiled("fit")
        _assert_can_train()
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapter_utils.train_validation_split(
                (x, y, sample_weight), validation_split=validation_split
            )
        if validation_data is not None:
            val_x, val_y, val_sample_weight = data_adapter_utils.unpack_x_y_sample_weight(
                validation_data
            )
        iterator = EpochIterator(
            x=x,
            y=y,
            sample_weight=sample_weight,
            batch_size=batch_size,
            steps_per_epoch=steps_per_epoch,
            shuffle=shuffle,
            class_weight=class_weight,
            steps_per_execution=self.steps_per_execution,
        )
        verbose = _verbose(verbose)
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(
                callbacks,
                add_history=True,
                add_progbar=verbose != 0,
                verbose=verbose,
                epochs=epochs,
                steps=iterator.num_batches,
                model=self,
            )
        self.stop_training = False
        self._eval_iterator = None
        runner = None
        auto_group = self._can_auto_group(callbacks, "train")
        callbacks.on_train_begin()
        start = initial_epoch if self._initial_epoch is None else self._initial_epoch
        skip = self._initial_step or 0
        self._initial_epoch = self._initial_step = None
        training_logs = None
        for epoch in range(start, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            logs = None
            for begin, end, batches in iterator.enumerate_epoch(epoch=epoch):
                if end < skip:
                    continue  # resuming from a mid-epoch backup: these steps already ran
                if runner is None:
                    runner = self._runner("train", batches[0])
                callbacks.on_train_batch_begin(begin)
                logs = runner(batches)
                callbacks.on_train_batch_end(end, logs)
                if auto_group:
                    auto_group = _auto_group(iterator, batches[0])
                if self.stop_training:
                    break
            skip = 0
            if logs is None:
                raise ValueError(
                    "fit() got no data for an epoch: the input gave no batch. Check that `x` is "
                    "not empty, and that a generator or dataset is not exhausted (pass "
                    "`steps_per_epoch` or make it repeat)."
                )
            epoch_logs = pythonify_logs(logs)
            if validation_data is not None and _should_validate(epoch, validation_freq):
                val_logs = self.evaluate(
                    x=val_x,
                    y=val_y,
                    sample_weight=val_sample_weight,
                    batch_size=validation_batch_size or batch_size,
                    steps=validation_steps,
                    callbacks=callbacks,
                    return_dict=True,
                    _use_cached_eval_dataset=True,
                )
                epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        if self.optimizer is not None and runner is not None:
            self.optimizer.finalize_variable_values(self.trainable_weights)
        self._eval_iterator = None
        callbacks.on_train_end(logs=training_logs)
        history = next((c for c in callbacks.callbacks if isinstance(c, History)), None)
        return history if history is not None else self.history

    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        return_dict=False,
        **kwargs,
    ):
        """The loss and metrics of the model on the data: a scalar (loss only), a list in
        `metrics_names` order, or a dict with `return_dict=True`."""
        from kcore.callbacks import CallbackList

        use_cached = kwargs.pop("_use_cached_eval_dataset", False)
        if kwargs:
            raise ValueError(f"evaluate(): arguments not recognized: {sorted(kwargs)}.")
        self._assert_compiled("evaluate")
        iterator = getattr(self, "_eval_iterator", None) if use_cached else None
        if iterator is None:
            iterator = EpochIterator(
                x=x,
                y=y,
                sample_weight=sample_weight,
                batch_size=batch_size,
                steps_per_epoch=steps,
                shuffle=False,
                steps_per_execution=self.steps_per_execution,
            )
            if use_cached:
                self._eval_iterator = iterator
        verbose = _verbose(verbose)
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(
                callbacks,
                add_progbar=verbose != 0,
                verbose=verbose,
                epochs=1,
                steps=iterator.num_batches,
                model=self,
            )
        self.stop_evaluating = False
        auto_group = self._can_auto_group(callbacks, "test")
        callbacks.on_test_begin()
        self.reset_metrics()
        logs = None
        runner = None
        for begin, end, batches in iterator.enumerate_epoch():
            if runner is None:
                runner = self._runner("test", batches[0])
            callbacks.on_test_batch_begin(begin)
            logs = runner(batches)
            callbacks.on_test_batch_end(end, logs)
            if auto_group:
                auto_group = _auto_group(iterator, batches[0])
            if self.stop_evaluating:
                break
        if logs is None:
            raise ValueError("evaluate() got no data: the input gave no batch.")
        logs = pythonify_logs(logs)
        callbacks.on_test_end(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs on `x`, as numpy arrays (the outputs' structure), batch by batch."""
        from kcore.callbacks import CallbackList

        if callbacks is None and steps is None and _verbose(verbose) == 0:
            batch = _one_batch(x, batch_size)
            if batch is not None:
                # Arrays that fit in one batch, nothing to report: one step, no epoch machinery
                # (a one-sample predict in a loop costs the compiled call and little more).
                self.stop_predicting = False
                outputs = self._runner("predict", batch)([batch])
                if bound.is_tensor(outputs):
                    return _to_numpy(outputs)
                return optree.tree_map(_to_numpy, outputs)
        iterator = EpochIterator(
            x=x,
            batch_size=batch_size,
            steps_per_epoch=steps,
            shuffle=False,
            steps_per_execution=self.steps_per_execution,
        )
        verbose = _verbose(verbose)
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(
                callbacks,
                add_progbar=verbose != 0,
                verbose=verbose,
                epochs=1,
                steps=iterator.num_batches,
                model=self,
            )
        self.stop_predicting = False
        auto_group = self._can_auto_group(callbacks, "predict")
        callbacks.on_predict_begin()
        outputs = []
        runner = None
        for begin, end, batches in iterator.enumerate_epoch():
            if runner is None:
                runner = self._runner("predict", batches[0])
            callbacks.on_predict_batch_begin(begin)
            batch_outputs = runner(batches)
            outputs.append(optree.tree_map(_to_numpy, batch_outputs))
            callbacks.on_predict_batch_end(end, {"outputs": batch_outputs})
            if auto_group:
                auto_group = _auto_group(iterator, batches[0])
            if self.stop_predicting:
                break
        callbacks.on_predict_end()
        if not outputs:
            raise ValueError("predict() got no data: the input gave no batch.")
        return optree.tree_map(lambda *parts: np.concatenate(parts, axis=0), *outputs)

    # --- single batches ----------------------------------------------------------------------

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One training step on one batch; returns the logs (a scalar, a list or a dict)."""
        self._assert_compiled("train_on_batch")
        _assert_can_train()
        if class_weight is not None:
            sample_weight = data_adapter_utils.class_weight_to_sample_weights(
                _numpy_batch(y), class_weight
            )
        batch = _numpy_batch(data_adapter_utils.pack_x_y_sample_weight(x, y, sample_weight))
        logs = pythonify_logs(self._runner("train", batch, check_targets=False)([batch]))
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """One evaluation step on one batch; returns the logs."""
        self._assert_compiled("test_on_batch")
        batch = _numpy_batch(data_adapter_utils.pack_x_y_sample_weight(x, y, sample_weight))
        logs = pythonify_logs(self._runner("test", batch, check_targets=False)([batch]))
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def predict_on_batch(self, x):
        """The model's outputs on one batch, as numpy arrays."""
        batch = _numpy_batch((x,))
        return optree.tree_map(_to_numpy, self._runner("predict", batch)([batch]))

    # --- internals ---------------------------------------------------------------------------

    def _can_auto_group(self, callbacks, kind: str) -> bool:
        return (
            self.steps_per_execution == 1
            and _groups_on_device(self)
            and callbacks.batch_hooks_groupable(kind)
        )

    def _assert_compiled(self, method: str) -> None:
        if not self.compiled:
            raise ValueError(
                f"You must call `compile()` before using the model: {method}() needs a loss and "
                "an optimizer. Call model.compile(optimizer=..., loss=...) first."
            )

    def _flatten_metrics_in_order(self, logs: dict):
        names = [m.name for m in self.metrics]
        results = [logs[name] for name in names if name in logs]
        results += [logs[key] for key in sorted(logs) if key not in names]
        return results[0] if len(results) == 1 else results

    def _runner(self, kind: str, batch, check_targets=True) -> StepRunner:
        return model_runner(self, kind, batch, check_targets=check_targets)


def _groups_on_device(model) -> bool:
    """Whether the model's steps run as compiled calls that can loop over several batches."""
    mode = step_mode(not model.run_eagerly, model.jit_compile)
    return capabilities().device_loops and mode != "eager"


def _auto_group(iterator, batch) -> bool:
    """Sets how many steps the next groups of `iterator` hold, from the size of one batch; returns
    False (the decision is taken once)."""
    size = sum(np.asarray(leaf).nbytes for leaf in optree.tree_leaves(batch))
    group = 1
    while group < _AUTO_GROUP_MAX and size * group * 2 <= _AUTO_GROUP_BYTES:
        group *= 2
    iterator.steps_per_execution = group
    return False


def _assert_can_train() -> None:
    if not capabilities().supports_training:
        from kcore.backend import backend

        raise RuntimeError(
            f"Training needs a backend with automatic differentiation; the active backend "
            f"{backend()!r} is inference only (evaluate() and predict() work). Install one and "
            'select it: pip install "kcore[jax]", then set KCORE_BACKEND=jax.'
        )


def _verbose(verbose) -> int:
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 'auto', 0, 1 or 2, got {verbose!r}.")
    return int(verbose)


def _should_validate(epoch: int, validation_freq) -> bool:
    if isinstance(validation_freq, int):
        if validation_freq < 1:
            raise ValueError(f"validation_freq must be a positive int, got {validation_freq}.")
        return (epoch + 1) % validation_freq == 0
    if isinstance(validation_freq, (list, tuple, set)):
        return epoch + 1 in validation_freq
    raise ValueError(
        f"validation_freq must be an int or a list of epochs, got {validation_freq!r}."
    )


def _to_numpy(value):
    return np.asarray(bound.convert_to_numpy(value))


def pythonify_logs(logs) -> dict:
    """Logs with 0-d tensors turned into Python floats (what callbacks and History keep)."""
    result = {}
    for name, value in (logs or {}).items():
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
            continue
        array = _to_numpy(value)
        result[name] = float(array) if array.ndim == 0 else array
    return result


def _one_batch(x, batch_size):
    """`(x,)` as the single batch of `predict`, when `x` is numpy arrays (one, or a flat list,
    tuple or dict of them) with the same number of samples, at most `batch_size` (default 32);
    otherwise None."""
    if isinstance(x, np.ndarray):
        if not x.ndim or not 0 < x.shape[0] <= (batch_size or 32):
            return None
        return (x.astype(floatx()) if x.dtype == np.float64 else x,)
    if isinstance(x, (list, tuple)):
        leaves = list(x)
    elif isinstance(x, dict):
        leaves = list(x.values())
    else:
        return None
    if not leaves or not all(isinstance(a, np.ndarray) and a.ndim for a in leaves):
        return None
    samples = leaves[0].shape[0]
    if not 0 < samples <= (batch_size or 32) or any(a.shape[0] != samples for a in leaves):
        return None
    return _numpy_batch((x,))


def _numpy_batch(batch):
    def convert(value):
        array = (
            np.asarray(ops.convert_to_numpy(value)) if not isinstance(value, np.ndarray) else value
        )
        if array.dtype == np.float64:
            array = array.astype(floatx())
        return array

    return optree.tree_map(convert, batch)
