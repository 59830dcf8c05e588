"""The loop a torch user writes by hand: `torch.nn` modules in torch's own layouts (NCHW images,
`nn.LSTM` with batch_first), `torch.optim.Adam` (multi-tensor), the data converted to tensors once
and sliced per batch. `logits=True` uses `cross_entropy` / `binary_cross_entropy_with_logits`;
otherwise the loss is the one the Keras model computes (probabilities, clipped, then the log)."""

from __future__ import annotations

import time

from workloads import EMBEDDING, LSTM_UNITS, MLP_HIDDEN, VOCABULARY, WORKLOADS, data


def _model(name):
    import torch
    from torch import nn

    w = WORKLOADS[name]
    if name == "cnn":
        return nn.Sequential(
            nn.Conv2d(1, 32, 3),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(1600, w.classes),
        )
    if name == "lstm":

        class Classifier(nn.Module):
            def __init__(self):
                super().__init__()
                self.embedding = nn.Embedding(VOCABULARY, EMBEDDING)
                self.lstm = nn.LSTM(EMBEDDING, LSTM_UNITS, batch_first=True)
                self.dense = nn.Linear(LSTM_UNITS, 1)

            def forward(self, tokens):
                _, (h, _) = self.lstm(self.embedding(tokens))
                return self.dense(h[0])

        return Classifier()
    sizes = [w.input_shape[0], *MLP_HIDDEN[name], w.classes]
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(fan_in, fan_out), torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])


def _loss(name, logits):
    import torch
    import torch.nn.functional as F

    if WORKLOADS[name].classes == 1:
        if logits:
            return F.binary_cross_entropy_with_logits
        return lambda h, y: F.binary_cross_entropy(torch.clamp(torch.sigmoid(h), 1e-7, 1 - 1e-7), y)
    if logits:
        return F.cross_entropy

    def loss(h, y):
        p = torch.softmax(h, dim=-1)
        p = torch.clamp(p / p.sum(dim=-1, keepdim=True), 1e-7, 1 - 1e-7)
        return F.nll_loss(torch.log(p), y)

    return loss


def run(name, epochs, logits=False):
    """Seconds for `epochs` epochs after one warm-up epoch."""
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    w = WORKLOADS[name]
    x, y = data(name)
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    if name == "cnn":
        x = x.permute(0, 3, 1, 2).contiguous()  # torch's layout, converted once
    if w.classes > 1:
        y = y.long()
    model, loss_fn = _model(name), _loss(name, logits)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, foreach=True)

    def epoch():
        for i in range(w.steps):
            batch = slice(i * w.batch, (i + 1) * w.batch)
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
        return float(loss.detach())

    epoch()
    start = time.perf_counter()
    for _ in range(epochs):
        epoch()
    return time.perf_counter() - start
