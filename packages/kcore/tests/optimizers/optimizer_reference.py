"""Textbook numpy implementations of Keras 3's optimizers, written from their published update
rules, to check kcore's optimizers against (float64; the tests compare with float32 tolerance).

Each optimizer is a pair `(init(w) -> state, update(w, g, state, lr, t, shared) -> w)`, with `t`
the 1-based number of the update; `run` adds the steps every optimizer shares (clipping, weight
decay, gradient accumulation, EMA) in Keras 3's order.
"""

import numpy as np


def _zeros(w):
    return np.zeros_like(w)


# ----------------------------------------------------------------------------------- rules


def sgd(momentum=0.0, nesterov=False):
    def init(w):
        return {"m": _zeros(w)}

    def update(w, g, s, lr, t, shared):
        if momentum == 0:
            return w - lr * g
        s["m"] = momentum * s["m"] - lr * g
        if nesterov:
            return w + momentum * s["m"] - lr * g
        return w + s["m"]

    return init, update


def adam(beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False):
    def init(w):
        return {"m": _zeros(w), "v": _zeros(w), "v_hat": _zeros(w)}

    def update(w, g, s, lr, t, shared):
        s["m"] = s["m"] + (g - s["m"]) * (1 - beta_1)
        s["v"] = s["v"] + (g**2 - s["v"]) * (1 - beta_2)
        v = s["v"]
        if amsgrad:
            s["v_hat"] = np.maximum(s["v_hat"], s["v"])
            v = s["v_hat"]
        alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        return w - s["m"] * alpha / (np.sqrt(v) + epsilon)

    return init, update


