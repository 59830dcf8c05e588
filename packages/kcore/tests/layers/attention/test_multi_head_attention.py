"""MultiHeadAttention: the shared layer checks, its numbers against numpy, the fused and composed
paths, masks (explicit, causal, and propagated through a Functional model), errors, saving and
training a small transformer with fit."""

import io
import zipfile

import h5py
import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

RNG = np.random.default_rng(0)
QUERY = RNG.standard_normal((2, 5, 8)).astype("float32")
VALUE = RNG.standard_normal((2, 7, 6)).astype("float32")
KEY = RNG.standard_normal((2, 7, 3)).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _reference(layer, query, value, key=None, mask=None):
    """Multi-head attention in numpy from the layer's weights: (output, weights)."""
    key = value if key is None else key
    qk, qb, kk, kb, vk, vb, ok, ob = layer.get_weights()
    q = np.einsum("btd,dnh->btnh", query, qk) + qb
    k = np.einsum("bsd,dnh->bsnh", key, kk) + kb
    v = np.einsum("bsd,dnh->bsnh", value, vk) + vb
    logits = np.einsum("btnh,bsnh->bnts", q, k) / np.sqrt(layer.key_dim)
    if mask is not None:
        logits = np.where(mask[:, None], logits, -1e9)
    weights = _softmax(logits)
    heads = np.einsum("bnts,bsnh->btnh", weights, v)
    return np.einsum("btnh,nhd->btd", heads, ok) + ob, weights


def _mask(shape, seed=1):
    """Random booleans of `shape`, each row along the last axis with its first entry True."""
    mask = np.random.default_rng(seed).random(shape) > 0.4
    mask[..., 0] = True
    return mask


# --- the shared layer checks -------------------------------------------------------------------


def test_self_attention_basics():
    run_layer_test(
        layers.MultiHeadAttention,
        init_kwargs={"num_heads": 2, "key_dim": 4},
        input_data=QUERY,
        call_kwargs={"value": QUERY},
        expected_output_shape=(2, 5, 8),
        expected_num_trainable_weights=8,
        expected_num_non_trainable_weights=0,
        expected_num_seed_generators=0,
        expected_num_losses=0,
        supports_masking=True,
    )


def test_key_value_dim_output_shape_no_bias():
    run_layer_test(
        layers.MultiHeadAttention,
        init_kwargs={
            "num_heads": 3,
            "key_dim": 4,
            "value_dim": 2,
            "output_shape": (2, 5),
            "use_bias": False,
        },
        input_data=QUERY,
        call_kwargs={"value": VALUE, "key": KEY},
        expected_output_shape=(2, 5, 2, 5),
        expected_num_trainable_weights=4,
    )


def test_attention_scores_output():
    run_layer_test(
        layers.MultiHeadAttention,
        init_kwargs={"num_heads": 2, "key_dim": 4},
        input_data=QUERY,
        call_kwargs={"value": VALUE, "return_attention_scores": True},
        expected_output_shape=[(2, 5, 8), (2, 2, 5, 7)],
    )


@pytest.mark.parametrize(
    ("query_shape", "value_shape", "axes", "scores_shape"),
    [
        ((2, 3, 4, 8), (2, 3, 2, 8), (2,), (2, 3, 2, 4, 2)),
        ((2, 3, 4, 8), (2, 3, 2, 8), (1, 2), (2, 2, 3, 4, 3, 2)),
        ((2, 5, 3, 4, 8), (2, 5, 3, 2, 8), (-3, -2), (2, 5, 2, 3, 4, 3, 2)),
    ],
)
def test_high_dimensional_attention(query_shape, value_shape, axes, scores_shape):
    query = RNG.standard_normal(query_shape).astype("float32")
    value = RNG.standard_normal(value_shape).astype("float32")
    run_layer_test(
        layers.MultiHeadAttention,
        init_kwargs={"num_heads": 2, "key_dim": 2, "attention_axes": axes},
        input_data=query,
        call_kwargs={"value": value, "return_attention_scores": True},
        expected_output_shape=[query_shape, scores_shape],
        expected_num_trainable_weights=8,
    )


def test_gate_adds_a_projection():
    run_layer_test(
        layers.MultiHeadAttention,
        init_kwargs={"num_heads": 2, "key_dim": 4, "use_gate": True},
        input_data=QUERY,
        call_kwargs={"value": VALUE},
        expected_output_shape=(2, 5, 8),
        expected_num_trainable_weights=10,
    )
    layer = layers.MultiHeadAttention(2, 4, use_gate=True)
    layer(QUERY, VALUE)
    names = [w.path.split("/", 1)[1] for w in layer.weights]
    assert names[:6] == [
        "query/kernel",
        "query/bias",
        "key/kernel",
        "key/bias",
        "gate/kernel",
        "gate/bias",
    ]


