"""What `compile(loss=..., metrics=...)` turns into: `CompileLoss` and `CompileMetrics`.

Both accept what Keras 3's `compile` accepts: one identifier for every output, a list (one entry per
output, in order) or a dict keyed by output name, and resolve the ``"accuracy"`` / ``"crossentropy"``
shortcuts from the shapes of the first batch, as Keras does.
"""

from __future__ import annotations

import numpy as np

from kcore import losses as losses_module
from kcore import metrics as metrics_module
from kcore import ops

_ACCURACY = ("accuracy", "acc")
_CROSSENTROPY = ("crossentropy", "ce")


def flatten_outputs(y_pred, output_names=None):
    """`(names, values)` of a model's outputs: a dict's keys in sorted order (how the model flattens
    them), otherwise `output_names` (or ``output_1``, ``output_2``...) for a list or one tensor."""
    if isinstance(y_pred, dict):
        names = sorted(y_pred)
        return names, [y_pred[name] for name in names]
    values = list(y_pred) if isinstance(y_pred, (list, tuple)) else [y_pred]
    names = list(output_names or ())
    if len(names) != len(values):
        names = ["output"] if len(values) == 1 else [f"output_{i + 1}" for i in range(len(values))]
    return names, values


def match_targets(y_true, names, argument="y"):
    """`y_true` as one entry per output (`names`): a dict by name, a list in order, or one array for
    a single output."""
    if isinstance(y_true, dict):
        unknown = sorted(set(y_true) - set(names))
        if unknown:
            raise ValueError(
                f"`{argument}` is a dict with keys {unknown} that are not outputs of the model. "
                f"The model's outputs are {names}."
            )
        return [y_true.get(name) for name in names]
    if len(names) == 1:
        if isinstance(y_true, (list, tuple)) and len(y_true) == 1:
            return [y_true[0]]
        return [y_true]
    if isinstance(y_true, (list, tuple)) and len(y_true) == len(names):
        return list(y_true)
    if y_true is None or not isinstance(y_true, (list, tuple)):
        # One array (or None) for every output: sample weights are broadcast this way.
        if argument == "sample_weight":
            return [y_true] * len(names)
    count = len(y_true) if isinstance(y_true, (list, tuple)) else 1
    raise ValueError(
        f"The model has {len(names)} outputs ({names}), but `{argument}` holds {count} "
        f"entr{'y' if count == 1 else 'ies'}. Pass a list with one entry per output, or a dict "
        "keyed by output name."
    )


def _per_output(argument, value, names, what):
    """Spreads a compile argument over the outputs: one entry per output name (None: nothing)."""
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(names))
        if unknown:
            raise ValueError(
                f"compile(): `{what}` has keys {unknown} that are not outputs of the model. The "
                f"model's outputs are {names}."
            )
        return [value.get(name) for name in names]
    if isinstance(value, (list, tuple)) and argument == "list-per-output":
        if len(value) != len(names):
            raise ValueError(
                f"compile(): `{what}` is a list of {len(value)} entries, but the model has "
                f"{len(names)} outputs ({names}). Give one entry per output, or a dict keyed by "
                "output name."
            )
        return list(value)
    return [value] * len(names)


