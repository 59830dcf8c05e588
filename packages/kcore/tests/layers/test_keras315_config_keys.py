"""Config keys Keras 3.15 writes are read (quantization and LoRA off, initializer fan axes), and
automatic names follow Keras's snake-case rule."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.layers._state import to_snake_case


@pytest.mark.parametrize(
    "make",
    [
        lambda **kw: layers.Dense(2, **kw),
        lambda **kw: layers.EinsumDense("ab,bc->ac", output_shape=2, **kw),
        lambda **kw: layers.Embedding(5, 2, **kw),
    ],
)
def test_quantization_config_none_is_accepted_and_written(make):
    layer = make(quantization_config=None, lora_rank=None, lora_alpha=None)
    config = layer.get_config()
    assert config["quantization_config"] is None
    assert type(layer).from_config(config).get_config() == config


@pytest.mark.parametrize(
    ("make", "argument"),
    [
        (
            lambda: layers.Dense(2, quantization_config={"class_name": "Int8QuantizationConfig"}),
            "quantization_config",
        ),
        (lambda: layers.Embedding(5, 2, lora_rank=4), "lora_rank"),
        (
            lambda: layers.EinsumDense("ab,bc->ac", 2, gptq_unpacked_column_size=3),
            "gptq_unpacked_column_size",
        ),
    ],
)
def test_quantized_or_lora_layers_are_refused_clearly(make, argument):
    with pytest.raises(NotImplementedError, match=f"not supported by kcore yet.*`{argument}`"):
        make()


def test_variance_scaling_uses_the_given_fan_axes():
    init = kcore.initializers.VarianceScaling(
        scale=1.0, mode="fan_in", distribution="uniform", input_axes=[1], output_axes=[0, 2], seed=1
    )
    values = np.asarray(ops.convert_to_numpy(init((4, 25, 3))))
    # fan_in = 25, so the limit is sqrt(3 / 25); from the shape alone fan_in would be 4 * 25.
    assert np.abs(values).max() <= (3 / 25) ** 0.5
    assert np.abs(values).max() > 1.5 * (3 / 100) ** 0.5
    assert kcore.initializers.compute_fans((4, 25, 3), [1], [0, 2]) == (25, 12)
    # Both axis lists are needed; with one, the fans come from the shape.
    assert kcore.initializers.compute_fans((4, 25, 3), [1]) == (100, 12)


def test_fixed_variance_scaling_initializers_round_trip_their_axes():
    init = kcore.initializers.GlorotUniform(seed=3, input_axes=[0], output_axes=[1, 2])
    config = init.get_config()
    assert config == {"seed": 3, "input_axes": [0], "output_axes": [1, 2]}
    restored = kcore.initializers.GlorotUniform.from_config(config)
    assert restored.get_config() == config
    assert kcore.initializers.HeNormal().get_config() == {
        "seed": None,
        "input_axes": None,
        "output_axes": None,
    }


@pytest.mark.parametrize(
    ("class_name", "expected"),
    [
        ("Dense", "dense"),
        ("Conv2D", "conv2d"),
        ("Conv2DTranspose", "conv2d_transpose"),
        ("LSTMCell", "lstm_cell"),
        ("EinsumDense", "einsum_dense"),
        ("GRU", "gru"),
        ("RMSprop", "rm_sprop"),
        ("AdamW", "adam_w"),
        ("F1Score", "f1_score"),
        ("_Private", "__private"),
        ("My-Layer", "my_layer"),
    ],
)
def test_to_snake_case_is_keras_rule(class_name, expected):
    assert to_snake_case(class_name) == expected


def test_automatic_layer_names_follow_keras():
    kcore.utils.clear_session()
    assert layers.EinsumDense("ab,bc->ac", 2).name == "einsum_dense"
    assert layers.EinsumDense("ab,bc->ac", 2).name == "einsum_dense_1"
