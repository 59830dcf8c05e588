"""BatchNormalization: batch statistics in training, moving statistics at inference, their
updates (also inside `fit`), masks, renorm, freezing, and its errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

needs_training = pytest.mark.needs_training
EPS = 1e-3


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _data(shape, seed=0, loc=0.0, scale=1.0):
    return np.random.default_rng(seed).normal(loc, scale, size=shape).astype("float32")


def test_batch_normalization_basics():
    run_layer_test(
        layers.BatchNormalization,
        init_kwargs={"momentum": 0.9},
        input_shape=(4, 3, 5),
        expected_output_shape=(4, 3, 5),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=2,
        expected_num_losses=0,
        supports_masking=True,
    )


def test_batch_normalization_training_call_without_center_and_scale():
    run_layer_test(
        layers.BatchNormalization,
        init_kwargs={"axis": 1, "center": False, "scale": False, "gamma_regularizer": "l2"},
        input_shape=(4, 3, 5),
        call_kwargs={"training": True},
        expected_output_shape=(4, 3, 5),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=2,
    )


def test_batch_normalization_with_regularizers_and_renorm():
    run_layer_test(
        layers.BatchNormalization,
        init_kwargs={
            "renorm": True,
            "renorm_clipping": {"rmax": 2.0, "dmax": 1.0},
            "gamma_regularizer": "l2",
            "beta_regularizer": "l1",
        },
        input_shape=(6, 4),
        call_kwargs={"training": True},
        expected_output_shape=(6, 4),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=5,
        expected_num_losses=2,
    )


def test_weights_are_keras_weights_in_keras_order():
    layer = layers.BatchNormalization(name="bn")
    layer.build((None, 7))
    assert [w.path for w in layer.weights] == [
        "bn/gamma",
        "bn/beta",
        "bn/moving_mean",
        "bn/moving_variance",
    ]
    assert [w.shape for w in layer.weights] == [(7,)] * 4
    assert layer.count_params() == 28


def test_training_normalizes_with_batch_statistics_and_updates_the_moving_ones():
    x = _data((16, 3), loc=4.0, scale=2.0)
    layer = layers.BatchNormalization(
        momentum=0.8, gamma_initializer="random_normal", beta_initializer="random_normal"
    )
    out = _np(layer(x, training=True))
    gamma, beta = _np(layer.gamma), _np(layer.beta)
    mean, var = x.mean(0), x.var(0)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + EPS) * gamma + beta, atol=1e-5)
    np.testing.assert_allclose(_np(layer.moving_mean), 0.2 * mean, rtol=1e-5)
    np.testing.assert_allclose(_np(layer.moving_variance), 0.8 + 0.2 * var, rtol=1e-5)

    # Inference uses the moving statistics and changes nothing.
    moving_mean, moving_var = _np(layer.moving_mean), _np(layer.moving_variance)
    expected = (x - moving_mean) / np.sqrt(moving_var + EPS) * gamma + beta
    np.testing.assert_allclose(_np(layer(x)), expected, atol=1e-5)
    np.testing.assert_allclose(_np(layer(x, training=False)), expected, atol=1e-5)
    np.testing.assert_array_equal(_np(layer.moving_mean), moving_mean)


def test_repeated_training_calls_converge_to_the_data_statistics():
    x = _data((64, 2), loc=[3.0, -1.0], scale=[0.5, 2.0])
    layer = layers.BatchNormalization(momentum=0.5)
    for _ in range(30):
        layer(x, training=True)
    np.testing.assert_allclose(_np(layer.moving_mean), x.mean(0), rtol=1e-4)
    np.testing.assert_allclose(_np(layer.moving_variance), x.var(0), rtol=1e-4)
    np.testing.assert_allclose(_np(layer(x)).mean(0), [0, 0], atol=1e-4)


def test_frozen_layer_runs_in_inference_mode_even_when_training():
    x = _data((8, 3), loc=2.0)
    layer = layers.BatchNormalization()
    layer.build(x.shape)
    layer.trainable = False
    out = _np(layer(x, training=True))
    np.testing.assert_allclose(out, x / np.sqrt(1 + EPS), rtol=1e-5)
    np.testing.assert_array_equal(_np(layer.moving_mean), np.zeros(3))
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 4
    assert [w.path.split("/")[-1] for w in layer.weights] == [
        "gamma",
        "beta",
        "moving_mean",
        "moving_variance",
    ]


def test_channels_first_axis_matches_transposed_channels_last():
    x = _data((4, 5, 5, 3), loc=1.0)
    last = layers.BatchNormalization(axis=-1)
    first = layers.BatchNormalization(axis=1)
    out_last = _np(last(x, training=True))
    out_first = _np(first(np.transpose(x, (0, 3, 1, 2)), training=True))
    np.testing.assert_allclose(np.transpose(out_first, (0, 2, 3, 1)), out_last, atol=1e-5)
    np.testing.assert_allclose(_np(first.moving_mean), _np(last.moving_mean), rtol=1e-5)
    assert first.input_spec.axes == {1: 3}


def test_mask_leaves_masked_positions_out_of_the_statistics():
    x = _data((3, 6, 2), loc=1.0)
    mask = np.random.default_rng(1).random((3, 6)) > 0.4
    layer = layers.BatchNormalization(momentum=0.0)
    out = _np(layer(x, training=True, mask=mask))
    kept = x[mask]
    mean, var = kept.mean(0), kept.var(0)
    np.testing.assert_allclose(_np(layer.moving_mean), mean, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(_np(layer.moving_variance), var, rtol=1e-4)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + EPS), rtol=1e-4, atol=1e-5)


def test_mask_with_channels_first_leaves_out_the_masked_timesteps():
    x = _data((3, 2, 6), loc=1.0)
    mask = np.random.default_rng(2).random((3, 6)) > 0.4
    layer = layers.BatchNormalization(axis=1, momentum=0.0)
    layer(x, training=True, mask=mask)
    kept = np.transpose(x, (0, 2, 1))[mask]
    np.testing.assert_allclose(_np(layer.moving_mean), kept.mean(0), rtol=1e-4, atol=1e-6)


def test_mask_flows_through_a_functional_model():
    inputs = kcore.Input((4, 2))
    masked = layers.Masking(0.0)(inputs)
    outputs = layers.BatchNormalization()(masked)
    assert outputs._keras_mask is not None
    model = kcore.Model(inputs, outputs)
    x = _data((2, 4, 2))
    assert model(x).shape == (2, 4, 2)


def test_stateless_call_returns_new_moving_statistics_and_changes_no_variable():
    x = _data((10, 2), loc=5.0)
    layer = layers.BatchNormalization(momentum=0.5)
    layer.build(x.shape)
    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]
    _, new_values = layer.stateless_call(trainable, non_trainable, x, training=True)
    np.testing.assert_allclose(_np(new_values[0]), 0.5 * x.mean(0), rtol=1e-5)
    np.testing.assert_array_equal(_np(layer.moving_mean), np.zeros(2))


def test_mixed_precision_computes_statistics_in_float32():
    x = _data((8, 3), loc=100.0, scale=10.0)
    layer = layers.BatchNormalization(dtype="mixed_float16", momentum=0.0)
    out = layer(x, training=True)
    assert kcore.backend.standardize_dtype(out.dtype) == "float16"
    assert layer.moving_mean.dtype == "float32"
    np.testing.assert_allclose(_np(layer.moving_mean), x.astype("float16").mean(0), rtol=1e-3)
    assert np.all(np.isfinite(_np(out)))


def test_renorm_updates_its_statistics_and_inference_is_unchanged():
    x = _data((16, 2), loc=1.0, scale=3.0)
    layer = layers.BatchNormalization(renorm=True, momentum=0.5, renorm_momentum=0.5)
    out = _np(layer(x, training=True))
    names = [w.path.split("/")[-1] for w in layer.weights]
    assert names == [
        "gamma",
        "beta",
        "moving_mean",
        "moving_variance",
        "moving_stddev",
        "renorm_mean",
        "renorm_stddev",
    ]
    mean, std = x.mean(0), np.sqrt(x.var(0) + EPS)
    # The renorm correction starts from mean 0, stddev 1: r = std, d = mean.
    expected = (x - mean) / std * std + mean
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(_np(layer.renorm_mean), 0.5 * mean, rtol=1e-5)
    moving_std = 0.5 + 0.5 * std
    np.testing.assert_allclose(_np(layer.moving_stddev), moving_std, rtol=1e-5)
    np.testing.assert_allclose(_np(layer.moving_variance), moving_std**2 - EPS, rtol=1e-5)
    moving_mean = _np(layer.moving_mean)
    inference = (x - moving_mean) / np.sqrt(moving_std**2 - EPS + EPS)
    np.testing.assert_allclose(_np(layer(x)), inference, rtol=1e-4, atol=1e-5)


def test_synchronized_is_accepted_and_round_trips():
    layer = layers.BatchNormalization(synchronized=True)
    out = layer(_data((4, 2)), training=True)
    assert out.shape == (4, 2)
    config = layer.get_config()
    assert config["synchronized"] is True
    assert layers.BatchNormalization.from_config(config).synchronized is True


def test_config_has_the_keras_keys():
    config = layers.BatchNormalization().get_config()
    assert set(config) == {
        "name",
        "trainable",
        "dtype",
        "axis",
        "momentum",
        "epsilon",
        "center",
        "scale",
        "beta_initializer",
        "gamma_initializer",
        "moving_mean_initializer",
        "moving_variance_initializer",
        "beta_regularizer",
        "gamma_regularizer",
        "beta_constraint",
        "gamma_constraint",
        "synchronized",
        "renorm",
        "renorm_clipping",
        "renorm_momentum",
    }
    assert config["axis"] == -1 and config["momentum"] == 0.99 and config["epsilon"] == 1e-3


def test_axis_out_of_range_names_the_layer_and_the_shape():
    layer = layers.BatchNormalization(axis=3, name="bn_bad")
    with pytest.raises(ValueError, match=r'"bn_bad".*axis 3 is out of bounds.*\(2, 4\)'):
        layer(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match="out of bounds"):
        layers.BatchNormalization(axis=-3).compute_output_shape((2, 4))


def test_wrong_channel_count_after_build_is_refused():
    layer = layers.BatchNormalization()
    layer(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match="incompatible"):
        layer(np.ones((2, 5), "float32"))


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError, match="axis"):
        layers.BatchNormalization(axis=[1, 2])
    with pytest.raises(ValueError, match="renorm_clipping"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"rmaxx": 1.0})
    with pytest.raises(ValueError, match="rmax should be greater than rmin"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 1.0, "rmin": 2.0})
    with pytest.raises(ValueError, match="dmax should be non-negative"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"dmax": -1.0})


def test_mask_of_the_wrong_rank_is_refused():
    layer = layers.BatchNormalization()
    with pytest.raises(ValueError, match="one dimension less"):
        layer(np.ones((2, 3, 4), "float32"), training=True, mask=np.ones((2, 3, 4), bool))


def test_unknown_channel_size_is_refused():
    with pytest.raises(ValueError, match="known size"):
        layers.BatchNormalization().build((None, None))


@needs_training
def test_fit_moves_the_moving_statistics_and_evaluate_and_predict_use_them():
    kcore.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal([5.0, -3.0, 1.0], [2.0, 0.5, 1.0], size=(256, 3)).astype("float32")
    y = x.sum(1, keepdims=True)
    bn = layers.BatchNormalization(momentum=0.8)
    model = kcore.Sequential([kcore.Input((3,)), bn, layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, batch_size=32, epochs=3, verbose=0)

    moving_mean, moving_var = _np(bn.moving_mean), _np(bn.moving_variance)
    np.testing.assert_allclose(moving_mean, x.mean(0), atol=0.3)
    np.testing.assert_allclose(moving_var, x.var(0), rtol=0.3)

    # predict and evaluate normalize with the moving statistics and leave them alone.
    gamma, beta = _np(bn.gamma), _np(bn.beta)
    kernel, bias = (_np(w) for w in model.layers[1].weights)
    expected = ((x - moving_mean) / np.sqrt(moving_var + EPS) * gamma + beta) @ kernel + bias
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-4)
    loss = model.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(loss, np.mean((expected - y) ** 2), rtol=1e-4)
    np.testing.assert_array_equal(_np(bn.moving_mean), moving_mean)


@needs_training
def test_fit_leaves_a_frozen_layer_untouched():
    rng = np.random.default_rng(1)
    x = rng.normal(3.0, 1.0, size=(64, 2)).astype("float32")
    bn = layers.BatchNormalization()
    model = kcore.Sequential([kcore.Input((2,)), bn, layers.Dense(1)])
    bn.trainable = False
    model.compile(optimizer="sgd", loss="mse")
    before = model.get_weights()[:4]
    model.fit(x, x[:, :1], batch_size=16, epochs=1, verbose=0)
    for after, want in zip(model.get_weights()[:4], before):
        np.testing.assert_array_equal(after, want)
