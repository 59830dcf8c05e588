"""How the LSTM and GRU layers use the backend's fused kernels (`lstm`, `gru` in the backend
contract), as Keras uses cuDNN: automatically where the configuration allows it, with the numbers
of the generic loop."""

from __future__ import annotations

from kcore import ops


def check_use_cudnn(use_cudnn, layer: str):
    """`use_cudnn` when it is "auto", True or False; a ValueError naming `layer` otherwise."""
    if use_cudnn not in ("auto", True, False):
        raise ValueError(
            f"{layer}: invalid value received for argument `use_cudnn`. Expected one of "
            f"{{'auto', True, False}}. Received: use_cudnn={use_cudnn!r}"
        )
    return use_cudnn


def run_fused(layer, kernel, sequences, states, mask, training, **kwargs):
    """The result `(last_output, outputs, states)` of the backend kernel `kernel` for `layer`
    (an LSTM or GRU), or None where the layer must run its cell through the generic loop: the
    layer asks for no fused kernel (`use_cudnn=False`), the cell drops recurrent units, or the
    backend has no kernel for these arguments (it raises NotImplementedError)."""
    cell = layer.cell
    per_gate_masks = getattr(cell, "dropout_mask_count", None) is not None
    fusable = not cell.recurrent_dropout and not (training and cell.dropout and per_gate_masks)
    if layer.use_cudnn in ("auto", True) and fusable:
        if training and 0.0 < cell.dropout < 1.0:
            step_mask = cell.get_dropout_mask(sequences[:, 0])
            sequences = sequences * ops.expand_dims(step_mask, 1)
        try:
            last_output, outputs, new_states = kernel(
                sequences,
                *states,
                mask,
                kernel=cell.kernel,
                recurrent_kernel=cell.recurrent_kernel,
                bias=cell.bias,
                activation=cell.activation,
                recurrent_activation=cell.recurrent_activation,
                return_sequences=layer.return_sequences,
                go_backwards=layer.go_backwards,
                unroll=layer.unroll,
                **kwargs,
            )
        except NotImplementedError:
            pass
        else:
            if mask is not None and layer.zero_output_for_mask and layer.return_sequences:
                outputs = zero_masked_steps(outputs, mask, layer.go_backwards)
            return last_output, outputs, list(new_states)
    if layer.use_cudnn is True:
        raise ValueError(
            f"Layer {layer.name!r}: use_cudnn=True was given, but the backend has no fused "
            "kernel for this configuration (it needs tanh and sigmoid activations, no recurrent "
            "dropout, no unroll, and masks that only pad the end of sequences). Pass "
            "use_cudnn='auto' to fall back to the generic loop."
        )
    return None


def zero_masked_steps(outputs, mask, go_backwards):
    """`outputs` (batch, time, units; in processing order) with zeros at masked steps."""
    mask = ops.cast(mask, "bool")
    if go_backwards:
        mask = ops.flip(mask, axis=1)
    return ops.where(ops.expand_dims(mask, -1), outputs, ops.zeros_like(outputs))
