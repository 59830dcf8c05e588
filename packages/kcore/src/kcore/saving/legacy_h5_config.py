"""Legacy model configs: the old layout of `.h5` files (Keras 2's, and Keras 3's when it writes
`.h5`) turned into Keras 3's and back. `kcore.saving.legacy_h5` reads and writes the files.

Old layout: a layer is ``{"class_name": "Dense", "config": {...}}`` without ``module``; a
Functional model's layers add ``name`` and ``inbound_nodes`` (Keras 2: ``[[["layer", 0, 0, {}]]]``,
Keras 3: ``{"args": [...], "kwargs": {...}}``); Keras 2's configs also hold ``batch_input_shape``,
an ``axis`` saved as a one-item list, ``Model`` as the class of a functional model, lambdas as a
``[code, defaults, closure]`` list, ``time_major``, mixed-precision ``Policy`` dicts and
OptimizerV2 options (``decay``...). Conversions follow Keras 3's ``legacy/saving`` code; a class
is found by name (built-in layers in `kcore.layers`, others in ``custom_objects`` or registered),
never by importing a module named in the file.
"""

from __future__ import annotations

import warnings

_FUNCTIONAL = ("keras.src.models.functional", "Functional", "Functional")
_SEQUENTIAL = ("keras", "Sequential", None)
_CUDNN = ("CuDNNLSTM", "CuDNNGRU")
_LAMBDA_LEGACY_KEYS = ("module", "function_type", "output_shape_type", "output_shape_module")
_NESTED_LAYER_KEYS = ("layer", "backward_layer", "forward_layer", "cell")
_OPTIMIZER_V2_KEYS = ("is_legacy_optimizer", "jit_compile")


def _is_model_entry(entry) -> bool:
    return entry.get("class_name") in ("Sequential", "Functional") and isinstance(
        entry.get("config", {}).get("layers"), list
    )


def legacy_model_config(config: dict) -> dict:
    """A model's config (Keras 3's) with its layers in the old layout, as Keras 3 writes them in
    `.h5` files: no ``module``, ``registered_name`` or ``build_config``, nested models alike
    (references to a nested Functional model's calls are numbered as in `.keras` configs)."""
    config = dict(config)
    layers = []
    for entry in config["layers"]:
        inner = entry["config"]
        if _is_model_entry(entry):
            inner = legacy_model_config(inner)
        legacy = {"class_name": entry.get("registered_name") or _python_name(entry)}
        legacy["config"] = inner
        for key in ("name", "inbound_nodes"):
            if key in entry:
                legacy[key] = entry[key]
        layers.append(legacy)
    config["layers"] = layers
    return config


def _python_name(entry) -> str:
    """The name the old layout gives a built-in layer: its Python class name, which can differ
    from the name it is exported and saved under (``GroupedQueryAttention``, saved in `.keras`
    files as ``GroupQueryAttention``)."""
    name = entry["class_name"]
    if str(entry.get("module", "")).startswith("keras.layers"):
        from kcore import layers

        cls = getattr(layers, name, None)
        if isinstance(cls, type):
            return cls.__name__
    return name


