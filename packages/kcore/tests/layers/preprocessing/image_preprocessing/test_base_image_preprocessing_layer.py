"""What every image preprocessing layer shares: rank 3 or 4 inputs, dict inputs, seeded draws,
data formats, training by default when called directly, inference inside models, and `fit`."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops

AUGMENTATIONS = [
    ("RandomFlip", {}),
    ("RandomRotation", {"factor": 0.2}),
    ("RandomZoom", {"height_factor": 0.3, "width_factor": (-0.2, 0.1)}),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.3}),
    ("RandomContrast", {"factor": 0.5}),
    ("RandomBrightness", {"factor": 0.3}),
    ("RandomCrop", {"height": 4, "width": 3}),
]
DETERMINISTIC = [
    ("Resizing", {"height": 4, "width": 3}),
    ("CenterCrop", {"height": 4, "width": 3}),
]
ALL = AUGMENTATIONS + DETERMINISTIC
IDS = [name for name, _ in ALL]


def _make(class_name, kwargs, **extra):
    return getattr(layers, class_name)(**kwargs, **extra)


def _images(shape=(3, 6, 5, 2), seed=0):
    return (np.random.default_rng(seed).random(shape) * 255).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.mark.parametrize(("name", "kwargs"), ALL, ids=IDS)
@pytest.mark.parametrize("shape", [(6, 5), (1, 3, 6, 5, 2)])
def test_inputs_of_rank_other_than_3_or_4_are_refused(name, kwargs, shape):
    layer = _make(name, kwargs, name="aug")
    with pytest.raises(ValueError, match=rf"'aug' \({name}\).*rank 3.*rank 4.*got shape"):
        layer(np.zeros(shape, "float32"), training=True)
    with pytest.raises(ValueError, match=r"rank 3.*rank 4"):
        layer(kcore.KerasTensor(shape))


@pytest.mark.parametrize(("name", "kwargs"), ALL, ids=IDS)
def test_one_image_is_a_batch_of_one(name, kwargs):
    images = _images((1, 6, 5, 2))
    single = _make(name, kwargs, seed=3) if name.startswith("Random") else _make(name, kwargs)
    batch = _make(name, kwargs, seed=3) if name.startswith("Random") else _make(name, kwargs)
    got = _np(single(images[0], training=True))
    np.testing.assert_allclose(got, _np(batch(images, training=True))[0], rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize(("name", "kwargs"), ALL, ids=IDS)
def test_channels_first_is_transposed_channels_last(name, kwargs):
    images = _images()
    seeded = {"seed": 5} if name.startswith("Random") else {}
    last = _make(name, kwargs, data_format="channels_last", **seeded)
    first = _make(name, kwargs, data_format="channels_first", **seeded)
    want = _np(last(images, training=True))
    got = _np(first(np.transpose(images, (0, 3, 1, 2)), training=True))
    np.testing.assert_allclose(np.transpose(got, (0, 2, 3, 1)), want, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize(("name", "kwargs"), AUGMENTATIONS, ids=[n for n, _ in AUGMENTATIONS])
def test_seeded_layers_reproduce_and_each_call_draws_anew(name, kwargs):
    images = _images()
    first, second = _make(name, kwargs, seed=11), _make(name, kwargs, seed=11)
    a1, a2 = _np(first(images, training=True)), _np(first(images, training=True))
    b1 = _np(second(images, training=True))
    np.testing.assert_array_equal(a1, b1)
    if name != "RandomCrop" and name != "RandomFlip":
        assert not np.array_equal(a1, a2)


@pytest.mark.parametrize(("name", "kwargs"), AUGMENTATIONS, ids=[n for n, _ in AUGMENTATIONS])
def test_augmentations_default_to_training_when_called_directly(name, kwargs):
    images = _images((8, 6, 5, 2))
    direct = _np(_make(name, kwargs, seed=2)(images))
    explicit = _np(_make(name, kwargs, seed=2)(images, training=True))
    np.testing.assert_array_equal(direct, explicit)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [a for a in AUGMENTATIONS if a[0] != "RandomCrop"],
    ids=[n for n, _ in AUGMENTATIONS if n != "RandomCrop"],
)
def test_augmentations_are_the_identity_in_predict(name, kwargs):
    images = _images()
    model = kcore.Sequential([kcore.Input(images.shape[1:]), _make(name, kwargs, seed=1)])
    np.testing.assert_array_equal(model.predict(images, verbose=0), images)
    np.testing.assert_array_equal(_np(model(images, training=False)), images)


def test_a_functional_model_knows_the_output_shapes():
    inputs = kcore.Input((10, 12, 3))
    x = layers.RandomCrop(8, 8)(inputs)
    x = layers.RandomFlip()(x)
    x = layers.Resizing(4, 6)(x)
    x = layers.CenterCrop(3, 3)(x)
    model = kcore.Model(inputs, layers.Rescaling(1 / 255)(x))
    assert model.output_shape == (None, 3, 3, 3)
    assert model.predict(_images((2, 10, 12, 3)), verbose=0).shape == (2, 3, 3, 3)


def test_dict_inputs_transform_images_and_masks_alike_and_keep_labels():
    images = _images((4, 6, 5, 1))
    masks = (images > 128).astype("int32")
    labels = np.arange(4, dtype="float32")
    layer = layers.RandomFlip(seed=4)
    result = layer({"images": images, "labels": labels, "segmentation_masks": masks})
    np.testing.assert_array_equal(_np(result["labels"]), labels)
    flipped_masks = _np(result["segmentation_masks"])
    assert flipped_masks.dtype == np.int32
    np.testing.assert_array_equal(flipped_masks, (_np(result["images"]) > 128).astype("int32"))


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("RandomRotation", {"factor": 0.3, "fill_mode": "constant"}),
        ("RandomCrop", {"height": 4, "width": 3}),
        ("Resizing", {"height": 8, "width": 9}),
    ],
    ids=["RandomRotation", "RandomCrop", "Resizing"],
)
def test_masks_follow_the_images_with_nearest_sampling_and_keep_their_dtype(name, kwargs):
    layer = _make(name, kwargs)
    images = _images((2, 6, 5, 1))
    masks = (images > 128).astype("int32")
    result = layer({"images": images, "segmentation_masks": masks, "extra": masks})
    got = _np(result["segmentation_masks"])
    assert got.dtype == np.int32 and got.shape[1:3] == _np(result["images"]).shape[1:3]
    assert set(np.unique(got)) <= {0, 1}
    np.testing.assert_array_equal(_np(result["extra"]), masks)
    symbolic = layer(
        {
            "images": kcore.KerasTensor((None, 6, 5, 1)),
            "segmentation_masks": kcore.KerasTensor((None, 6, 5, 1), dtype="int32"),
        }
    )
    assert symbolic["segmentation_masks"].dtype == "int32"
    assert symbolic["segmentation_masks"].shape == (None, *got.shape[1:])
    assert symbolic["images"].shape == (None, *got.shape[1:])


def test_dict_inputs_with_bounding_boxes_are_refused():
    layer = layers.RandomRotation(0.1, bounding_box_format="xyxy")
    assert layer.get_config()["bounding_box_format"] == "xyxy"
    boxes = {"boxes": np.zeros((2, 1, 4), "float32"), "labels": np.zeros((2, 1), "int32")}
    with pytest.raises(NotImplementedError, match="bounding boxes"):
        layer({"images": _images((2, 6, 5, 1)), "bounding_boxes": boxes})
    with pytest.raises(ValueError, match="'images'"):
        layer({"pictures": _images((2, 6, 5, 1))})


@pytest.mark.parametrize(("name", "kwargs"), ALL, ids=IDS)
def test_unknown_data_format_is_refused(name, kwargs):
    with pytest.raises(ValueError, match=rf"{name}: unknown `data_format` 'channels_middle'"):
        _make(name, kwargs, data_format="channels_middle")


@pytest.mark.parametrize(("name", "kwargs"), ALL, ids=IDS)
def test_integer_images_work_at_inference(name, kwargs):
    images = _images().astype("uint8")
    out = _make(name, kwargs)(images, training=False)
    assert _np(out).shape[0] == 3


@pytest.mark.needs_training
def test_an_augmenting_model_fits_and_predicts_deterministically():
    kcore.utils.set_random_seed(0)
    model = kcore.Sequential(
        [
            kcore.Input((8, 8, 3)),
            layers.RandomFlip(seed=1),
            layers.RandomRotation(0.1, seed=2),
            layers.RandomZoom(0.1, seed=3),
            layers.RandomTranslation(0.1, 0.1, seed=4),
            layers.RandomContrast(0.2, seed=5),
            layers.RandomBrightness(0.1, seed=6),
            layers.RandomCrop(6, 6, seed=7),
            layers.Rescaling(1 / 255),
            layers.Flatten(),
            layers.Dense(1),
        ]
    )
    model.compile(optimizer="sgd", loss="mse")
    x = _images((12, 8, 8, 3))
    y = x.mean(axis=(1, 2, 3))[:, None] / 255
    states = [_np(v).copy() for v in model.non_trainable_variables]
    history = model.fit(x, y, epochs=2, batch_size=5, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    # Every augmentation drew from its seed generator during fit.
    assert all(not np.array_equal(_np(v), s) for v, s in zip(model.non_trainable_variables, states))
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, verbose=0))
