"""`model.summary()`: Keras 3's table of layers, output shapes and parameter counts, drawn with rich."""

from __future__ import annotations

import numpy as np


def readable_memory_size(num_bytes: float) -> str:
    """``198.79 KB`` style sizes (powers of 1024), as Keras prints them."""
    units = ["B", "KB", "MB", "GB", "TB", "PB"]
    scale = 1024
    for unit in units:
        if num_bytes < scale or unit == units[-1]:
            return f"{num_bytes:.2f} {unit}"
        num_bytes /= scale
    return f"{num_bytes:.2f} {units[-1]}"


def weight_memory_size(weights) -> int:
    """The bytes the given variables take, each by its own dtype."""
    from kcore.backend.dtypes import standardize_dtype

    total = 0
    for w in weights:
        dtype = standardize_dtype(w.dtype)
        itemsize = 2 if dtype == "bfloat16" else np.dtype(dtype).itemsize
        total += int(np.prod(w.shape, dtype=np.int64)) * itemsize
    return total


def count_params(weights) -> int:
    return int(sum(int(np.prod(w.shape, dtype=np.int64)) for w in weights))


def _shape_text(shape) -> str:
    if shape is None:
        return "?"
    if isinstance(shape, tuple) and all(d is None or isinstance(d, int) for d in shape):
        return (
            "("
            + ", ".join("None" if d is None else str(d) for d in shape)
            + (",)" if len(shape) == 1 else ")")
        )
    if isinstance(shape, dict):
        return "{" + ", ".join(f"{k}: {_shape_text(v)}" for k, v in shape.items()) + "}"
    return "[" + ", ".join(_shape_text(s) for s in shape) + "]"


def _layer_outputs(model):
    """Each layer's output shapes and the layers it reads from, from the model's plan."""
    from kcore.models.functional import Functional
    from kcore.models.sequential import Sequential

    functional = model._functional if isinstance(model, Sequential) else model
    shapes, inbound = {}, {}
    if isinstance(functional, Functional):
        for layer in functional._input_layers:
            shapes[id(layer)] = layer.batch_shape
        node_index = {}  # Each node's index among its layer's calls, as Keras numbers them.
        calls = {}
        for node in functional._plan.nodes:
            calls[id(node.operation)] = calls.get(id(node.operation), -1) + 1
            node_index[id(node)] = calls[id(node.operation)]
            outputs = node.output_tensors
            shape = outputs[0].shape if len(outputs) == 1 else [t.shape for t in outputs]
            shapes.setdefault(id(node.operation), shape)
            sources = inbound.setdefault(id(node.operation), [])
            for tensor in node.input_tensors:
                source, index = tensor._keras_history
                name = getattr(source.operation, "name", source.operation)
                sources.append(f"{name}[{node_index.get(id(source), 0)}][{index}]")
    return shapes, inbound


def _is_sequential_like(model, inbound) -> bool:
    from kcore.models.sequential import Sequential

    if isinstance(model, Sequential) or not inbound:
        return True
    return all(len(sources) <= 1 for sources in inbound.values()) and len(model.inputs) == 1


def print_summary(
    model,
    line_length=None,
    positions=None,
    print_fn=None,
    expand_nested=False,
    show_trainable=False,
    layer_range=None,
):
    """Prints `model`'s summary table (see `Model.summary`)."""
    import rich.box
    import rich.console
    import rich.table

    from kcore.layers.core.input_layer import InputLayer
    from kcore.models.sequential import Sequential

    shapes, inbound = _layer_outputs(model)
    sequential_like = _is_sequential_like(model, inbound)
    layers = model.layers
    if isinstance(model, Sequential):
        layers = [x for x in layers if not isinstance(x, InputLayer)]
    if layer_range is not None:
        names = [x.name for x in layers]
        start, end = (names.index(layer_range[0]), names.index(layer_range[1]) + 1)
        layers = layers[start:end]
    if sequential_like:
        line_length = line_length or 88
        positions = positions or [0.45, 0.80, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
        justify = ["left", "left", "right"]
    else:
        line_length = line_length or 108
        positions = positions or [0.3, 0.54, 0.67, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        justify = ["left", "left", "right", "left"]
    if show_trainable:
        line_length += 11
        positions = [p * 0.88 for p in positions] + [1.0]
        header.append("Trainable")
        justify.append("center")

    table = rich.table.Table(box=rich.box.HEAVY_HEAD, show_lines=True)
    previous = 0
    for title, position, side in zip(header, positions, justify):
        width = int(position * line_length) - previous if position <= 1 else int(position)
        previous = int(position * line_length) if position <= 1 else previous + int(position)
        table.add_column(title, justify=side, width=max(width - 4, 1), no_wrap=False)

    def rows(layer, prefix=""):
        params = count_params(layer.weights) if layer.built else 0
        param_text = f"{params:,}" if layer.built or not layer.weights else "0 (unbuilt)"
        if not layer.built and not isinstance(layer, InputLayer):
            param_text = "0 (unbuilt)"
        cells = [
            f"{prefix}{layer.name} ({type(layer).__name__})",
            _shape_text(shapes.get(id(layer))),
            param_text,
        ]
        if not sequential_like:
            cells.append("\n".join(inbound.get(id(layer), [])) or "-")
        if show_trainable:
            cells.append("Y" if layer.trainable else "N")
        table.add_row(*cells)
        if expand_nested and hasattr(layer, "layers") and layer.layers:
            for inner in layer.layers:
                rows(inner, prefix=prefix + " └ ")

    for layer in layers:
        rows(layer)

    console = rich.console.Console(width=line_length + 2, highlight=False, color_system=None)
    with console.capture() as capture:
        console.print(table)
    weights = model.weights
    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    total = count_params(weights)
    footer = (
        f" Total params: {total:,} ({readable_memory_size(weight_memory_size(weights))})\n"
        f" Trainable params: {count_params(trainable):,} "
        f"({readable_memory_size(weight_memory_size(trainable))})\n"
        f" Non-trainable params: {count_params(non_trainable):,} "
        f"({readable_memory_size(weight_memory_size(non_trainable))})"
    )
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and getattr(optimizer, "built", False):
        variables = optimizer.variables
        footer += (
            f"\n Optimizer params: {count_params(variables):,} "
            f"({readable_memory_size(weight_memory_size(variables))})"
        )
    title = f'Model: "{model.name}"'
    emit = print_fn or print
    emit(title)
    emit(capture.get().rstrip("\n"))
    emit(footer)
