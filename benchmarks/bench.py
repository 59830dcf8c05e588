"""kcore against Keras 3 and a hand-written loop on one backend, side by side.

    python benchmarks/bench.py --backend jax            # what `nox -s bench` runs per backend

Run it with a Python that has kcore, the backend's plugin, the framework and the pip `keras`
package. Every measurement (`measure.py`) is its own process with one CPU thread (pinned to one
core where `taskset` exists); within each repeat the contenders alternate, in a rotating order; the
tables report medians. Import times are measured the same way, each in a fresh process. Writes
`results/bench_<backend>.json`, then `report.py` rebuilds the tables from every backend's JSON.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from workloads import WORKLOADS

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
CONTENDERS = ("kcore", "keras", "hand")
FRAMEWORK = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow"}
PACKAGES = {
    "jax": ["kbackend-jax", "jax", "jaxlib"],
    "torch": ["kbackend-torch", "torch"],
    "tensorflow": ["kbackend-tf", "tensorflow", "tensorflow-cpu"],
}
# Python run in a fresh process: import the framework and make one array (which starts the
# backend), timed inside the process; prints the seconds.
IMPORT_SNIPPETS = {
    "jax": "import jax.numpy as m; m.ones(2).block_until_ready()",
    "torch": "import torch as m; m.ones(2)",
    "tensorflow": "import tensorflow as m; m.ones(2)",
    "numpy": "import numpy as m; m.ones(2)",
    "kcore": "import kcore as m; m.ops.ones(2)",
    "keras": "import keras as m; m.ops.ones(2)",
}
DEVICE_SNIPPETS = {
    "jax": "import jax; d = jax.devices()[0]; "
    "print(d.platform if d.device_kind == d.platform else f'{d.platform} {d.device_kind}')",
    "torch": "import torch; print(f'cuda {torch.cuda.get_device_name()}' if "
    "torch.cuda.is_available() else 'cpu')",
    "tensorflow": "import tensorflow as tf; g = tf.config.list_physical_devices('GPU'); "
    "print(f'gpu {g[0].name}' if g else 'cpu')",
}


def _environment(backend, extra=None):
    env = {**os.environ, **ONE_THREAD, "KCORE_BACKEND": backend, "KERAS_BACKEND": backend}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode
    return {**env, **(extra or {})}


def _command(args, cpu):
    command = [sys.executable, *args]
    if cpu is not None and shutil.which("taskset"):  # Linux's util-linux; elsewhere unpinned
        command = ["taskset", "-c", str(cpu), *command]
    return command


def _run(args, backend, cpu, extra_env=None):
    completed = subprocess.run(
        _command(args, cpu),
        capture_output=True,
        text=True,
        env=_environment(backend, extra_env),
        cwd=HERE,
    )
    if completed.returncode:
        raise RuntimeError(
            f"{' '.join(args)} failed (exit {completed.returncode}):\n{completed.stderr[-4000:]}"
        )
    return completed.stdout.strip().splitlines()[-1]


def import_seconds(what, backend, cpu):
    """Seconds to import `what` and make its first array, in a fresh process."""
    code = (
        "import time; start = time.perf_counter(); "
        f"{IMPORT_SNIPPETS[what]}; print(time.perf_counter() - start)"
    )
    extra = {"KCORE_BACKEND": "numpy"} if what == "numpy" else None
    return float(_run(["-c", code], backend, cpu, extra))


def machine(backend, cpu):
    """The machine and software the run measured."""
    cpu_model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().split()[1]
        memory_gib = round(int(memory) / 2**20, 1)
    except OSError:
        memory_gib = None
    versions = {}
    for name in ("kcore", "keras", "numpy", *PACKAGES[backend]):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    return {
        "cpu": cpu_model,
        "logical_cpus": os.cpu_count(),
        "memory_gib": memory_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "device": _run(["-c", DEVICE_SNIPPETS[backend]], backend, cpu),
        "threads": "one per process",
        "date": time.strftime("%Y-%m-%d"),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=tuple(FRAMEWORK), required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--import-repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs per measurement")
    parser.add_argument("--workloads", default=",".join(WORKLOADS), help="comma-separated")
    parser.add_argument(
        "--cpu", type=int, default=0, help="the CPU each process is pinned to (-1: not pinned)"
    )
    parser.add_argument("--output", default=str(HERE / "results"), help="results folder")
    args = parser.parse_args()
    backend, cpu = args.backend, (None if args.cpu < 0 else args.cpu)
    began = time.perf_counter()
    result = {"backend": backend, "machine": machine(backend, cpu), "repeats": args.repeats}

    imports = {name: [] for name in (FRAMEWORK[backend], "keras", "kcore", "numpy", "kcore-numpy")}
    for _ in range(args.import_repeats):
        for name in imports:
            what = "kcore" if name == "kcore-numpy" else name
            runner_backend = "numpy" if name == "kcore-numpy" else backend
            imports[name].append(import_seconds(what, runner_backend, cpu))
    result["import_s"] = {name: statistics.median(runs) for name, runs in imports.items()}
    print("import (s):", json.dumps(result["import_s"]), flush=True)

    workloads = {}
    for workload in args.workloads.split(","):
        runs = {name: [] for name in CONTENDERS}
        for repeat in range(args.repeats):
            order = CONTENDERS[repeat % 3 :] + CONTENDERS[: repeat % 3]
            for contender in order:
                line = _run(
                    [
                        "measure.py",
                        "--contender",
                        contender,
                        "--workload",
                        workload,
                        "--backend",
                        backend,
                        "--epochs",
                        str(args.epochs),
                    ],
                    backend,
                    cpu,
                )
                runs[contender].append(json.loads(line))
        workloads[workload] = {
            contender: {
                figure: statistics.median(run[figure] for run in contender_runs)
                for figure in contender_runs[0]
                if isinstance(contender_runs[0][figure], float)
            }
            | {"runs": contender_runs}
            for contender, contender_runs in runs.items()
        }
        medians = {c: round(workloads[workload][c]["samples_per_s"]) for c in CONTENDERS}
        print(f"{workload}: samples/s {medians}", flush=True)
    result["workloads"] = workloads
    result["wall_s"] = time.perf_counter() - began
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"bench_{backend}.json").write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    report = [sys.executable, str(HERE / "report.py"), "--results", str(out)]
    if out.resolve() != (HERE / "results").resolve():
        report.append("--no-readme")  # the README shows the recorded results only
    subprocess.run(report, check=True)


if __name__ == "__main__":
    main()
