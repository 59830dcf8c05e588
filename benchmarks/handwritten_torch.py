"""The loop a torch user writes by hand: `torch.nn` modules in torch's own layouts (NCHW images,
`nn.LSTM` with batch_first, `F.scaled_dot_product_attention`), `torch.optim.Adam` (multi-tensor),
the data converted to tensors once and sliced per batch. The loss is the one the Keras model
computes (probabilities, clipped, then the log). Inference is the module under
`torch.inference_mode()` in eval mode."""

from __future__ import annotations

from workloads import (
    CNN_DROPOUT,
    EMBED,
    EMBEDDING,
    FEED_FORWARD,
    HEAD_HIDDEN,
    HEADS,
    LAYER_NORM_EPSILON,
    LSTM_UNITS,
    MLP_HIDDEN,
    TRANSFORMER_DROPOUT,
    VOCABULARY,
    WORKLOADS,
    data,
)


def _model(name):
    import torch
    import torch.nn.functional as F
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
            nn.Dropout(CNN_DROPOUT),
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
    if name == "transformer":

        class Transformer(nn.Module):
            def __init__(self):
                super().__init__()
                self.tokens = nn.Embedding(VOCABULARY, EMBED)
                self.positions = nn.Embedding(w.input_shape[0], EMBED)
                self.qkv = nn.Linear(EMBED, 3 * HEADS * EMBED)
                self.output = nn.Linear(HEADS * EMBED, EMBED)
                self.norm1 = nn.LayerNorm(EMBED, eps=LAYER_NORM_EPSILON)
                self.ffn = nn.Sequential(
                    nn.Linear(EMBED, FEED_FORWARD), nn.ReLU(), nn.Linear(FEED_FORWARD, EMBED)
                )
                self.norm2 = nn.LayerNorm(EMBED, eps=LAYER_NORM_EPSILON)
                self.head = nn.Sequential(
                    nn.Dropout(TRANSFORMER_DROPOUT),
                    nn.Linear(EMBED, HEAD_HIDDEN),
                    nn.ReLU(),
                    nn.Dropout(TRANSFORMER_DROPOUT),
                    nn.Linear(HEAD_HIDDEN, 2),
                )
                self.dropout = nn.Dropout(TRANSFORMER_DROPOUT)

            def forward(self, tokens):
                batch, length = tokens.shape
                positions = torch.arange(length, device=tokens.device)
                x = self.tokens(tokens) + self.positions(positions)
                # (batch, heads, length, key_dim) each
                q, k, v = self.qkv(x).view(batch, length, 3, HEADS, EMBED).permute(2, 0, 3, 1, 4)
                attended = F.scaled_dot_product_attention(q, k, v)
                attended = attended.transpose(1, 2).reshape(batch, length, HEADS * EMBED)
                x = self.norm1(x + self.dropout(self.output(attended)))
                x = self.norm2(x + self.dropout(self.ffn(x)))
                return self.head(x.mean(dim=1))

        return Transformer()
    sizes = [w.input_shape[0], *MLP_HIDDEN[name], w.classes]
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def _loss(name):
    import torch
    import torch.nn.functional as F

    if WORKLOADS[name].classes == 1:
        return lambda h, y: F.binary_cross_entropy(torch.clamp(torch.sigmoid(h), 1e-7, 1 - 1e-7), y)

    def loss(h, y):
        p = torch.softmax(h, dim=-1)
        p = torch.clamp(p / p.sum(dim=-1, keepdim=True), 1e-7, 1 - 1e-7)
        return F.nll_loss(torch.log(p), y)

    return loss


class Loop:
    """Workload `name` trained by hand: `epoch()` runs one epoch and waits for it, `predict(x)`
    is the inference forward pass to a numpy array."""

    def __init__(self, name):
        import torch

        torch.manual_seed(0)
        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        self.w = w = WORKLOADS[name]
        x, y = data(name)
        x, y = torch.from_numpy(x), torch.from_numpy(y)
        if name == "cnn":
            x = x.permute(0, 3, 1, 2).contiguous()  # torch's layout, converted once
        if w.classes > 1:
            y = y.long()
        self.x = (x.long() if w.tokens else x).to(self.device)
        self.y = y.to(self.device)
        self.name = name
        self.model, self.loss_fn = _model(name).to(self.device), _loss(name)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3, eps=1e-7, foreach=True)

    def epoch(self):
        w, model, optimizer = self.w, self.model, self.optimizer
        model.train()
        for i in range(w.steps):
            batch = slice(i * w.batch, (i + 1) * w.batch)
            optimizer.zero_grad(set_to_none=True)
            loss = self.loss_fn(model(self.x[batch]), self.y[batch])
            loss.backward()
            optimizer.step()
        loss.item()  # waits for the device

    def predict(self, x):
        import torch

        x = torch.from_numpy(x)
        if self.name == "cnn":
            x = x.permute(0, 3, 1, 2)
        elif self.w.tokens:
            x = x.long()
        self.model.eval()
        with torch.inference_mode():
            return self.model(x.to(self.device)).cpu().numpy()
