"""kcore layers are torch modules: their variables are parameters, they mix into torch models, and
a torch optimizer trains them."""

import numpy as np
import pytest

import kcore

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(
    kcore.backend.backend() != "torch", reason="kcore layers are torch modules on torch"
)


def test_a_layer_is_a_module_whose_variables_are_its_parameters():
    dense = kcore.layers.Dense(4)
    dense.build((None, 3))
    assert isinstance(dense, torch.nn.Module)
    names = dict(dense.named_parameters())
    assert set(names) == {"kernel", "bias"}
    assert names["kernel"] is dense.kernel.value
    assert names["kernel"].requires_grad


def test_non_trainable_variables_are_buffers_and_sublayers_are_submodules():
    model = kcore.Sequential([kcore.Input((3,)), kcore.layers.Dense(2), kcore.layers.Dense(1)])
    frozen, trained = model.layers
    frozen.trainable = False
    assert [m for m in model.modules() if isinstance(m, kcore.layers.Dense)] == [frozen, trained]
    parameters = dict(model.named_parameters())
    buffers = dict(model.named_buffers())
    assert set(buffers) == {f"{frozen.name}.kernel", f"{frozen.name}.bias"}
    assert set(parameters) == {f"{trained.name}.kernel", f"{trained.name}.bias"}


def test_a_kcore_layer_inside_a_torch_model_trains_with_a_torch_optimizer():
    torch.manual_seed(0)
    dense = kcore.layers.Dense(1)
    net = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), dense)
    x = torch.randn(64, 3)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]])
    net(x)  # builds the kcore layer
    assert len(list(net.parameters())) == 4
    optimizer = torch.optim.Adam(net.parameters(), lr=0.05)
    before = dense.kernel.numpy().copy()
    losses = []
    for _ in range(60):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    assert losses[-1] < 0.2 * losses[0]
    # The torch optimizer changed the kcore variable itself.
    assert not np.allclose(dense.kernel.numpy(), before)


def test_state_dict_round_trip():
    model = kcore.Sequential([kcore.Input((3,)), kcore.layers.Dense(2)])
    x = np.ones((1, 3), "float32")
    expected = model.predict(x, verbose=0)
    state = {name: value.clone() for name, value in model.state_dict().items()}
    model.set_weights([np.zeros_like(w) for w in model.get_weights()])
    model.load_state_dict(state)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected)
