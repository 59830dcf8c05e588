"""One measurement in this process: one contender training and running one workload.

    python benchmarks/measure.py --contender kcore --workload cnn --backend jax

Contenders: ``kcore`` (kcore on the backend KCORE_BACKEND names), ``keras`` (the pip `keras`, on
KERAS_BACKEND) and ``hand`` (the hand-written loop of `handwritten_<backend>.py`). Workloads are
in `workloads.py`. Prints one JSON line with:

- ``first_epoch_s``: the first epoch, compilation included;
- ``samples_per_s``: fit throughput over the next ``--epochs`` epochs (one `fit` call);
- ``predict_ms``: median latency of `model.predict` on one sample (the hand-written loops: their
  compiled forward pass to a numpy array) in steady state, after up to 200 warm-up calls (kcore
  on torch captures a step's graph after 100 calls);
- ``call_ms``: median latency of a direct `model(x)` on one sample, to numpy;
- ``peak_rss_mb``: the process's peak resident memory (import, build, training, inference).

`benchmarks/bench.py` runs the contenders side by side and writes the tables.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import statistics
import sys
import time

from workloads import WORKLOADS, data, keras_model

HANDWRITTEN = {
    "jax": "handwritten_jax",
    "torch": "handwritten_torch",
    "tensorflow": "handwritten_tf",
}


class FrameworkLoop:
    """A Keras-API framework (kcore or Keras 3) on a workload, with the hand-written loops'
    interface: `epochs(n)`, `predict(x)`, `call(x)`."""

    def __init__(self, keras, name):
        if keras.__name__ == "kcore" and keras.backend.backend() == "torch":
            import torch

            # kcore on torch computes on torch's default device (Keras 3 picks CUDA itself).
            if torch.cuda.is_available():
                torch.set_default_device("cuda")
        self.keras = keras
        self.w = WORKLOADS[name]
        self.x, self.y = data(name)
        self.model = keras_model(keras, name)

    def epochs(self, n):
        self.model.fit(self.x, self.y, batch_size=self.w.batch, epochs=n, verbose=0, shuffle=False)

    def predict(self, x):
        return self.model.predict(x, verbose=0)

    def call(self, x):
        return self.keras.ops.convert_to_numpy(self.model(x))


class HandLoop:
    def __init__(self, backend, name):
        self.loop = importlib.import_module(HANDWRITTEN[backend]).Loop(name)

    def epochs(self, n):
        for _ in range(n):
            self.loop.epoch()

    def predict(self, x):
        return self.loop.predict(x)

    call = predict  # a hand-written forward pass is its direct call


def latency_ms(fun, x, calls, warmup_calls=200, warmup_s=2.0, budget_s=2.0):
    """Median milliseconds of `fun(x)` in steady state: after warm-up calls (`warmup_calls`, or
    as many as `warmup_s` allows), over `calls` calls (or as many as `budget_s` allows, at
    least 5): the latency a server calling predict over and over sees."""
    start = time.perf_counter()
    for _ in range(warmup_calls):
        fun(x)
        if time.perf_counter() - start > warmup_s:
            break
    times = []
    start = time.perf_counter()
    while len(times) < calls and (len(times) < 5 or time.perf_counter() - start < budget_s):
        begin = time.perf_counter()
        fun(x)
        times.append(time.perf_counter() - begin)
    return 1000 * statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--contender", choices=("kcore", "keras", "hand"), required=True)
    parser.add_argument("--workload", choices=tuple(WORKLOADS), required=True)
    parser.add_argument("--backend", choices=tuple(HANDWRITTEN), required=True)
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs after the first")
    parser.add_argument("--calls", type=int, default=30, help="timed one-sample inference calls")
    args = parser.parse_args()
    if args.contender == "hand":
        loop = HandLoop(args.backend, args.workload)
    else:
        loop = FrameworkLoop(importlib.import_module(args.contender), args.workload)
    start = time.perf_counter()
    loop.epochs(1)
    first_epoch = time.perf_counter() - start
    start = time.perf_counter()
    loop.epochs(args.epochs)
    seconds = time.perf_counter() - start
    w = WORKLOADS[args.workload]
    one = data(args.workload)[0][:1]
    result = {
        "contender": args.contender,
        "workload": args.workload,
        "first_epoch_s": first_epoch,
        "samples_per_s": w.batch * w.steps * args.epochs / seconds,
        "predict_ms": latency_ms(loop.predict, one, args.calls),
        "call_ms": latency_ms(loop.call, one, args.calls),
        # ru_maxrss is in KiB on Linux, bytes on macOS
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        / (2**20 if sys.platform == "darwin" else 2**10),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