def rmsprop(rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    def init(w):
        return {"velocity": _zeros(w), "momentum": _zeros(w), "mean_grad": _zeros(w)}

    def update(w, g, s, lr, t, shared):
        s["velocity"] = rho * s["velocity"] + (1 - rho) * g**2
        if centered:
            s["mean_grad"] = rho * s["mean_grad"] + (1 - rho) * g
            denominator = s["velocity"] - s["mean_grad"] ** 2 + epsilon
        else:
            denominator = s["velocity"] + epsilon
        increment = lr * g / np.sqrt(denominator)
        if momentum > 0:
            s["momentum"] = momentum * s["momentum"] + increment
            return w - s["momentum"]
        return w - increment

    return init, update


def adagrad(initial_accumulator_value=0.1, epsilon=1e-7):
    def init(w):
        return {"acc": np.full_like(w, initial_accumulator_value)}

    def update(w, g, s, lr, t, shared):
        s["acc"] = s["acc"] + g**2
        return w - lr * g / np.sqrt(s["acc"] + epsilon)

    return init, update


def adadelta(rho=0.95, epsilon=1e-7):
    def init(w):
        return {"acc_grad": _zeros(w), "acc_delta": _zeros(w)}

    def update(w, g, s, lr, t, shared):
        s["acc_grad"] = rho * s["acc_grad"] + (1 - rho) * g**2
        delta = -np.sqrt(s["acc_delta"] + epsilon) * g / np.sqrt(s["acc_grad"] + epsilon)
        s["acc_delta"] = rho * s["acc_delta"] + (1 - rho) * delta**2
        return w + lr * delta

    return init, update


def adamax(beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    def init(w):
        return {"m": _zeros(w), "u": _zeros(w)}

    def update(w, g, s, lr, t, shared):
        s["m"] = s["m"] + (g - s["m"]) * (1 - beta_1)
        s["u"] = np.maximum(beta_2 * s["u"], np.abs(g))
        return w - lr * s["m"] / ((1 - beta_1**t) * (s["u"] + epsilon))

    return init, update


def nadam(beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    def mu(t):
        return beta_1 * (1 - 0.5 * 0.96**t)

    def init(w):
        return {"m": _zeros(w), "v": _zeros(w)}

    def before_step(shared, t):
        shared["u_product"] = shared.get("u_product", 1.0) * mu(t)

    def update(w, g, s, lr, t, shared):
        u_product = shared["u_product"]
        s["m"] = s["m"] + (g - s["m"]) * (1 - beta_1)
        s["v"] = s["v"] + (g**2 - s["v"]) * (1 - beta_2)
        m_hat = mu(t + 1) * s["m"] / (1 - u_product * mu(t + 1)) + (1 - mu(t)) * g / (1 - u_product)
        v_hat = s["v"] / (1 - beta_2**t)
        return w - lr * m_hat / (np.sqrt(v_hat) + epsilon)

    update.before_step = before_step
    return init, update


def ftrl(
    learning_rate_power=-0.5,
    initial_accumulator_value=0.1,
    l1=0.0,
    l2=0.0,
    l2_shrinkage=0.0,
    beta=0.0,
):
    p = -learning_rate_power

    def init(w):
        return {"n": np.full_like(w, initial_accumulator_value), "z": _zeros(w)}

    def update(w, g, s, lr, t, shared):
        g_shrunk = g + 2 * l2_shrinkage * w
        n_new = s["n"] + g**2
        s["z"] = s["z"] + g_shrunk - (n_new**p - s["n"] ** p) / lr * w
        quadratic = n_new**p / lr + 2 * (l2 + beta / (2 * lr))
        s["n"] = n_new
        return (np.clip(s["z"], -l1, l1) - s["z"]) / quadratic

    return init, update


def lion(beta_1=0.9, beta_2=0.99):
    def init(w):
        return {"m": _zeros(w)}

    def update(w, g, s, lr, t, shared):
        new_w = w - lr * np.sign(beta_1 * s["m"] + (1 - beta_1) * g)
        s["m"] = beta_2 * s["m"] + (1 - beta_2) * g
        return new_w

    return init, update


def adafactor(beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3, clip_threshold=1.0):
    def rms(x):
        return np.sqrt(np.mean(x**2))

    def init(w):
        if w.ndim >= 2:
            return {"r": np.zeros(w.shape[:-1]), "c": np.zeros(w.shape[:-2] + w.shape[-1:])}
        return {"v": _zeros(w)}

    def update(w, g, s, lr, t, shared):
        rho = min(lr, 1 / np.sqrt(t))  # relative_step with a constant learning rate
        alpha = max(epsilon_2, rms(w)) * rho
        g2 = g**2 + epsilon_1
        beta_2_t = 1 - t**beta_2_decay
        if w.ndim >= 2:
            s["r"] = beta_2_t * s["r"] + (1 - beta_2_t) * g2.mean(axis=-1)
            s["c"] = beta_2_t * s["c"] + (1 - beta_2_t) * g2.mean(axis=-2)
            v = (s["r"] / s["r"].mean(axis=-1, keepdims=True))[..., None] * s["c"][..., None, :]
        else:
            s["v"] = beta_2_t * s["v"] + (1 - beta_2_t) * g2
            v = s["v"]
        u = g / np.sqrt(v)
        u = u / max(1.0, rms(u) / clip_threshold)
        return w - alpha * u

    return init, update


# ------------------------------------------------------------------------------- pipeline


def _clip(grads, clipnorm, clipvalue, global_clipnorm):
    if clipnorm:
        return [g * clipnorm / max(np.sqrt(np.sum(g**2)), clipnorm) for g in grads]
    if global_clipnorm:
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        return [g * global_clipnorm / max(norm, global_clipnorm) for g in grads]
    if clipvalue:
        return [np.clip(g, -clipvalue, clipvalue) for g in grads]
    return grads


def run(
    rule,
    weights,
    grad_steps,
    lr,
    *,
    clipnorm=None,
    clipvalue=None,
    global_clipnorm=None,
    weight_decay=None,
    use_ema=False,
    ema_momentum=0.99,
    ema_overwrite_frequency=None,
    gradient_accumulation_steps=None,
):
    """The weights after applying each list of gradients in `grad_steps`, in Keras 3's order."""
    init, update = rule
    w = [np.asarray(x, np.float64) for x in weights]
    states = [init(x) for x in w]
    shared = {}
    averages = [np.zeros_like(x) for x in w]
    accumulators = [np.zeros_like(x) for x in w]
    updates = 0
    for call, grads in enumerate(grad_steps):
        grads = [np.asarray(g, np.float64) for g in grads]
        do_update = True
        if gradient_accumulation_steps:
            accumulators = [a + g for a, g in zip(accumulators, grads)]
            do_update = (call + 1) % gradient_accumulation_steps == 0
            if do_update:
                grads = [a / gradient_accumulation_steps for a in accumulators]
                accumulators = [np.zeros_like(a) for a in accumulators]
        if do_update:
            grads = _clip(grads, clipnorm, clipvalue, global_clipnorm)
            if weight_decay is not None:
                w = [x - x * weight_decay * lr for x in w]
            t = updates + 1
            if hasattr(update, "before_step"):
                update.before_step(shared, t)
            w = [update(x, g, s, lr, t, shared) for x, g, s in zip(w, grads, states)]
            updates += 1
        if use_ema:
            iterations = call // (gradient_accumulation_steps or 1)  # `optimizer.iterations`
            momentum = 0.0 if iterations == 0 else ema_momentum
            averages = [momentum * a + (1 - momentum) * x for a, x in zip(averages, w)]
            if ema_overwrite_frequency and (iterations + 1) % ema_overwrite_frequency == 0:
                w = [a.copy() for a in averages]
    return w, averages
