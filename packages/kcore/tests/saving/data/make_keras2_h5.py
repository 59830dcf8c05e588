"""Writes two HDF5 model files in the exact layout of tf.keras 2.x's ``model.save("x.h5")``, checks
that Keras 3.15.1 loads them (``keras.saving.load_model``), and prints Keras 3's predictions, which
`test_legacy_h5.py` expects from kcore (copy them into the test when the files are remade).

Run from the repository root::

    KERAS_BACKEND=jax .venv/bin/python packages/kcore/tests/saving/data/make_keras2_h5.py

TensorFlow 2 cannot be installed next to Keras 3 here, so the files are written with h5py, as
tf.keras's ``hdf5_format.save_model_to_hdf5`` writes them:

- ``keras2_sequential.h5``: tf.keras 2.13.1. Root attributes ``keras_version``, ``backend``
  (``"tensorflow"``) and ``model_config`` (JSON bytes: ``{"class_name": "Sequential", ...}`` whose
  layers have no ``module``, an ``InputLayer`` and a first ``Dense`` with ``batch_input_shape``,
  initializers as tf.keras 2.13 serialized them, a BatchNormalization ``axis`` saved as a list
  as built tf.keras layers did); no ``training_config`` (saved uncompiled). The group
  ``model_weights`` (attributes ``layer_names``, ``backend``, ``keras_version``) holds one group per
  layer of ``model.layers`` (no InputLayer in a Sequential's) with the attribute ``weight_names``
  (``"dense/kernel:0"``...) and the datasets at those names, plus ``top_level_model_weights``.
- ``keras2_functional.h5``: tf.keras 2.2 (``keras_version`` ``"2.3.0-tf"``), a functional model
  saved under ``class_name: "Model"`` with ``inbound_nodes`` in the list-of-lists format,
  initializers as ``{"class_name": "GlorotUniform", "config": {"seed": null}}``, ``dtype`` strings,
  Keras 2's LSTM and Embedding configs (``time_major``, ``input_length``, ``batch_input_shape``),
  fixed-length string attributes (h5py 2.x), compiled: ``training_config`` with a per-output loss
  dict and an OptimizerV2 Adam config (``decay``...). Its optimizer state is left out to keep the
  file small (the test adds OptimizerV2's to a copy).
"""

import json
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def _path(name):
    return os.path.join(HERE, name)


def _initializer_213(class_name, **config):
    return {
        "module": "keras.initializers",
        "class_name": class_name,
        "config": config,
        "registered_name": None,
    }


def _initializer_22(class_name, **config):
    return {"class_name": class_name, "config": config}


def _regularizers(*names):
    return {name: None for name in names}


def _write_weights(group, layer_names, weights, fixed_length, top_level):
    """``weights``: {layer name: [(weight name, array)]} in `layer.weights` legacy order."""

    def strings(values):
        return np.array(values, dtype="S") if fixed_length and values else values

    group.attrs["layer_names"] = strings([name.encode("utf8") for name in layer_names])
    group.attrs["backend"] = b"tensorflow"
    group.attrs["keras_version"] = group.file.attrs["keras_version"].encode("utf8")
    names = list(layer_names) + (["top_level_model_weights"] if top_level else [])
    for name in names:
        layer_group = group.create_group(name)
        entries = weights.get(name, [])
        layer_group.attrs["weight_names"] = strings([n.encode("utf8") for n, _ in entries])
        for weight_name, value in entries:
            dataset = layer_group.create_dataset(weight_name, value.shape, dtype=value.dtype)
            dataset[()] = value


def _random(rng, *shape, positive=False):
    value = rng.normal(size=shape).astype("float32") * 0.5
    return np.abs(value) + 0.5 if positive else value