def legacy_object(value):
    """Compile arguments as Keras's legacy serialization writes them: objects as
    ``{"class_name", "config"}``, functions by name, plain values as they are."""
    from kcore.saving.object_registration import get_registered_name

    if isinstance(value, dict):
        return {k: legacy_object(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [legacy_object(v) for v in value]
    if hasattr(value, "get_config") and not isinstance(value, type):
        return {"class_name": get_registered_name(type(value)), "config": value.get_config()}
    if callable(value) and hasattr(value, "__name__"):
        return get_registered_name(value)
    return value


class Upgrader:
    """Turns a legacy model config (Keras 2's or Keras 3's `.h5` layout) into the config Keras 3
    writes in `.keras` files, which `deserialize_keras_object` reads."""

    def __init__(self, custom_objects, version: str):
        self.custom_objects = custom_objects or {}
        # Keras 2's Sequential was a Functional model: its first call is its node 1.
        self.sequential_is_functional = version.split(".")[0] in ("1", "2")

    def entry(self, entry) -> dict:
        if not isinstance(entry, dict) or "class_name" not in entry:
            raise ValueError(f"Invalid layer config in the model config: {str(entry)[:200]}")
        class_name = entry["class_name"]
        if class_name in _CUDNN:
            raise ValueError(
                f"The model uses Keras 2's {class_name} layer (named "
                f"{entry.get('name') or entry.get('config', {}).get('name')!r}), which neither "
                "Keras 3 nor kcore supports. Rebuild the model with "
                f"{class_name[5:]} and convert its weights with Keras 2."
            )
        config = entry.get("config")
        if class_name == "Sequential" and isinstance(config, list):  # Keras 2.0's layout
            config = {"name": "sequential", "layers": config}
        if not isinstance(config, dict):
            raise ValueError(f"Invalid config for a {class_name!r} layer: {str(config)[:200]}")
        result = {k: v for k, v in entry.items() if k != "__passive_serialization__"}
        if "module" not in entry:
            result.update(self._resolve(class_name))
        if class_name == "Sequential" or result.get("class_name") == "Sequential":
            result["config"] = self._sequential(config)
        elif "layers" in config and "input_layers" in config and "output_layers" in config:
            result["config"] = self._functional(config)
        else:
            result["config"] = self._layer(class_name, config)
        return result

    def _resolve(self, class_name) -> dict:
        from kcore import layers
        from kcore.saving.object_registration import get_registered_object

        if get_registered_object(class_name, custom_objects=self.custom_objects) is not None:
            return {}  # found by name when deserialized
        if class_name in ("Functional", "Model"):
            module, name, registered = _FUNCTIONAL
        elif class_name == "Sequential":
            module, name, registered = _SEQUENTIAL
        else:
            cls = getattr(layers, class_name, None)
            if not (isinstance(cls, type) and issubclass(cls, layers.Layer)):
                raise TypeError(
                    f"Unknown layer class {class_name!r} in the model config of this `.h5` file. "
                    "kcore never imports code named in a file: if it is a custom layer, pass it "
                    f"in `custom_objects={{{class_name!r}: YourLayer}}` or register it with "
                    "`@kcore.saving.register_keras_serializable()`."
                )
            module, name, registered = "keras.layers", class_name, None
        return {"module": module, "class_name": name, "registered_name": registered}

    def _starts_with_node(self, entry) -> bool:
        name = entry.get("class_name")
        if name in ("Functional", "Model"):
            return True
        return name == "Sequential" and self.sequential_is_functional

    def _functional(self, config) -> dict:
        config = dict(config)
        nested = {entry.get("name") for entry in config["layers"] if self._starts_with_node(entry)}
        layers = []
        for entry in config["layers"]:
            upgraded = self.entry(entry)
            upgraded["inbound_nodes"] = [
                self._node(node, nested) for node in entry.get("inbound_nodes", [])
            ]
            layers.append(upgraded)
        config["layers"] = layers
        # Keras 2's Sequential was a Functional model (with a node of its own, so references to
        # its calls count from 1); kcore's Sequential is not, so those references move to 0. A
        # Functional model's stay as they are: `Functional.from_config` reads them as Keras does.
        sequential = {
            entry.get("name")
            for entry in config["layers"]
            if entry.get("class_name") == "Sequential" and self._starts_with_node(entry)
        }
        for key in ("input_layers", "output_layers"):
            config[key] = _shift_references(config[key], sequential, -1)
        return config

    @staticmethod
    def _node(node, nested) -> dict:
        """Keras 3's inbound node as it is; Keras 2's ``[[layer, node, tensor, kwargs], ...]``
        in Keras 3's format, with a nested model's calls counted from 0 (Keras 2 counted the
        model's own node first)."""
        if isinstance(node, dict):
            return node
        tensors, kwargs = [], {}
        for item in node:
            name, node_index, tensor_index = item[0], item[1], item[2]
            if len(item) > 3:
                kwargs = item[3] or {}
            offset = 1 if name in nested else 0
            tensors.append(
                {
                    "class_name": "__keras_tensor__",
                    "config": {
                        "shape": None,
                        "dtype": None,
                        "keras_history": [name, node_index - offset, tensor_index],
                    },
                }
            )
        return {"args": [tensors[0] if len(tensors) == 1 else tensors], "kwargs": kwargs}

    def _sequential(self, config) -> dict:
        config = dict(config)
        entries = list(config.get("layers", []))
        if entries and entries[0].get("class_name") != "InputLayer":
            first = entries[0].get("config", {})
            if isinstance(first, dict) and first.get("batch_input_shape") is not None:
                input_config = {"batch_shape": first["batch_input_shape"]}
                if isinstance(first.get("dtype"), str):
                    input_config["dtype"] = first["dtype"]
                entries.insert(0, {"class_name": "InputLayer", "config": input_config})
        config["layers"] = [self.entry(entry) for entry in entries]
        return config

    def _layer(self, class_name, config) -> dict:
        config = {k: v for k, v in config.items() if k != "__passive_serialization__"}
        batch_input_shape = config.pop("batch_input_shape", None)
        if class_name == "InputLayer":
            if batch_input_shape is not None and "batch_shape" not in config:
                config["batch_shape"] = batch_input_shape
            if config.pop("ragged", False):
                raise ValueError(
                    f"The input layer {config.get('name')!r} takes ragged tensors, which kcore "
                    "does not support."
                )
        if "time_major" in config:
            if config.pop("time_major"):
                raise ValueError(
                    f"The {class_name} layer {config.get('name')!r} was saved with "
                    "`time_major=True`, which Keras 3 and kcore do not support."
                )
        axis = config.get("axis")
        if isinstance(axis, list) and len(axis) == 1:
            config["axis"] = int(axis[0])
        config["dtype"] = _legacy_dtype(config.get("dtype"))
        if config["dtype"] is None:
            del config["dtype"]
        if class_name == "Lambda":
            for key in _LAMBDA_LEGACY_KEYS:
                config.pop(key, None)
            function = config.get("function")
            if isinstance(function, list):
                code, defaults, closure = (list(function) + [None, None])[:3]
                config["function"] = {
                    "class_name": "__lambda__",
                    "config": {"code": code, "defaults": defaults, "closure": closure},
                }
        for key in _NESTED_LAYER_KEYS:
            if isinstance(config.get(key), dict) and "class_name" in config[key]:
                config[key] = self.entry(config[key])
        if isinstance(config.get("cells"), list):
            config["cells"] = [self.entry(cell) for cell in config["cells"]]
        return {key: _upgrade_objects(value) for key, value in config.items()}


def _legacy_dtype(dtype):
    """Keras 2 saved a mixed-precision policy as ``{"class_name": "Policy", ...}``: its name."""
    if isinstance(dtype, dict) and dtype.get("class_name") in ("Policy", "PolicyV1"):
        return dtype.get("config", {}).get("name")
    return dtype


def _upgrade_objects(value):
    """Keras 2's object configs inside a layer config (initializers...), as Keras 3 reads them."""
    if isinstance(value, list):
        return [_upgrade_objects(v) for v in value]
    if not isinstance(value, dict):
        return value
    value = {k: _upgrade_objects(v) for k, v in value.items() if k != "__passive_serialization__"}
    inner = value.get("config")
    if value.get("class_name") == "VarianceScaling" and isinstance(inner, dict):
        if inner.get("distribution") == "normal":  # Keras 2's name for a truncated normal
            value["config"] = {**inner, "distribution": "truncated_normal"}
    return value


def _shift_references(structure, nested, sign):
    """``[layer, node, tensor]`` references with the node of a nested model moved by `sign`."""
    if isinstance(structure, list) and len(structure) == 3 and isinstance(structure[0], str):
        name, node, tensor = structure
        return [name, node + sign if name in nested else node, tensor]
    if isinstance(structure, dict):
        return {k: _shift_references(v, nested, sign) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return [_shift_references(v, nested, sign) for v in structure]
    return structure


def compile_arguments(training, custom_objects) -> dict:
    from kcore import losses, metrics, optimizers
    from kcore.saving.object_registration import CustomObjectScope

    with CustomObjectScope(custom_objects or {}):
        optimizer = optimizers.deserialize(
            _legacy_optimizer_config(training["optimizer_config"]), custom_objects=custom_objects
        )
        return {
            "optimizer": optimizer,
            "loss": _nested(training.get("loss"), losses.deserialize),
            "metrics": _nested(training.get("metrics"), metrics.deserialize),
            "weighted_metrics": _nested(training.get("weighted_metrics"), metrics.deserialize),
            "loss_weights": training.get("loss_weights"),
        }


def _legacy_optimizer_config(config) -> dict:
    from kcore import optimizers

    config = dict(config)
    class_name = config.get("class_name", "")
    if class_name.startswith("Custom>") and class_name[7:].lower() in optimizers.ALL_OBJECTS_DICT:
        config["class_name"] = class_name[7:]  # tf.keras 2.11+ named its built-ins so
    inner = {k: v for k, v in (config.get("config") or {}).items() if k not in _OPTIMIZER_V2_KEYS}
    if inner.pop("decay", None):
        warnings.warn(
            "The saved optimizer has a `decay`, which Keras 3 and kcore no longer support: it is "
            "ignored.",
            stacklevel=5,
        )
    config["config"] = inner
    return config


def _nested(config, deserialize):
    """Compile arguments from a training config: names stay names (`compile` resolves them),
    object configs are deserialized, dicts and lists are walked."""
    if config is None or isinstance(config, str):
        return config
    if isinstance(config, dict) and "class_name" in config:
        inner = config.get("config")
        if isinstance(inner, dict) and inner.get("reduction") == "auto":  # Keras 2's default
            config = {**config, "config": {**inner, "reduction": "sum_over_batch_size"}}
        return deserialize(config)
    if isinstance(config, dict):
        return {k: _nested(v, deserialize) for k, v in config.items()}
    if isinstance(config, (list, tuple)):
        return [_nested(v, deserialize) for v in config]
    raise ValueError(
        "Saved training configuration not understood: expected a dict, a string, a tuple or a "
        f"list. Received: {config!r}"
    )