def test_dropout_has_a_seed_generator():
    run_layer_test(
        layers.MultiHeadAttention,
        init_kwargs={"num_heads": 2, "key_dim": 4, "dropout": 0.5, "seed": 1},
        input_data=QUERY,
        call_kwargs={"value": VALUE},
        expected_output_shape=(2, 5, 8),
        expected_num_trainable_weights=8,
        expected_num_non_trainable_weights=0,
        expected_num_non_trainable_variables=1,
        expected_num_seed_generators=1,
    )


def test_regularizers_apply_to_each_projection():
    run_layer_test(
        layers.MultiHeadAttention,
        init_kwargs={
            "num_heads": 2,
            "key_dim": 4,
            "kernel_regularizer": "l2",
            "activity_regularizer": "l1",
        },
        input_data=QUERY,
        call_kwargs={"value": VALUE},
        expected_num_losses=8,
    )


# --- numbers -----------------------------------------------------------------------------------


def test_values_match_numpy_on_both_paths():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=4)
    fused = _np(layer(QUERY, VALUE))
    composed, scores = layer(QUERY, VALUE, return_attention_scores=True)
    want, want_scores = _reference(layer, QUERY, VALUE)
    np.testing.assert_allclose(fused, want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(composed), want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(scores), want_scores, rtol=1e-5, atol=1e-6)


def test_separate_key_and_value_dim():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=3)
    fused = layer(QUERY, VALUE, key=KEY)
    composed, _ = layer(QUERY, VALUE, key=KEY, return_attention_scores=True)
    np.testing.assert_allclose(_np(fused), _np(composed), rtol=1e-5, atol=1e-5)
    assert [tuple(w.shape) for w in layer.value_dense.weights] == [(6, 2, 3), (2, 3)]
    assert tuple(layer.output_dense.kernel.shape) == (2, 3, 8)


@pytest.mark.parametrize(
    "mask_kwargs",
    [
        {"attention_mask": _mask((2, 5, 7))},
        {"attention_mask": _mask((5, 7))},
        {"attention_mask": _mask((2, 2, 5, 7))},
        {"attention_mask": np.tril(np.ones((5, 7), "float32"))},
        {"value_mask": _mask((2, 7))},
        {"use_causal_mask": True},
        {"use_causal_mask": True, "value_mask": _mask((2, 7))},
        {"query_mask": _mask((2, 5)), "value_mask": _mask((2, 7))},
    ],
    ids=[
        "attention_mask",
        "unbatched",
        "per_head",
        "float",
        "value_mask",
        "causal",
        "causal+value",
        "q+v",
    ],
)
def test_fused_and_composed_paths_agree_with_masks(mask_kwargs):
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=4)
    fused = layer(QUERY, VALUE, **mask_kwargs)
    composed, scores = layer(QUERY, VALUE, return_attention_scores=True, **mask_kwargs)
    if "query_mask" not in mask_kwargs:  # padded query rows differ: all-masked rows
        np.testing.assert_allclose(_np(fused), _np(composed), rtol=1e-5, atol=1e-5)
    scores = _np(scores)
    np.testing.assert_allclose(scores.sum(-1)[scores.sum(-1) > 0], 1.0, rtol=1e-5)


def test_masks_are_the_attention_mask_they_stand_for():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=4)
    value_mask = _mask((2, 7))
    explicit = np.broadcast_to(value_mask[:, None, :], (2, 5, 7))
    np.testing.assert_allclose(
        _np(layer(QUERY, VALUE, value_mask=value_mask)),
        _np(layer(QUERY, VALUE, attention_mask=explicit)),
        rtol=1e-5,
        atol=1e-5,
    )
    want, _ = _reference(layer, QUERY, VALUE, mask=explicit)
    np.testing.assert_allclose(_np(layer(QUERY, VALUE, value_mask=value_mask)), want, atol=1e-5)
    causal = np.tril(np.ones((5, 7), bool))[None]
    _, scores = layer(QUERY, VALUE, use_causal_mask=True, return_attention_scores=True)
    assert np.all(_np(scores)[:, :, ~causal[0]] == 0)
    np.testing.assert_allclose(
        _np(layer(QUERY, VALUE, use_causal_mask=True)),
        _np(layer(QUERY, VALUE, attention_mask=causal)),
        rtol=1e-5,
        atol=1e-5,
    )


def test_sliding_window_restricts_the_band():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=4, sliding_window=3)
    x = QUERY[:, :5]
    _, scores = layer(x, x, use_causal_mask=True, return_attention_scores=True)
    i, j = np.indices((5, 5))
    allowed = (j <= i) & (i - j < 3)
    scores = _np(scores)
    assert np.all(scores[:, :, ~allowed] == 0) and np.all(scores[:, :, allowed] > 0)