def sequential():
    rng = np.random.default_rng(7)
    glorot = _initializer_213("GlorotUniform", seed=None)
    zeros = _initializer_213("Zeros")
    ones = _initializer_213("Ones")
    dense = {
        "name": "dense",
        "trainable": True,
        "batch_input_shape": [None, 4],
        "dtype": "float32",
        "units": 5,
        "activation": "relu",
        "use_bias": True,
        "kernel_initializer": glorot,
        "bias_initializer": zeros,
        **_regularizers("kernel_regularizer", "bias_regularizer", "activity_regularizer"),
        **_regularizers("kernel_constraint", "bias_constraint"),
    }
    batch_norm = {
        "name": "batch_normalization",
        "trainable": True,
        "dtype": "float32",
        "axis": [1],
        "momentum": 0.99,
        "epsilon": 0.001,
        "center": True,
        "scale": True,
        "beta_initializer": zeros,
        "gamma_initializer": ones,
        "moving_mean_initializer": zeros,
        "moving_variance_initializer": ones,
        **_regularizers("beta_regularizer", "gamma_regularizer"),
        **_regularizers("beta_constraint", "gamma_constraint"),
    }
    dropout = {
        "name": "dropout",
        "trainable": True,
        "dtype": "float32",
        "rate": 0.3,
        "noise_shape": None,
        "seed": None,
    }
    dense_1 = {**dense, "name": "dense_1", "units": 2, "activation": "linear"}
    del dense_1["batch_input_shape"]
    input_layer = {
        "batch_input_shape": [None, 4],
        "dtype": "float32",
        "sparse": False,
        "ragged": False,
        "name": "dense_input",
    }
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "layers": [
                {"class_name": "InputLayer", "config": input_layer},
                {"class_name": "Dense", "config": dense},
                {"class_name": "BatchNormalization", "config": batch_norm},
                {"class_name": "Dropout", "config": dropout},
                {"class_name": "Dense", "config": dense_1},
            ],
        },
    }
    weights = {
        "dense": [("dense/kernel:0", _random(rng, 4, 5)), ("dense/bias:0", _random(rng, 5))],
        "batch_normalization": [
            ("batch_normalization/gamma:0", _random(rng, 5, positive=True)),
            ("batch_normalization/beta:0", _random(rng, 5)),
            ("batch_normalization/moving_mean:0", _random(rng, 5)),
            ("batch_normalization/moving_variance:0", _random(rng, 5, positive=True)),
        ],
        "dense_1": [
            ("dense_1/kernel:0", _random(rng, 5, 2)),
            ("dense_1/bias:0", _random(rng, 2)),
        ],
    }
    with h5py.File(_path("keras2_sequential.h5"), "w") as f:
        f.attrs["keras_version"] = "2.13.1"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
        _write_weights(
            f.create_group("model_weights"),
            ["dense", "batch_normalization", "dropout", "dense_1"],
            weights,
            fixed_length=False,
            top_level=True,
        )


def _node(*sources):
    return [[[name, 0, 0, {}] for name in sources]]


