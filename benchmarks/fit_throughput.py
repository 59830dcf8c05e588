"""One fit-throughput measurement: one contender, one workload, in this process.

    python benchmarks/fit_throughput.py --contender kcore --workload cnn

Contenders: ``kcore`` (kcore on the backend KCORE_BACKEND names), ``keras`` (pip `keras`, on
KERAS_BACKEND), and the hand-written loops ``jax``, ``torch`` and ``tf`` (`handwritten_*.py`),
each also as ``<name>-logits`` (the cheaper fused loss a hand-writer often uses). Workloads are
in `workloads.py`. Prints one JSON line: samples per second over the timed epochs (after a first
epoch that compiles). `benchmarks/compare_fit.py` runs the contenders side by side and writes
the table.
"""

from __future__ import annotations

import argparse
import importlib
import json
import time

from workloads import WORKLOADS, data, keras_model

HANDWRITTEN = {"jax": "handwritten_jax", "torch": "handwritten_torch", "tf": "handwritten_tf"}


def run_framework(name, workload, epochs):
    """Seconds for `epochs` epochs of `model.fit` after one compiling epoch."""
    keras = importlib.import_module("kcore" if name == "kcore" else "keras")
    x, y = data(workload)
    model = keras_model(keras, workload)
    batch = WORKLOADS[workload].batch
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False)  # compiles
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=epochs, verbose=0, shuffle=False)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    contenders = ["kcore", "keras"] + [f"{h}{s}" for h in HANDWRITTEN for s in ("", "-logits")]
    parser.add_argument("--contender", choices=contenders, required=True)
    parser.add_argument("--workload", choices=tuple(WORKLOADS), required=True)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    module = HANDWRITTEN.get(args.contender.removesuffix("-logits"))
    if module is not None:
        loop = importlib.import_module(module)
        seconds = loop.run(args.workload, args.epochs, args.contender.endswith("-logits"))
    else:
        seconds = run_framework(args.contender, args.workload, args.epochs)
    w = WORKLOADS[args.workload]
    samples = w.batch * w.steps * args.epochs
    print(
        json.dumps(
            {
                "contender": args.contender,
                "workload": args.workload,
                "samples_per_s": samples / seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
