"""The torch LSTM/GRU kernels: torch's native `torch.lstm`/`torch.gru` where they can take the
arguments (Keras's weights rearranged, masks that pad the end as packed sequences), with the numbers
and gradients of the step-by-step loop; the loop elsewhere; and inside captured steps."""

import numpy as np
import pytest

import kcore

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(kcore.backend.backend() != "torch", reason="torch's kernels")

from kbackend_torch import rnn  # noqa: E402

RIGHT_PADDED = np.array([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 0, 0, 0, 0]], bool)
SCATTERED = np.array([[1, 0, 1, 1, 1], [1, 1, 0, 0, 0], [1, 0, 0, 0, 0]], bool)


def _tensor(shape, seed, scale=0.5):
    rng = np.random.default_rng(seed)
    return torch.tensor(rng.normal(size=shape).astype("float32") * scale, requires_grad=True)


def _arguments(kind, bias=True, reset_after=True):
    gates = 4 if kind == "lstm" else 3
    x = _tensor((3, 5, 4), 0)
    states = [_tensor((3, 6), 1)] + ([_tensor((3, 6), 2)] if kind == "lstm" else [])
    kernel, recurrent = _tensor((4, gates * 6), 3), _tensor((6, gates * 6), 4)
    bias_shape = (2, gates * 6) if kind == "gru" and reset_after else (gates * 6,)
    return x, states, kernel, recurrent, (_tensor(bias_shape, 5) if bias else None)


def _run(kind, arguments, mask=None, **kwargs):
    x, states, kernel, recurrent, bias = arguments
    function = rnn.lstm if kind == "lstm" else rnn.gru
    return function(
        x,
        *states,
        None if mask is None else torch.tensor(mask),
        kernel,
        recurrent,
        bias,
        kcore.activations.tanh,
        kcore.activations.sigmoid,
        **kwargs,
    )


def _values_and_gradients(kind, arguments, mask=None, **kwargs):
    last, outputs, states = _run(kind, arguments, mask, **kwargs)
    results = [last, outputs, *states]
    loss = sum((r**2).sum() for r in results)
    leaves = [a for a in [arguments[0], *arguments[1], *arguments[2:]] if a is not None]
    gradients = torch.autograd.grad(loss, leaves)
    return [r.detach().numpy() for r in results + list(gradients)]


@pytest.fixture
def native_calls(monkeypatch):
    calls = []
    for name in ("lstm", "gru"):
        original = getattr(torch, name)

        def counting(*args, original=original, name=name):
            calls.append(name)
            return original(*args)

        monkeypatch.setattr(torch, name, counting)
    return calls


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("mask", [None, RIGHT_PADDED], ids=["no-mask", "right-padded"])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_native_kernel_matches_the_loop(native_calls, kind, go_backwards, mask, return_sequences):
    arguments = _arguments(kind)
    kwargs = {"go_backwards": go_backwards, "return_sequences": return_sequences}
    native = _values_and_gradients(kind, arguments, mask, **kwargs)
    assert native_calls == [kind]
    # unroll=True is a case the native kernels leave to the loop.
    loop = _values_and_gradients(kind, arguments, mask, unroll=True, **kwargs)
    assert native_calls == [kind]
    for got, want in zip(native, loop):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_native_kernel_without_bias(native_calls, kind):
    arguments = _arguments(kind, bias=False)
    native = _values_and_gradients(kind, arguments, RIGHT_PADDED)
    loop = _values_and_gradients(kind, arguments, RIGHT_PADDED, unroll=True)
    assert native_calls == [kind]
    for got, want in zip(native, loop):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_cases_the_native_kernels_leave_to_the_loop(native_calls):
    lstm = _arguments("lstm")
    # A masked step before a kept one, an empty sequence, another activation.
    _run("lstm", lstm, SCATTERED)
    _run("lstm", lstm, np.array([[1, 1, 0, 0, 0], [0, 0, 0, 0, 0], [1] * 5], bool))
    x, states, kernel, recurrent, bias = lstm
    rnn.lstm(
        x, *states, None, kernel, recurrent, bias, kcore.activations.relu, kcore.activations.sigmoid
    )
    # GRU with the reset gate before the matmul: torch has no such kernel.
    _run("gru", _arguments("gru", reset_after=False), reset_after=False)
    # Half precision on CPU.
    half = [a.detach().half() for a in (x, *states, kernel, recurrent, bias)]
    rnn.lstm(
        half[0], *half[1:3], None, *half[3:], kcore.activations.tanh, kcore.activations.sigmoid
    )
    assert native_calls == []


def test_native_kernel_inside_a_captured_step():
    x, (h, c), kernel, recurrent, bias = [
        a.detach() if isinstance(a, torch.Tensor) else [s.detach() for s in a]
        for a in _arguments("lstm")
    ]

    def step(x, h, c, kernel, recurrent, bias):
        def loss(params):
            last, _, _ = rnn.lstm(
                x, h, c, None, *params, kcore.activations.tanh, kcore.activations.sigmoid
            )
            return (last**2).sum()

        return kcore.backend.bound.value_and_grad(loss)([kernel, recurrent, bias])

    captured = kcore.backend.bound.jit(step, jit_compile=False)
    got = captured(x, h, c, kernel, recurrent, bias)
    want = step(x, h, c, kernel, recurrent, bias)
    assert len(captured.graphs) == 1
    np.testing.assert_allclose(got[0].numpy(), want[0].numpy(), rtol=1e-6)
    for g, w in zip(got[1], want[1]):
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-5, atol=1e-6)


def test_lstm_layer_trains_with_torch_autograd_and_optimizer():
    layer = kcore.layers.LSTM(4)
    x = torch.tensor(np.random.default_rng(0).normal(size=(8, 5, 3)).astype("float32"))
    layer(x)
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.1)
    losses = []
    for _ in range(5):
        optimizer.zero_grad()
        loss = ((layer(x) - 0.5) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    assert losses[-1] < losses[0]