def functional():
    rng = np.random.default_rng(8)
    glorot = _initializer_22("GlorotUniform", seed=None)
    zeros = _initializer_22("Zeros")
    base = {"trainable": True, "dtype": "float32"}
    layers = [
        {
            "class_name": "InputLayer",
            "config": {
                "batch_input_shape": [None, 6],
                "dtype": "int32",
                "sparse": False,
                "ragged": False,
                "name": "tokens",
            },
            "name": "tokens",
            "inbound_nodes": [],
        },
        {
            "class_name": "InputLayer",
            "config": {
                "batch_input_shape": [None, 5, 5, 2],
                "dtype": "float32",
                "sparse": False,
                "ragged": False,
                "name": "image",
            },
            "name": "image",
            "inbound_nodes": [],
        },
        {
            "class_name": "Embedding",
            "config": {
                "name": "embedding",
                "trainable": True,
                "batch_input_shape": [None, None],
                "dtype": "float32",
                "input_dim": 12,
                "output_dim": 3,
                "embeddings_initializer": _initializer_22(
                    "RandomUniform", minval=-0.05, maxval=0.05, seed=None
                ),
                "embeddings_regularizer": None,
                "activity_regularizer": None,
                "embeddings_constraint": None,
                "mask_zero": False,
                "input_length": None,
            },
            "name": "embedding",
            "inbound_nodes": _node("tokens"),
        },
        {
            "class_name": "Conv2D",
            "config": {
                "name": "conv2d",
                **base,
                "filters": 3,
                "kernel_size": [3, 3],
                "strides": [1, 1],
                "padding": "valid",
                "data_format": "channels_last",
                "dilation_rate": [1, 1],
                "activation": "relu",
                "use_bias": True,
                "kernel_initializer": glorot,
                "bias_initializer": zeros,
                **_regularizers("kernel_regularizer", "bias_regularizer", "activity_regularizer"),
                **_regularizers("kernel_constraint", "bias_constraint"),
            },
            "name": "conv2d",
            "inbound_nodes": _node("image"),
        },
        {
            "class_name": "LSTM",
            "config": {
                "name": "lstm",
                **base,
                "return_sequences": False,
                "return_state": False,
                "go_backwards": False,
                "stateful": False,
                "unroll": False,
                "time_major": False,
                "units": 4,
                "activation": "tanh",
                "recurrent_activation": "sigmoid",
                "use_bias": True,
                "kernel_initializer": glorot,
                "recurrent_initializer": _initializer_22("Orthogonal", gain=1.0, seed=None),
                "bias_initializer": zeros,
                "unit_forget_bias": True,
                **_regularizers("kernel_regularizer", "recurrent_regularizer"),
                **_regularizers("bias_regularizer", "activity_regularizer"),
                **_regularizers("kernel_constraint", "recurrent_constraint", "bias_constraint"),
                "dropout": 0.0,
                "recurrent_dropout": 0.0,
                "implementation": 2,
            },
            "name": "lstm",
            "inbound_nodes": _node("embedding"),
        },
        {
            "class_name": "Flatten",
            "config": {"name": "flatten", **base, "data_format": "channels_last"},
            "name": "flatten",
            "inbound_nodes": _node("conv2d"),
        },
        {
            "class_name": "Concatenate",
            "config": {"name": "concatenate", **base, "axis": -1},
            "name": "concatenate",
            "inbound_nodes": _node("lstm", "flatten"),
        },
    ]
    for name, units, activation, source in (
        ("score", 1, "sigmoid", "lstm"),
        ("logits", 3, "linear", "concatenate"),
    ):
        layers.append(
            {
                "class_name": "Dense",
                "config": {
                    "name": name,
                    **base,
                    "units": units,
                    "activation": activation,
                    "use_bias": True,
                    "kernel_initializer": glorot,
                    "bias_initializer": zeros,
                    **_regularizers(
                        "kernel_regularizer", "bias_regularizer", "activity_regularizer"
                    ),
                    **_regularizers("kernel_constraint", "bias_constraint"),
                },
                "name": name,
                "inbound_nodes": _node(source),
            }
        )
    config = {
        "class_name": "Model",
        "config": {
            "name": "model",
            "layers": layers,
            "input_layers": [["tokens", 0, 0], ["image", 0, 0]],
            "output_layers": [["score", 0, 0], ["logits", 0, 0]],
        },
    }
    training_config = {
        "loss": {"score": "binary_crossentropy", "logits": "mean_squared_error"},
        "metrics": None,
        "weighted_metrics": None,
        "loss_weights": None,
        "sample_weight_mode": None,
        "optimizer_config": {
            "class_name": "Adam",
            "config": {
                "name": "Adam",
                "learning_rate": 0.0010000000474974513,
                "decay": 0.0,
                "beta_1": 0.8999999761581543,
                "beta_2": 0.9990000128746033,
                "epsilon": 1e-07,
                "amsgrad": False,
            },
        },
    }
    weights = {
        "embedding": [("embedding/embeddings:0", _random(rng, 12, 3))],
        "conv2d": [
            ("conv2d/kernel:0", _random(rng, 3, 3, 2, 3)),
            ("conv2d/bias:0", _random(rng, 3)),
        ],
        "lstm": [
            ("lstm/lstm_cell/kernel:0", _random(rng, 3, 16)),
            ("lstm/lstm_cell/recurrent_kernel:0", _random(rng, 4, 16)),
            ("lstm/lstm_cell/bias:0", _random(rng, 16)),
        ],
        "score": [("score/kernel:0", _random(rng, 4, 1)), ("score/bias:0", _random(rng, 1))],
        "logits": [("logits/kernel:0", _random(rng, 31, 3)), ("logits/bias:0", _random(rng, 3))],
    }
    with h5py.File(_path("keras2_functional.h5"), "w") as f:
        f.attrs["keras_version"] = "2.3.0-tf"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
        f.attrs["training_config"] = json.dumps(training_config).encode("utf8")
        _write_weights(
            f.create_group("model_weights"),
            [layer["name"] for layer in layers],
            weights,
            fixed_length=True,
            top_level=False,
        )


def _without_time_major(filepath):
    import shutil
    import tempfile

    copy = os.path.join(tempfile.mkdtemp(), "keras2_functional.h5")
    shutil.copy(filepath, copy)
    with h5py.File(copy, "r+") as f:
        config = json.loads(f.attrs["model_config"])
        for layer in config["config"]["layers"]:
            layer["config"].pop("time_major", None)
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
    return copy


def check_in_keras():
    import keras

    assert keras.__version__ == "3.15.1", keras.__version__
    model = keras.saving.load_model(_path("keras2_sequential.h5"))
    x = (np.arange(8, dtype="float32").reshape(2, 4) - 4) / 3
    print("keras2 sequential:", json.dumps(model.predict(x, verbose=0).tolist()))
    try:
        keras.saving.load_model(_path("keras2_functional.h5"))
    except ValueError as error:
        # Keras 3 refuses the `time_major` argument of Keras 2's LSTM config (kcore drops it
        # when False): check the rest with a copy of the file whose LSTM config lacks it.
        assert "time_major" in str(error), error
    model = keras.saving.load_model(_without_time_major(_path("keras2_functional.h5")))
    tokens = np.array([[1, 2, 3, 4, 5, 6], [11, 0, 7, 7, 2, 9]], "int32")
    image = (np.arange(100, dtype="float32").reshape(2, 5, 5, 2) - 50) / 40
    score, logits = model.predict([tokens, image], verbose=0)
    print("keras2 functional score:", json.dumps(score.tolist()))
    print("keras2 functional logits:", json.dumps(logits.tolist()))
    print("keras2 functional optimizer:", type(model.optimizer).__name__, model.loss)


if __name__ == "__main__":
    sequential()
    functional()
    check_in_keras()
