"""Keras 3 layer arguments kcore accepts only at their "off" value: quantization and LoRA.

Keras 3.15 writes ``"quantization_config": None`` into every `Dense`, `EinsumDense` and
`Embedding` config, and `lora_rank`/`lora_alpha`/`gptq_unpacked_column_size` when they are set.
kcore reads the off values so Keras files load, and refuses anything else with an error that
says so, rather than silently building a different layer.
"""

from __future__ import annotations


def check_off(layer_class: str, **arguments) -> None:
    """Raises `NotImplementedError` unless every one of `arguments` is None (or falsy, for
    `lora_rank`, as Keras treats 0 as off).

    Args:
        layer_class: the class name, for the message.
        **arguments: ``quantization_config``, ``lora_rank``, ``lora_alpha``,
            ``gptq_unpacked_column_size`` as received.
    """
    for name, value in arguments.items():
        if value is None or (name == "lora_rank" and not value):
            continue
        what = "LoRA" if name.startswith("lora") else "quantized layers"
        raise NotImplementedError(
            f"{layer_class}: {what} are not supported by kcore yet, so `{name}` must be None. "
            f"Received: {name}={value!r}. Remove the argument (or set it to None); to load a "
            "quantized or LoRA-enabled Keras model, save it from Keras without quantization "
            "(or after merging the LoRA weights) first."
        )