class CompileLoss:
    """The loss `compile` configures: one loss per output, weighted and summed.

    Args:
        loss: a loss identifier (name, function, `kcore.losses.Loss`, config), or a list or dict of
            them, one per output.
        loss_weights: a float, or a list or dict of floats, one per output.
        output_names: the model's output names (keys of the dict forms).
    """

    def __init__(self, loss, loss_weights=None, output_names=None):
        self._loss = loss
        self._loss_weights = loss_weights
        self.output_names = output_names
        self.built = False
        self.trackers = []
        # Resolve every identifier now: an unknown loss name fails in compile(), not in fit().
        for identifier in _leaves(loss):
            _resolve_loss(identifier)

    def build(self, y_true, y_pred):
        names, _ = flatten_outputs(y_pred, self.output_names)
        self._names = names
        if isinstance(self._loss, (list, tuple)) and len(names) == 1 and len(self._loss) == 1:
            identifiers = list(self._loss)
        else:
            identifiers = _per_output("list-per-output", self._loss, names, "loss")
        self._losses = [_resolve_loss(identifier) for identifier in identifiers]
        weights = self._loss_weights
        if weights is None:
            weights = [1.0] * len(names)
        elif isinstance(weights, (list, tuple)) and len(names) == 1 and len(weights) == 1:
            weights = list(weights)
        else:
            weights = _per_output("list-per-output", weights, names, "loss_weights")
        self._weights = [1.0 if w is None else float(w) for w in weights]
        if not any(loss is not None for loss in self._losses):
            raise ValueError(
                f"compile(): `loss` gives no loss for any of the model's outputs {names}. Name at "
                "least one output's loss."
            )
        if len(names) > 1:
            self.trackers = [
                metrics_module.Mean(name=f"{name}_loss") if loss is not None else None
                for name, loss in zip(names, self._losses)
            ]
        self.built = True

    @property
    def metrics(self) -> list:
        """The per-output loss trackers (models with several outputs)."""
        return [t for t in self.trackers if t is not None]

    def __call__(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        names, preds = flatten_outputs(y_pred, self.output_names)
        targets = match_targets(y_true, names)
        weights = match_targets(sample_weight, names, argument="sample_weight")
        total = None
        for i, (loss, y_t, y_p, sw) in enumerate(zip(self._losses, targets, preds, weights)):
            if loss is None:
                continue
            if y_t is None:
                raise ValueError(
                    f"The model's output {names[i]!r} has a loss, but no target was given for it "
                    "in `y`."
                )
            value = ops.cast(loss(y_t, y_p, sample_weight=sw), "float32")
            if self.trackers and self.trackers[i] is not None:
                self.trackers[i].update_state(value)
            value = value * self._weights[i] if self._weights[i] != 1.0 else value
            total = value if total is None else total + value
        return total

    def check_targets(self, y_true, y_pred) -> None:
        """Checks a batch of numpy targets before training: sparse class labels must lie in
        ``[0, num_classes)`` (besides ``ignore_class``)."""
        if not self.built:
            return
        names, preds = flatten_outputs(y_pred, self.output_names)
        targets = match_targets(y_true, names)
        for name, loss, y_t, y_p in zip(names, self._losses, targets, preds):
            ignore_class = _sparse_ignore_class(loss)
            if ignore_class is False or y_t is None:
                continue
            labels = np.asarray(y_t)
            if not np.issubdtype(labels.dtype, np.number) or labels.size == 0:
                continue
            num_classes = y_p.shape[-1]
            valid = labels if ignore_class is None else labels[labels != ignore_class]
            if valid.size and (valid.min() < 0 or valid.max() >= num_classes):
                raise ValueError(
                    f"Labels out of range for the sparse categorical loss of output {name!r}: "
                    f"the model gives {num_classes} class scores, so labels must lie in "
                    f"[0, {num_classes - 1}], but `y` holds labels from {valid.min()} to "
                    f"{valid.max()}. Fix the labels, or give the last layer as many units as "
                    "there are classes."
                )


def _leaves(value):
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _resolve_loss(identifier):
    if identifier is None:
        return None
    loss = losses_module.get(identifier)
    if isinstance(loss, losses_module.Loss):
        return loss
    return losses_module.LossFunctionWrapper(loss, name=getattr(loss, "__name__", None))


def _sparse_ignore_class(loss):
    """The ignore_class of a sparse categorical crossentropy loss (None: none), or False when the
    loss is not one."""
    if loss is None:
        return False
    if isinstance(loss, losses_module.SparseCategoricalCrossentropy):
        return loss.get_config().get("ignore_class")
    fn = getattr(loss, "fn", None)
    if fn is losses_module.sparse_categorical_crossentropy:
        return getattr(loss, "_fn_kwargs", {}).get("ignore_class")
    return False


class CompileMetrics(metrics_module.Metric):
    """The metrics `compile` configures, as one metric whose result is a dict of named values.

    Args:
        metrics: metric identifiers for every output (a list), one list per output (a list of
            lists), or a dict keyed by output name.
        weighted_metrics: the same forms; these metrics receive the sample weights.
        output_names: the model's output names.
    """

    def __init__(self, metrics, weighted_metrics, output_names=None, name="compile_metrics"):
        super().__init__(name=name)
        for argument, value in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if value is not None and not isinstance(value, (list, tuple, dict)):
                raise ValueError(
                    f"compile(): `{argument}` must be a list or a dict, got {value!r}. Wrap a "
                    f"single metric in a list: {argument}=[{value!r}]."
                )
            for identifier in _metric_identifiers(value):
                _check_metric_identifier(identifier)
        self._metrics_arg = metrics
        self._weighted_arg = weighted_metrics
        self.output_names = output_names
        self.built = False
        self._entries = []  # (result name, metric, output index, weighted)

    def build(self, y_true, y_pred):
        names, preds = flatten_outputs(y_pred, self.output_names)
        targets = match_targets(y_true, names)
        prefix = len(names) > 1
        used = set()
        for weighted, argument in ((False, self._metrics_arg), (True, self._weighted_arg)):
            per_output = _metrics_per_output(argument, names)
            for index, identifiers in enumerate(per_output):
                for identifier in identifiers:
                    metric = _get_metric(identifier, targets[index], preds[index])
                    result_name = f"{names[index]}_{metric.name}" if prefix else metric.name
                    if result_name in used:
                        result_name = f"weighted_{result_name}" if weighted else result_name
                    used.add(result_name)
                    self._entries.append((result_name, metric, index, weighted))
        self.built = True

    @property
    def metrics(self) -> list:
        return [metric for _, metric, _, _ in self._entries]

    @property
    def variables(self) -> list:
        return [v for metric in self.metrics for v in metric.variables]

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        names, preds = flatten_outputs(y_pred, self.output_names)
        targets = match_targets(y_true, names)
        weights = match_targets(sample_weight, names, argument="sample_weight")
        for _, metric, index, weighted in self._entries:
            if targets[index] is None:
                continue
            metric.update_state(
                targets[index], preds[index], sample_weight=weights[index] if weighted else None
            )

    def result(self) -> dict:
        return {name: metric.result() for name, metric, _, _ in self._entries}

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def get_config(self) -> dict:
        raise NotImplementedError("CompileMetrics is rebuilt by compile(); it has no config.")


def _metric_identifiers(value):
    for item in _leaves(value):
        if isinstance(item, (list, tuple)):
            yield from item
        else:
            yield item


def _check_metric_identifier(identifier) -> None:
    if identifier is None:
        return
    if isinstance(identifier, str) and identifier.lower() in _ACCURACY + _CROSSENTROPY:
        return
    metrics_module.get(identifier)  # raises, naming the unknown metric


def _metrics_per_output(argument, names) -> list:
    """One list of metric identifiers per output."""
    if argument is None:
        return [[] for _ in names]
    if isinstance(argument, dict):
        per_output = _per_output("dict", argument, names, "metrics")
        return [_as_list(item) for item in per_output]
    items = list(argument)
    if len(names) > 1 and items and all(isinstance(i, (list, tuple)) or i is None for i in items):
        if len(items) != len(names):
            raise ValueError(
                f"compile(): `metrics` is a list of {len(items)} lists, but the model has "
                f"{len(names)} outputs ({names}). Give one list per output, or a dict keyed by "
                "output name."
            )
        return [_as_list(item) for item in items]
    # A flat list: the same metrics for every output (a fresh metric object per output).
    return [list(items) if i == 0 else [_fresh(m) for m in items] for i in range(len(names))]


def _as_list(item) -> list:
    if item is None:
        return []
    return list(item) if isinstance(item, (list, tuple)) else [item]


def _fresh(identifier):
    if isinstance(identifier, metrics_module.Metric):
        return type(identifier).from_config(identifier.get_config())
    return identifier


def _get_metric(identifier, y_true, y_pred):
    if isinstance(identifier, str) and identifier.lower() in _ACCURACY + _CROSSENTROPY:
        kind = _classification_kind(y_true, y_pred)
        if identifier.lower() in _ACCURACY:
            cls = {
                "binary": metrics_module.BinaryAccuracy,
                "sparse": metrics_module.SparseCategoricalAccuracy,
                "categorical": metrics_module.CategoricalAccuracy,
            }[kind]
        else:
            cls = {
                "binary": metrics_module.BinaryCrossentropy,
                "sparse": metrics_module.SparseCategoricalCrossentropy,
                "categorical": metrics_module.CategoricalCrossentropy,
            }[kind]
        return cls(name=identifier)
    metric = metrics_module.get(identifier)
    if not isinstance(metric, metrics_module.Metric):
        metric = metrics_module.MeanMetricWrapper(metric, name=getattr(metric, "__name__", None))
    if isinstance(identifier, str):
        metric.name = identifier  # Keras logs a metric given by name under that name ("mae")
    return metric


def _classification_kind(y_true, y_pred) -> str:
    """Keras's rule for ``"accuracy"``: binary when the prediction's last axis is 1, sparse when
    the target has a lower rank (or a last axis of 1 against several classes), else categorical."""
    true_shape = tuple(y_true.shape) if y_true is not None else ()
    pred_shape = tuple(y_pred.shape)
    if pred_shape and pred_shape[-1] == 1:
        return "binary"
    if len(true_shape) < len(pred_shape) or (
        true_shape and true_shape[-1] == 1 and pred_shape and pred_shape[-1] != 1
    ):
        return "sparse"
    return "categorical"
