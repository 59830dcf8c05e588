"""`run_layer_test`: the one helper every layer test uses.

In one call it checks what a user relies on for any layer: construction, the config round trip (also
through `serialize_keras_object` and JSON), the eager output's shape, dtype and values, the weight
and loss counts, that symbolic calls and `compute_output_shape` agree with eager calls, masking,
that `set_weights` reproduces outputs, a mixed-precision call, and, where the backend has autodiff,
one gradient step through `stateless_call`.

Example:

>>> import kcore
>>> from kcore.testing.layers import run_layer_test
>>> run_layer_test(
...     kcore.layers.Dense,
...     init_kwargs={"units": 3},
...     input_shape=(2, 4),
...     expected_output_shape=(2, 3),
...     expected_num_trainable_weights=2,
... )
"""

from __future__ import annotations

import json

import numpy as np
import optree

import kcore
from kcore import ops
from kcore.backend import bound


def _leaves(x):
    return optree.tree_leaves(x, none_is_leaf=False)


def _numpy(x):
    return np.asarray(ops.convert_to_numpy(x))


def _json_normalized(config):
    return json.loads(json.dumps(config, default=_default))


def _default(value):
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    raise TypeError(f"get_config returned a value that JSON cannot hold: {value!r}")


def _make_input(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    if "int" in dtype:
        return rng.integers(0, 8, size=shape).astype(dtype)
    if dtype == "bool":
        return rng.random(shape) > 0.5
    return rng.standard_normal(shape).astype(dtype)


def _shape_of(x):
    return tuple(x.shape)


def run_layer_test(
    layer_cls,
    init_kwargs=None,
    input_shape=None,
    input_dtype="float32",
    input_data=None,
    call_kwargs=None,
    expected_output_shape=None,
    expected_output_dtype=None,
    expected_output=None,
    expected_num_trainable_weights=None,
    expected_num_non_trainable_weights=None,
    expected_num_non_trainable_variables=None,
    expected_num_seed_generators=None,
    expected_num_losses=None,
    supports_masking=None,
    expected_mask_shape=None,
    custom_objects=None,
    run_training_check=True,
    run_mixed_precision_check=True,
    deterministic=True,
    rtol=1e-5,
    atol=1e-5,
):
    """Checks a layer class end to end; raises AssertionError naming the first thing that fails.

    Args:
        layer_cls: the layer class.
        init_kwargs: constructor arguments.
        input_shape: the input's shape (batch axis included), or a tuple/dict of shapes for
            several inputs; random data of `input_dtype` is made from it. Or give `input_data`.
        call_kwargs: extra call arguments.
        expected_output_shape, expected_output_dtype, expected_output: what the eager call gives.
        expected_num_trainable_weights, expected_num_non_trainable_weights,
        expected_num_non_trainable_variables, expected_num_seed_generators, expected_num_losses:
            counts after the eager call.
        supports_masking: the expected `supports_masking`; with `expected_mask_shape`, the shape
            of `compute_mask` for an all-true input mask.
        custom_objects: for deserializing custom classes.
        run_training_check: take one gradient step (on backends with autodiff).
        run_mixed_precision_check: call the layer under ``"mixed_float16"``.
        deterministic: whether two calls on the same input give the same output (False for
            layers that are random even at inference).
    """
    init_kwargs = dict(init_kwargs or {})
    call_kwargs = dict(call_kwargs or {})
    if input_data is None:
        if input_shape is None:
            raise ValueError("run_layer_test needs `input_shape` or `input_data`.")
        input_data = _structure(input_shape, lambda s, i: _make_input(s, input_dtype, i))
    label = layer_cls.__name__

    # Config round trip, directly and through the serialization registry (and JSON).
    layer = layer_cls(**init_kwargs)
    config = _json_normalized(layer.get_config())
    revived = layer_cls.from_config(layer.get_config())
    assert _json_normalized(revived.get_config()) == config, (
        f"{label}: from_config(get_config()) gives a different config:\n"
        f"{revived.get_config()}\nvs\n{layer.get_config()}"
    )
    serialized = _json_normalized(kcore.saving.serialize_keras_object(layer))
    again = kcore.saving.deserialize_keras_object(serialized, custom_objects=custom_objects)
    assert type(again) is layer_cls, f"{label}: deserialize_keras_object gave {type(again)}"

    # Eager call.
    output = layer(input_data, **call_kwargs)
    assert layer.built, f"{label}: not built after its first call"
    if expected_output_shape is not None:
        got = _structure_shapes(output)
        assert got == _normalize_shape(expected_output_shape), (
            f"{label}: output shape {got}, expected {expected_output_shape}"
        )
    if expected_output_dtype is not None:
        dtypes = [kcore.backend.standardize_dtype(x.dtype) for x in _leaves(output)]
        assert all(d == expected_output_dtype for d in dtypes), (
            f"{label}: output dtype {dtypes}, expected {expected_output_dtype}"
        )
    if expected_output is not None:
        for got, want in zip(_leaves(output), _leaves(expected_output)):
            np.testing.assert_allclose(_numpy(got), np.asarray(want), rtol=rtol, atol=atol)
    _check_counts(
        layer,
        label,
        expected_num_trainable_weights,
        expected_num_non_trainable_weights,
        expected_num_non_trainable_variables,
        expected_num_seed_generators,
        expected_num_losses,
    )

    # Symbolic call on a fresh layer: the shapes and dtypes of the eager call, batch unknown.
    symbolic_layer = layer_cls(**init_kwargs)
    symbolic_input = _structure(
        _structure_shapes(input_data),
        lambda s, i: kcore.KerasTensor((None, *s[1:]), dtype=_dtype_at(input_data, i)),
    )
    symbolic = symbolic_layer(symbolic_input, **call_kwargs)
    eager_shapes = [(None, *_shape_of(x)[1:]) for x in _leaves(output)]
    symbolic_shapes = [tuple(x.shape) for x in _leaves(symbolic)]
    assert symbolic_shapes == eager_shapes, (
        f"{label}: symbolic output shapes {symbolic_shapes} differ from the eager ones "
        f"{eager_shapes}"
    )
    eager_dtypes = [kcore.backend.standardize_dtype(x.dtype) for x in _leaves(output)]
    assert [x.dtype for x in _leaves(symbolic)] == eager_dtypes, (
        f"{label}: symbolic dtypes {[x.dtype for x in _leaves(symbolic)]} vs eager {eager_dtypes}"
    )

    # Masking.
    if supports_masking is not None:
        assert layer.supports_masking == supports_masking, (
            f"{label}: supports_masking is {layer.supports_masking}, expected {supports_masking}"
        )
    if expected_mask_shape is not None:
        first = _leaves(input_data)[0]
        mask = ops.ones(_shape_of(first)[:2], dtype="bool")
        computed = layer.compute_mask(input_data, mask)
        assert tuple(computed.shape) == tuple(expected_mask_shape), (
            f"{label}: compute_mask shape {tuple(computed.shape)}, expected {expected_mask_shape}"
        )

    # The same weights give the same outputs in a new layer.
    if deterministic:
        twin = layer_cls.from_config(layer.get_config())
        twin(input_data, **call_kwargs)
        twin.set_weights(layer.get_weights())
        for got, want in zip(
            _leaves(twin(input_data, **call_kwargs)), _leaves(layer(input_data, **call_kwargs))
        ):
            np.testing.assert_allclose(_numpy(got), _numpy(want), rtol=rtol, atol=atol)

    if run_mixed_precision_check and _has_float_output(output):
        _check_mixed_precision(layer_cls, init_kwargs, input_data, call_kwargs, label)
    if run_training_check and kcore.backend.capabilities().supports_training:
        _check_training_step(layer, input_data, call_kwargs, label)


def _structure(shape, make):
    """Applies `make(shape, index)` to each shape of a structure of shapes (index: the leaf's
    position, so that several inputs get different data)."""
    counter = iter(range(1 << 30))

    def build(node):
        if isinstance(node, dict):
            return {k: build(v) for k, v in node.items()}
        if isinstance(node, (list, tuple)) and node and isinstance(node[0], (list, tuple)):
            return [build(s) for s in node]
        return make(tuple(node), next(counter))

    return build(shape)


def _structure_shapes(x):
    if isinstance(x, dict):
        return {k: _structure_shapes(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_structure_shapes(v) for v in x]
    return _shape_of(x)


def _normalize_shape(shape):
    if isinstance(shape, dict):
        return {k: _normalize_shape(v) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return [_normalize_shape(s) for s in shape]
    return tuple(shape)


def _dtype_at(data, index):
    return kcore.backend.standardize_dtype(_leaves(data)[index].dtype)


def _check_counts(layer, label, trainable, non_trainable, non_trainable_vars, seeds, losses):
    for expected, got, what in (
        (trainable, len(layer.trainable_weights), "trainable weights"),
        (non_trainable, len(layer.non_trainable_weights), "non-trainable weights"),
        (non_trainable_vars, len(layer.non_trainable_variables), "non-trainable variables"),
        (
            seeds,
            len([g for sub in layer._flatten_layers() for g in sub._state()[2]]),
            "seed generators",
        ),
        (losses, len(layer.losses), "losses"),
    ):
        assert expected is None or got == expected, f"{label}: {got} {what}, expected {expected}"


def _has_float_output(output) -> bool:
    return all(kcore.backend.is_float_dtype(x.dtype) for x in _leaves(output))


def _check_mixed_precision(layer_cls, init_kwargs, input_data, call_kwargs, label):
    kwargs = {**init_kwargs, "dtype": "mixed_float16"}
    layer = layer_cls(**kwargs)
    output = layer(input_data, **call_kwargs)
    for x in _leaves(output):
        dtype = kcore.backend.standardize_dtype(x.dtype)
        assert dtype == "float16", f"{label}: under mixed_float16 the output is {dtype}"
    for weight in layer.weights:
        if kcore.backend.is_float_dtype(weight.dtype):
            assert weight.dtype == "float32", (
                f"{label}: under mixed_float16 weight {weight.path} is {weight.dtype}"
            )


def _check_training_step(layer, input_data, call_kwargs, label):
    trainable = layer.trainable_variables
    if not trainable:
        return
    non_trainable = [v.value for v in layer.non_trainable_variables]

    def loss_fn(values):
        outputs, _ = layer.stateless_call(
            values, non_trainable, input_data, **{**call_kwargs, "training": True}
        )
        terms = [ops.mean(ops.square(ops.cast(x, "float32"))) for x in _leaves(outputs)]
        return sum(terms[1:], terms[0])

    values = [v.value for v in trainable]
    loss, grads = bound.value_and_grad(loss_fn)(values)
    assert len(grads) == len(values), f"{label}: {len(grads)} gradients for {len(values)} weights"
    for variable, grad in zip(trainable, grads):
        assert tuple(grad.shape) == variable.shape, (
            f"{label}: gradient of {variable.path} has shape {tuple(grad.shape)}, expected "
            f"{variable.shape}"
        )
        assert np.all(np.isfinite(_numpy(grad))), f"{label}: gradient of {variable.path} not finite"
    stepped = [ops.subtract(v, ops.multiply(g, 0.01)) for v, g in zip(values, grads)]
    new_loss = loss_fn(stepped)
    assert np.isfinite(float(_numpy(new_loss))), f"{label}: loss not finite after one step"
    if any(float(np.abs(_numpy(g)).max()) > 0 for g in grads):
        assert float(_numpy(new_loss)) <= float(_numpy(loss)) + 1e-6, (
            f"{label}: one gradient step did not reduce the loss ({loss} -> {new_loss})"
        )
    # The layer's own variables are unchanged by the stateless step.
    for variable, value in zip(trainable, values):
        np.testing.assert_array_equal(_numpy(variable.value), _numpy(value))
