"""The main job until kcore has layers and `fit`: softmax regression written with `kcore.ops`.

Three Gaussian blobs in 2-D, a linear classifier, cross-entropy loss, and gradient descent with the
gradient derived by hand (the numpy backend has no autodiff). Runs on whichever backend is active.

    python examples/ops_demo.py
"""

import kcore as keras
from kcore import ops


def make_blobs(samples_per_class=200, seed=0):
    centers = ops.convert_to_tensor([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
    generator = keras.random.SeedGenerator(seed)
    points, labels = [], []
    for label in range(3):
        noise = keras.random.normal((samples_per_class, 2), stddev=1.0, seed=generator)
        points.append(noise + centers[label])
        labels.append(ops.full((samples_per_class,), label, dtype="int32"))
    return ops.concatenate(points, axis=0), ops.concatenate(labels, axis=0)


def train(x, y, steps=200, learning_rate=0.5):
    weights = ops.zeros((2, 3))
    bias = ops.zeros((3,))
    targets = ops.one_hot(y, 3)
    count = ops.shape(x)[0]
    for step in range(steps + 1):
        logits = ops.matmul(x, weights) + bias
        probabilities = ops.nn.softmax(logits)
        loss = ops.mean(ops.nn.categorical_crossentropy(targets, probabilities))
        # d(loss)/d(logits) for softmax + cross-entropy, averaged over the batch.
        grad_logits = (probabilities - targets) / count
        weights = weights - learning_rate * ops.matmul(ops.transpose(x), grad_logits)
        bias = bias - learning_rate * ops.sum(grad_logits, axis=0)
        if step % 50 == 0:
            accuracy = ops.mean(ops.cast(ops.equal(ops.argmax(logits, axis=-1), y), "float32"))
            print(f"step {step:3d}  loss {float(loss):.4f}  accuracy {float(accuracy):.3f}")
    return weights, bias, float(accuracy)


def main():
    print(f"kcore {keras.__version__} on backend {keras.backend.backend()!r}")
    x, y = make_blobs()
    _, _, accuracy = train(x, y)
    if accuracy < 0.9:
        raise SystemExit(f"training did not converge: accuracy {accuracy:.3f}")
    print(f"done: final training accuracy {accuracy:.3f}")


if __name__ == "__main__":
    main()