def test_fused_kernel_runs_without_dropout_or_scores(monkeypatch):
    calls = []
    original = ops.dot_product_attention

    def counting(*args, **kwargs):
        calls.append(kwargs.get("is_causal"))
        return original(*args, **kwargs)

    monkeypatch.setattr(ops, "dot_product_attention", counting)
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=4)
    layer(QUERY, VALUE)
    layers.MultiHeadAttention(num_heads=2, key_dim=4)(QUERY, QUERY, use_causal_mask=True)
    assert calls == [False, True]
    layer(QUERY, VALUE, return_attention_scores=True)
    layers.MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.1)(QUERY, VALUE)
    layers.MultiHeadAttention(num_heads=2, key_dim=4, attention_axes=(1, 2))(
        QUERY[:, :, None], VALUE[:, :, None]
    )
    assert len(calls) == 2


def test_dropout_only_in_training():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.5, seed=3)
    inference = _np(layer(QUERY, VALUE))
    np.testing.assert_allclose(_np(layer(QUERY, VALUE, training=False)), inference, atol=1e-6)
    training = _np(layer(QUERY, VALUE, training=True))
    assert not np.allclose(training, inference, atol=1e-4)


# --- symbolic calls, Functional models, masks propagated -----------------------------------------


def test_compute_output_shape_and_symbolic_scores():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=4, output_shape=3)
    assert layer.compute_output_shape((None, 5, 8), (None, 7, 6)) == (None, 5, 3)
    output, scores = layer(kcore.Input((5, 8)), kcore.Input((7, 6)), return_attention_scores=True)
    assert output.shape == (None, 5, 3) and scores.shape == (None, 2, 5, 7)
    assert layer.get_build_config() == {
        "shapes_dict": {"query_shape": (None, 5, 8), "value_shape": (None, 7, 6)}
    }


def _embedding_model(use_causal_mask=False, keywords=False):
    query_ids = kcore.Input((5,), dtype="int32")
    value_ids = kcore.Input((3,), dtype="int32")
    query = layers.Embedding(4, 8, mask_zero=True, name="query_embedding")(query_ids)
    value = layers.Embedding(6, 8, mask_zero=True, name="value_embedding")(value_ids)
    attention = layers.MultiHeadAttention(num_heads=2, key_dim=2, name="mha")
    if keywords:
        output = attention(query=query, value=value, use_causal_mask=use_causal_mask)
    else:
        output = attention(query, value, use_causal_mask=use_causal_mask)
    return kcore.Model([query_ids, value_ids], output), output


@pytest.mark.parametrize("use_causal_mask", [False, True])
@pytest.mark.parametrize("keywords", [False, True])
def test_embedding_masks_reach_the_attention_in_a_functional_model(use_causal_mask, keywords):
    model, symbolic = _embedding_model(use_causal_mask, keywords)
    assert symbolic._keras_mask is not None and symbolic._keras_mask.shape == (None, 5)
    query_ids = np.array([[1, 2, 3, 0, 0], [3, 3, 1, 1, 2], [1, 0, 0, 0, 0]], "int32")
    value_ids = np.array([[5, 4, 0], [3, 0, 0], [2, 1, 1]], "int32")
    got = _np(model([query_ids, value_ids]))
    # The same layer called eagerly with the attention mask the padding stands for.
    mask = (query_ids != 0)[:, :, None] & (value_ids != 0)[:, None, :]
    if use_causal_mask:
        mask &= np.tril(np.ones((5, 3), bool))[None]
    want = model.get_layer("mha")(
        model.get_layer("query_embedding")(query_ids),
        model.get_layer("value_embedding")(value_ids),
        attention_mask=mask,
    )
    np.testing.assert_allclose(got, _np(want), rtol=1e-5, atol=1e-5)
    # Without the masks the outputs differ: the masks did arrive.
    unmasked = model.get_layer("mha")(
        model.get_layer("query_embedding")(query_ids),
        model.get_layer("value_embedding")(value_ids),
        use_causal_mask=use_causal_mask,
    )
    assert not np.allclose(got, _np(unmasked), atol=1e-4)
    # The query's mask is the output's.
    out_mask = model.compute_mask([query_ids, value_ids], [query_ids != 0, value_ids != 0])
    np.testing.assert_array_equal(_np(out_mask), query_ids != 0)


