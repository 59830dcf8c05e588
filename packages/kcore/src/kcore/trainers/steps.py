"""The steps `fit`, `evaluate` and `predict` run, and the loss and metrics they compute: the part of
the training API a user overrides to customize `fit` (Keras 3's `train_step` pattern).

The default `train_step` is written once for every backend: it takes gradients with the backend's
`value_and_grad` through a `StatelessScope` that maps the trainable variables to the values being
differentiated, so the same code runs eagerly and inside a compiled, state-donating step.
"""

from __future__ import annotations

import inspect
import warnings

import optree

from kcore import ops
from kcore.backend import bound, scopes
from kcore.layers import _state
from kcore.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight


def batch_size_of(x):
    """The batch size of `x`: an int, or a scalar tensor where the batch dim is unknown while
    tracing (a graph generalized over the partial last batch)."""
    leaves = optree.tree_leaves(x)
    return ops.shape(leaves[0])[0] if leaves else None


class StepsMixin:
    """`train_step`, `test_step`, `predict_step`, `compute_loss`, `compute_metrics` and the
    stateless forms JAX users write (`train_step(self, state, data)`)."""

    # --- the steps ---------------------------------------------------------------------------

    def train_step(self, data):
        """One training step on a batch: forward pass, loss, gradients, optimizer update and
        metrics. Returns the logs (a dict of metric values).

        Override it to customize `fit`, in either form: `train_step(self, data)` reading and
        assigning variables (any backend), or JAX's stateless `train_step(self, state, data)`
        returning `(logs, state)` with `state = (trainable_variables, non_trainable_variables,
        optimizer_variables, metrics_variables)`.
        """
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        trainable = self.trainable_variables
        assigned = []

        def loss_fn(values):
            with scopes.StatelessScope(list(zip(trainable, values)), collect_losses=True) as scope:
                y_pred = self(x, training=True)
                loss = self._compute_loss(
                    x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True
                )
                self._loss_tracker.update_state(loss, sample_weight=batch_size_of(x))
                scaled = self.optimizer.scale_loss(loss) if self.optimizer is not None else loss
                mapped = {id(v) for v in trainable}
                assigned[:] = [v for v in scope.assigned_variables() if id(v) not in mapped]
                updates = [scope.get_current_value(v) for v in assigned]
            return scaled, (y_pred, updates)

        if trainable:
            (_, (y_pred, updates)), grads = bound.value_and_grad(loss_fn, has_aux=True)(
                [v.value for v in trainable]
            )
            for variable, value in zip(assigned, updates):
                variable.assign(value)
            self.optimizer.apply(grads, trainable)
        else:
            if not getattr(self, "_warned_no_trainable", False):
                warnings.warn(
                    f"Model {self.name!r} has no trainable weights: fit() computes the loss and "
                    "metrics but changes nothing.",
                    stacklevel=2,
                )
                self._warned_no_trainable = True
            _, (y_pred, updates) = loss_fn([])
            for variable, value in zip(assigned, updates):
                variable.assign(value)
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def test_step(self, data):
        """One evaluation step: forward pass (inference mode), loss and metrics; returns logs."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(
            x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False
        )
        self._loss_tracker.update_state(loss, sample_weight=batch_size_of(x))
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def predict_step(self, data):
        """One prediction step: the model's outputs on the batch's inputs."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    # --- loss and metrics --------------------------------------------------------------------

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The total loss of a batch: the compiled loss plus the losses the layers added
        (`model.losses`: regularization, `add_loss`). Override it for a custom loss."""
        del x, training
        total = None
        if self._compile_loss is not None:
            total = self._compile_loss(y, y_pred, sample_weight)
        for loss in self.losses:
            loss = ops.sum(ops.cast(loss, "float32"))
            total = loss if total is None else total + loss
        if total is None:
            if self._compile_loss is None:
                raise ValueError(
                    f"No loss to compute for model {self.name!r}. Provide a `loss` argument in "
                    "`compile()`, or add losses with `add_loss()`."
                )
            total = ops.zeros((), "float32")
        return total

    def _compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        if self._compute_loss_takes_training():
            return self.compute_loss(
                x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training
            )
        return self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)

    def _compute_loss_takes_training(self) -> bool:
        return _state.cached(
            self,
            "compute_loss_takes_training",
            lambda: "training" in inspect.signature(self.compute_loss).parameters,
        )

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics with a batch and returns every metric's result."""
        del x
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self) -> dict:
        """The current result of every metric in `model.metrics`, as a flat dict."""
        logs = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                logs.update(result)
            else:
                logs[metric.name] = result
        return logs

    # --- the stateless API (JAX style) -------------------------------------------------------

    def stateless_compute_loss(
        self,
        trainable_variables,
        non_trainable_variables,
        metrics_variables,
        x=None,
        y=None,
        y_pred=None,
        sample_weight=None,
        training=True,
    ):
        """`compute_loss` as a pure function of the variable values: returns `(loss,
        (trainable_variables, non_trainable_variables, metrics_variables))`."""
        groups = (self.trainable_variables, self.non_trainable_variables, self.metrics_variables)
        values = (trainable_variables, non_trainable_variables, metrics_variables)
        mapping = [pair for group, vals in zip(groups, values) for pair in zip(group, vals)]
        with scopes.StatelessScope(mapping, collect_losses=True) as scope:
            loss = self._compute_loss(
                x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training
            )
            new = tuple([scope.get_current_value(v) for v in group] for group in groups)
        return loss, new

    def _state_groups(self):
        """The four lists of variables a stateless step's `state` holds, in Keras's order."""
        optimizer_variables = list(self.optimizer.variables) if self.optimizer is not None else []
        return (
            self.trainable_variables,
            self.non_trainable_variables,
            optimizer_variables,
            self.metrics_variables,
        )


def is_stateless(step) -> bool:
    """Whether a (bound) step method has JAX's stateless form `step(state, data)`."""
    parameters = [
        p
        for p in inspect.signature(step).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    return len(parameters) == 2
