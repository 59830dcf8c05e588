"""Fit throughput of kcore against Keras 3 and a hand-written loop, side by side, one thread.

    python benchmarks/compare_fit.py --kcore-python .venv/bin/python \\
        --keras-python /path/to/venv-with-keras/bin/python --backend jax --repeats 3

Each measurement runs in its own process pinned to one CPU with single-threaded XLA; the
contenders alternate within each repeat, and the table reports medians and the ratios
kcore / Keras 3 and kcore / hand-written. Results go to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ONE_THREAD = {
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "TF_CPP_MIN_LOG_LEVEL": "3",
}


def measure(python, contender, workload, backend, epochs, cpu=0):
    env = {**os.environ, **ONE_THREAD, "KCORE_BACKEND": backend, "KERAS_BACKEND": backend}
    command = [python, str(HERE / "fit_throughput.py"), "--contender", contender]
    command += ["--workload", workload, "--epochs", str(epochs)]
    if hasattr(os, "sched_setaffinity"):
        command = ["taskset", "-c", str(cpu), *command]
    output = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])["samples_per_s"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kcore-python", default=sys.executable)
    parser.add_argument("--keras-python", required=True)
    parser.add_argument("--backend", default="jax")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument(
        "--workloads", default="mlp,tiny", help="comma-separated, from workloads.py"
    )
    parser.add_argument("--output", default=None, help="results file stem (default fit_<backend>)")
    parser.add_argument("--cpu", type=int, default=0, help="the CPU each measurement is pinned to")
    args = parser.parse_args()
    # The hand-written loop on the same backend, in kcore's venv (it uses the framework alone).
    hand = {"jax": "jax", "torch": "torch", "tensorflow": "tf"}[args.backend]
    pythons = {
        "kcore": args.kcore_python,
        "keras": args.keras_python,
        hand: args.kcore_python,
        f"{hand}-logits": args.kcore_python,
    }
    results = {}
    for workload in args.workloads.split(","):
        runs = {name: [] for name in pythons}
        for _ in range(args.repeats):
            for name, python in pythons.items():
                runs[name].append(
                    measure(python, name, workload, args.backend, args.epochs, args.cpu)
                )
        results[workload] = {name: statistics.median(values) for name, values in runs.items()}
        results[workload]["runs"] = runs
    lines = [
        f"Fit throughput on {args.backend}, one thread, {platform.processor() or platform.machine()}, "
        f"median of {args.repeats} (samples/s)",
        "",
        "| workload | kcore | Keras 3 | hand-written | hand-written, log_softmax | kcore / Keras 3 "
        "| kcore / hand-written | kcore / hand-written log_softmax |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for workload, r in results.items():
        lines.append(
            f"| {workload} | {r['kcore']:.0f} | {r['keras']:.0f} | {r[hand]:.0f} | "
            f"{r[hand + '-logits']:.0f} | {r['kcore'] / r['keras']:.2f} | {r['kcore'] / r[hand]:.2f} "
            f"| {r['kcore'] / r[hand + '-logits']:.2f} |"
        )
    table = "\n".join(lines)
    print(table)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    stem = args.output or f"fit_{args.backend}"
    (out / f"{stem}.json").write_text(json.dumps(results, indent=2, sort_keys=True))
    (out / f"{stem}.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