def test_saved_model_reloads_with_the_same_outputs(tmp_path):
    query = kcore.Input((5, 8))
    value = kcore.Input((7, 6))
    output = layers.MultiHeadAttention(num_heads=2, key_dim=4, use_gate=True)(query, value)
    model = kcore.Model([query, value], output)
    path = tmp_path / "mha.keras"
    model.save(path)
    restored = kcore.models.load_model(path)
    np.testing.assert_allclose(
        _np(restored([QUERY, VALUE])), _np(model([QUERY, VALUE])), rtol=1e-6, atol=1e-6
    )
    # The weights sit where Keras 3 writes them (its public projection names, `_gate_dense`).
    with zipfile.ZipFile(path) as archive, archive.open("model.weights.h5") as file:
        with h5py.File(io.BytesIO(file.read())) as weights:
            group = weights["layers/multi_head_attention"]
            kernels = {name: group[name]["vars/0"].shape for name in group if "dense" in name}
    assert kernels == {
        "query_dense": (8, 2, 4),
        "key_dense": (6, 2, 4),
        "value_dense": (6, 2, 4),
        "_gate_dense": (8, 2, 4),
        "output_dense": (2, 4, 8),
    }


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -2, 1.5, True])
def test_num_heads_and_dims_must_be_positive_ints(bad):
    with pytest.raises(ValueError, match=r"multi_head_attention.*argument `num_heads`.*num_heads="):
        layers.MultiHeadAttention(num_heads=bad, key_dim=4)
    with pytest.raises(ValueError, match="argument `key_dim`"):
        layers.MultiHeadAttention(num_heads=2, key_dim=bad)
    with pytest.raises(ValueError, match="argument `value_dim`"):
        layers.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=bad)


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="attention_axes"):
        layers.MultiHeadAttention(2, 4, attention_axes="time")
    with pytest.raises(ValueError, match="sliding_window"):
        layers.MultiHeadAttention(2, 4, sliding_window=0)
    with pytest.raises(ValueError, match="Dropout is not supported when flash attention|dropout"):
        layers.MultiHeadAttention(2, 4, dropout=0.1, flash_attention=True)
    with pytest.raises(ValueError, match="dropout"):
        layers.MultiHeadAttention(2, 4, dropout=1.5)


def test_attention_axes_out_of_range():
    layer = layers.MultiHeadAttention(2, 4, attention_axes=(3,))
    with pytest.raises(ValueError, match=r"attention_axes.*\[1, 1\]"):
        layer(QUERY, VALUE)


def test_value_and_key_must_share_their_positions():
    layer = layers.MultiHeadAttention(2, 4)
    with pytest.raises(ValueError, match=r"value_shape=\(2, 7, 6\) and key_shape=\(2, 6, 3\)"):
        layer(QUERY, VALUE, key=KEY[:, :6])
    with pytest.raises(ValueError, match="must be equal"):
        layer.compute_output_shape((2, 5, 8), (2, 7, 6), (2, 4, 6))


@pytest.mark.parametrize(
    ("argument", "mask"),
    [
        ("attention_mask", np.ones((2, 5, 6), bool)),
        ("attention_mask", np.ones((3, 5, 7), bool)),
        ("value_mask", np.ones((2, 5), bool)),
        ("query_mask", np.ones((2, 7), bool)),
        ("key_mask", np.ones((2, 7, 7), bool)),
    ],
)
def test_masks_of_the_wrong_shape_are_refused(argument, mask):
    layer = layers.MultiHeadAttention(2, 4)
    with pytest.raises(ValueError, match=rf"multi_head_attention.*`{argument}` has shape"):
        layer(QUERY, VALUE, **{argument: mask})


def test_scores_with_flash_attention_are_refused():
    layer = layers.MultiHeadAttention(2, 4, flash_attention=True)
    with pytest.raises(ValueError, match="attention scores"):
        layer(QUERY, VALUE, return_attention_scores=True)


# --- training ----------------------------------------------------------------------------------


@pytest.mark.needs_training
def test_a_tiny_transformer_learns_with_fit(monkeypatch):
    """Embedding + self-attention + mean over positions + Dense learns whether token 1 occurs
    more often than token 2 in a sequence; the fused attention kernel runs in the steps."""
    calls = []
    original = ops.dot_product_attention

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(ops, "dot_product_attention", counting)
    kcore.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.integers(1, 6, size=(256, 12)).astype("int32")
    y = ((x == 1).sum(axis=1) > (x == 2).sum(axis=1)).astype("int32")

    tokens = kcore.Input((12,), dtype="int32")
    h = layers.Embedding(6, 16)(tokens)
    h = layers.MultiHeadAttention(num_heads=2, key_dim=8)(h, h)
    h = ops.mean(h, axis=1)
    outputs = layers.Dense(2, activation="softmax")(h)
    model = kcore.Model(tokens, outputs)
    model.compile(
        optimizer=kcore.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(x, y, batch_size=32, epochs=8, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.9
    assert calls, "the fused attention op never ran in fit"
