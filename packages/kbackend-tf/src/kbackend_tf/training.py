"""Training on TensorFlow: variables as `tf.Variable`s, compiled steps as `tf.function`s.

- A kcore Variable keeps its value in a `tf.Variable` that assignments update in place, so a
  `tf.function` step reads and writes the variables themselves (no state passed in and out), and
  `tf.GradientTape` differentiates with respect to kcore Variables (`variable_base`).
- `jit` wraps a step in `tf.function` (`reduce_retracing`, so a partial last batch does not make
  a new graph per shape; no autograph), with XLA when `jit_compile=True`. kcore's trainer runs
  `steps_per_execution` steps per call as a `scan` inside the function: an on-device loop.
"""

from __future__ import annotations

import tensorflow as tf

from kbackend_tf._utils import to_tf
from kcore.backend.contract import exported


def variable_state(value, variable):
    return tf.Variable(to_tf(value), trainable=bool(variable.trainable), name=variable.name)


def assign_variable_state(state, value):
    state.assign(to_tf(value, state.dtype))
    return state


class TFVariable:
    """What a kcore Variable adds on TensorFlow: `tf.GradientTape` treats it as the resource
    variable it holds (`tape.gradient(loss, model.trainable_variables)` works), and
    `tf.convert_to_tensor` reads its value."""

    _should_act_as_resource_variable = True

    @property
    def handle(self):
        return self._value.handle

    def __tf_tensor__(self, dtype=None, name=None):
        return tf.convert_to_tensor(self.value, dtype=dtype, name=name)


def variable_base():
    return TFVariable


def jit(fun, donate_argnums=(), jit_compile=True):
    del donate_argnums  # TensorFlow reuses buffers on its own
    # No autograph: kcore's steps branch with ops, and errors keep their type (autograph would
    # wrap a ValueError raised while tracing in a StagingError).
    return tf.function(fun, jit_compile=bool(jit_compile), reduce_retracing=True, autograph=False)


__all__ = exported(globals())
