"""`kcore.saving`: Keras 3's config format, registration, custom objects, safety."""

import json
import sys
import warnings

import numpy as np
import pytest
from conftest import run_python

import kcore
from kcore import activations, initializers, ops, saving
from kcore.saving import object_registration


@pytest.fixture(autouse=True)
def _clean_registry():
    before = dict(object_registration._GLOBAL_CUSTOM_OBJECTS)
    names = dict(object_registration._GLOBAL_CUSTOM_NAMES)
    yield
    object_registration._GLOBAL_CUSTOM_OBJECTS.clear()
    object_registration._GLOBAL_CUSTOM_OBJECTS.update(before)
    object_registration._GLOBAL_CUSTOM_NAMES.clear()
    object_registration._GLOBAL_CUSTOM_NAMES.update(names)


class Scale:
    """A custom serializable class, not registered."""

    def __init__(self, factor=2.0, inner=None):
        self.factor = factor
        self.inner = inner

    def get_config(self):
        return {"factor": self.factor, "inner": saving.serialize_keras_object(self.inner)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["inner"] = saving.deserialize_keras_object(config["inner"])
        return cls(**config)


def test_builtin_config_is_keras_format_and_json():
    config = saving.serialize_keras_object(initializers.GlorotUniform(seed=3))
    assert config == {
        "module": "keras.initializers",
        "class_name": "GlorotUniform",
        "config": {"seed": 3, "input_axes": None, "output_axes": None},
        "registered_name": None,
    }
    assert saving.deserialize_keras_object(json.loads(json.dumps(config))).seed == 3


@pytest.mark.parametrize(
    "module",
    [
        "keras.initializers",
        "kcore.initializers",
        "keras.src.initializers.random_initializers",
        "kcore.initializers.random_initializers",
    ],
)
def test_builtin_module_names_accepted(module):
    config = {
        "module": module,
        "class_name": "HeNormal",
        "config": {"seed": 1},
        "registered_name": None,
    }
    assert isinstance(saving.deserialize_keras_object(config), initializers.HeNormal)


@pytest.mark.parametrize(
    "module",
    ["keras.optimizers", "keras.src.backend.torch.optimizers.torch_adam"],
)
def test_optimizer_module_names_of_keras_backends_accepted(module):
    # Keras on torch saves Adam under its torch class's module.
    config = {"module": module, "class_name": "Adam", "config": {"learning_rate": 0.5}}
    config["registered_name"] = "Adam" if "src" in module else None
    optimizer = saving.deserialize_keras_object(config)
    assert type(optimizer).__name__ == "Adam"
    assert float(optimizer.learning_rate) == 0.5


def test_functions_serialize_as_keras_does():
    assert saving.serialize_keras_object(activations.relu) == {
        "module": "builtins",
        "class_name": "function",
        "config": "relu",
        "registered_name": "function",
    }
    for config in (
        {
            "module": "builtins",
            "class_name": "function",
            "config": "relu",
            "registered_name": "function",
        },
        {
            "module": "keras.activations",
            "class_name": "function",
            "config": "relu",
            "registered_name": "relu",
        },
        {
            "module": "keras.src.activations.activations",
            "class_name": "function",
            "config": "relu",
            "registered_name": None,
        },
    ):
        assert saving.deserialize_keras_object(config) is activations.relu


def test_plain_values_and_special_types_round_trip():
    value = {
        "a": [1, 2.5, "x", None, True],
        "t": (1, 2),
        "b": b"bytes",
        "s": slice(1, None, 2),
        "e": Ellipsis,
        "np": np.arange(6, dtype="int32").reshape(2, 3),
        "scalar": np.float32(1.5),
    }
    config = saving.serialize_keras_object(value)
    json.dumps(config)
    restored = saving.deserialize_keras_object(config)
    assert restored["a"] == [1, 2.5, "x", None, True]
    assert restored["b"] == b"bytes" and restored["s"] == slice(1, None, 2)
    assert restored["e"] is Ellipsis and restored["scalar"] == 1.5
    np.testing.assert_array_equal(restored["np"], value["np"])
    assert restored["np"].dtype == np.int32


def test_tensor_and_keras_tensor_round_trip():
    tensor = ops.convert_to_tensor([[1.0, 2.0]], dtype="float16")
    restored = saving.deserialize_keras_object(saving.serialize_keras_object(tensor))
    np.testing.assert_array_equal(ops.convert_to_numpy(restored), [[1.0, 2.0]])
    assert kcore.backend.standardize_dtype(restored.dtype) == "float16"
    symbolic = kcore.KerasTensor((None, 3), dtype="int32")
    config = saving.serialize_keras_object(symbolic)
    assert config["class_name"] == "__keras_tensor__"
    restored = saving.deserialize_keras_object(config)
    assert restored.shape == (None, 3) and restored.dtype == "int32"


def test_registered_custom_class_round_trips():
    Registered = saving.register_keras_serializable(package="my_pkg")(
        type("Registered", (Scale,), {})
    )
    assert saving.get_registered_name(Registered) == "my_pkg>Registered"
    assert saving.get_registered_object("my_pkg>Registered") is Registered
    assert saving.get_custom_objects()["my_pkg>Registered"] is Registered
    obj = Registered(factor=3.0, inner=initializers.Ones())
    config = saving.serialize_keras_object(obj)
    assert config["registered_name"] == "my_pkg>Registered"
    assert config["class_name"] == "Registered"
    assert config["config"]["inner"]["class_name"] == "Ones"
    restored = saving.deserialize_keras_object(json.loads(json.dumps(config)))
    assert type(restored) is Registered and restored.factor == 3.0
    assert isinstance(restored.inner, initializers.Ones)


def test_registration_with_name_and_functions():
    @saving.register_keras_serializable(package="pkg", name="triple")
    def times_three(x):
        return x * 3

    assert saving.get_registered_name(times_three) == "pkg>triple"
    assert saving.get_registered_object("pkg>triple") is times_three
    with pytest.raises(ValueError, match="get_config"):
        saving.register_keras_serializable()(type("NoConfig", (), {}))


def test_custom_class_needs_custom_objects_or_scope():
    config = saving.serialize_keras_object(Scale(factor=5.0))
    assert config["module"] == __name__
    assert config["registered_name"] == "Scale"
    with pytest.raises(TypeError, match="register_keras_serializable") as error:
        saving.deserialize_keras_object(config)
    assert "custom_objects" in str(error.value)
    restored = saving.deserialize_keras_object(config, custom_objects={"Scale": Scale})
    assert isinstance(restored, Scale) and restored.factor == 5.0
    with saving.CustomObjectScope({"Scale": Scale}):
        assert saving.deserialize_keras_object(config).factor == 5.0
        assert saving.get_registered_object("Scale") is Scale
    assert saving.get_registered_object("Scale") is None
    assert saving.custom_object_scope is saving.CustomObjectScope


def test_custom_objects_reach_nested_from_config():
    config = saving.serialize_keras_object(Scale(inner=Scale(factor=7.0)))
    restored = saving.deserialize_keras_object(config, custom_objects={"Scale": Scale})
    assert restored.inner.factor == 7.0


def test_get_registered_object_lookup_order():
    marker_scope, marker_custom, marker_module = object(), object(), object()
    assert saving.get_registered_object("x", module_objects={"x": marker_module}) is marker_module
    assert (
        saving.get_registered_object(
            "x", custom_objects={"x": marker_custom}, module_objects={"x": marker_module}
        )
        is marker_custom
    )
    with saving.custom_object_scope({"x": marker_scope}):
        assert (
            saving.get_registered_object("x", custom_objects={"x": marker_custom}) is marker_scope
        )


def test_unknown_builtin_class_names_kcore_module():
    config = {
        "module": "keras.initializers",
        "class_name": "Nope",
        "config": {},
        "registered_name": None,
    }
    with pytest.raises(TypeError, match="Could not locate class 'Nope'") as error:
        saving.deserialize_keras_object(config)
    assert "kcore.initializers" in str(error.value)
    with pytest.raises(TypeError, match="Could not locate"):
        saving.deserialize_keras_object({**config, "module": "keras.no_such_module"})


def test_non_kcore_module_is_never_imported(tmp_path, monkeypatch):
    marker = tmp_path / "imported.txt"
    (tmp_path / "evil_module_for_kcore_test.py").write_text(
        f"open({str(marker)!r}, 'w').close()\nclass Evil:\n    pass\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    config = {
        "module": "evil_module_for_kcore_test",
        "class_name": "Evil",
        "config": {},
        "registered_name": "Evil",
    }
    with pytest.raises(TypeError, match="never imports") as error:
        saving.deserialize_keras_object(config)
    assert "evil_module_for_kcore_test" in str(error.value)
    assert not marker.exists()
    assert "evil_module_for_kcore_test" not in sys.modules


def test_kcore_internals_are_not_loadable_by_name():
    config = {"module": "keras.backend", "class_name": "function", "config": "activate"}
    with pytest.raises(TypeError, match="Could not locate function 'activate'"):
        saving.deserialize_keras_object(config)


def test_lambda_is_refused_in_safe_mode():
    with pytest.warns(UserWarning, match="lambda"):
        config = saving.serialize_keras_object(lambda x: x * 2 + 1)
    assert config["class_name"] == "__lambda__"
    config = json.loads(json.dumps(config))
    with pytest.raises(ValueError, match="safe_mode=False"):
        saving.deserialize_keras_object(config)
    with pytest.raises(ValueError, match="safe_mode=False"):
        activations.deserialize(config)
    function = saving.deserialize_keras_object(config, safe_mode=False)
    assert function(4) == 9
    with saving.SafeModeScope(True):
        with pytest.raises(ValueError, match="safe_mode=False"):
            saving.deserialize_keras_object(config, safe_mode=False)


def test_from_config_errors_are_explained():
    class Broken:
        def get_config(self):
            return {"unexpected": 1}

        @classmethod
        def from_config(cls, config):
            return cls(**config)

    config = saving.serialize_keras_object(Broken())
    with pytest.raises(TypeError, match="could not be deserialized"):
        saving.deserialize_keras_object(config, custom_objects={"Broken": Broken})

    class NotADict:
        def get_config(self):
            return [1]

    with pytest.raises(TypeError, match="must return a dict"):
        saving.serialize_keras_object(NotADict())
    with pytest.raises(TypeError, match="get_config"):
        saving.serialize_keras_object(object())


def test_build_and_compile_configs_are_replayed():
    class Buildable:
        def __init__(self):
            self.built = False
            self.calls = []

        def get_config(self):
            return {}

        @classmethod
        def from_config(cls, config):
            return cls()

        def get_build_config(self):
            return {"input_shape": [None, 3]}

        def build_from_config(self, config):
            self.calls.append(("build", config))

        def get_compile_config(self):
            return {"loss": "mse"}

        def compile_from_config(self, config):
            self.calls.append(("compile", config))

    config = saving.serialize_keras_object(Buildable())
    assert config["build_config"] == {"input_shape": [None, 3]}
    restored = saving.deserialize_keras_object(config, custom_objects={"Buildable": Buildable})
    assert restored.calls == [("build", {"input_shape": [None, 3]}), ("compile", {"loss": "mse"})]
    assert restored.built and restored.compiled


def test_object_sharing_scope():
    shared = initializers.Ones()
    with saving.ObjectSharingScope():
        config = saving.serialize_keras_object([shared, shared, initializers.Zeros()])
    assert config[0]["shared_object_id"] == config[1]["shared_object_id"]
    assert "shared_object_id" not in config[2]
    with saving.ObjectSharingScope():
        restored = saving.deserialize_keras_object(config)
    assert restored[0] is restored[1] and restored[0] is not restored[2]


def test_plugin_registered_names_resolve(monkeypatch):
    class FromPlugin(Scale):
        pass

    def get_object(name):
        if name == "plugin_pkg>FromPlugin":
            return FromPlugin
        raise KeyError(name)

    monkeypatch.setattr(kcore.plugins, "get_object", get_object)
    config = {
        "module": "plugin_pkg.layers",
        "class_name": "FromPlugin",
        "config": {"factor": 4.0, "inner": None},
        "registered_name": "plugin_pkg>FromPlugin",
    }
    restored = saving.deserialize_keras_object(config)
    assert type(restored) is FromPlugin and restored.factor == 4.0


def test_installed_plugin_object_resolves_without_custom_objects(plugin_site):
    code = (
        "import kcore\n"
        "config = {'module': 'toy_backend.layers', 'class_name': 'Scale', 'config': {},"
        " 'registered_name': 'toy>Scale'}\n"
        "try:\n"
        "    kcore.saving.deserialize_keras_object(config)\n"
        "except TypeError as error:\n"
        "    print(error)\n"
    )
    result = run_python(code, site=plugin_site)
    assert result.returncode == 0, result.stderr
    # The toy plugin's stand-in class was found; it only lacks `from_config`.
    assert "Scale has no `from_config()`" in result.stdout


def test_keras_export_marks_only_the_decorated_class():
    class MyOnes(initializers.Ones):
        pass

    config = saving.serialize_keras_object(MyOnes())
    assert config["module"] == __name__ and config["registered_name"] == "MyOnes"
    with pytest.raises(ValueError, match="Keras module path"):
        saving.keras_export("mypackage.layers")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert saving.serialize_keras_object(initializers.Ones())["registered_name"] is None


def _config_method(self):
    return {}


def test_keras_module_attribute_counts_for_kcore_classes_only():
    kcore_class = type(
        "Fake", (), {"__module__": "kcore.layers.fake", "_keras_module": "keras.layers"}
    )
    kcore_class.get_config = _config_method
    assert saving.serialize_keras_object(kcore_class())["module"] == "keras.layers"
    assert saving.serialize_keras_object(kcore_class())["registered_name"] is None
    internal = type("Functionalish", (kcore_class,), {"__module__": "kcore.models.fake"})
    internal._keras_module = "keras.src.models.functional"
    config = saving.serialize_keras_object(internal())
    assert config["module"] == "keras.src.models.functional"
    assert config["registered_name"] == "Functionalish"
    user_class = type("UserFake", (kcore_class,), {})
    config = saving.serialize_keras_object(user_class())
    assert config["module"] == __name__ and config["registered_name"] == "UserFake"
