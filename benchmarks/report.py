"""The tables of the latest benchmark run, from `results/bench_<backend>.json`.

    python benchmarks/report.py            # writes results/bench.md and the README's table

`bench.py` calls it after each backend, so the tables always show every backend measured so far.
Each target of issue 8 is checked and marked: met, or missed (with the ratio).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
MARKERS = ("<!-- bench:start -->", "<!-- bench:end -->")
NAMES = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow"}
HAND = {
    "jax": "`jax.jit` + hand-written Adam",
    "torch": "eager `torch.nn` + `torch.optim.Adam`",
    "tensorflow": "`tf.function` + `GradientTape`",
}


def _mark(ok):
    return "" if ok else " ✗"


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _workload_rows(results, figure, cells):
    """One row per backend and workload: the backend, the workload, then `cells(kcore, keras,
    hand, figures)` for the three contenders' medians of `figure` (`figures`: all of them)."""
    rows = []
    for backend, r in results.items():
        for workload, w in r["workloads"].items():
            k, ke, h = (w[c][figure] for c in ("kcore", "keras", "hand"))
            rows.append([backend, workload, *cells(k, ke, h, w)])
    return rows


def fit_rows(results):
    return _workload_rows(
        results,
        "samples_per_s",
        lambda k, ke, h, _: [
            f"{k:.0f}",
            f"{ke:.0f}",
            f"{h:.0f}",
            f"{k / ke:.2f}{_mark(k / ke >= 1.0)}",
            f"{k / h:.2f}{_mark(k / h >= 0.9)}",
        ],
    )


def first_epoch_rows(results):
    return _workload_rows(
        results,
        "first_epoch_s",
        lambda k, ke, h, _: [f"{k:.2f}", f"{ke:.2f}", f"{h:.2f}", f"{k / ke:.2f}"],
    )


def latency_rows(results):
    return _workload_rows(
        results,
        "predict_ms",
        lambda k, ke, h, w: [
            f"{k:.2f}",
            f"{ke:.2f}",
            f"{w['kcore']['call_ms']:.2f}",
            f"{w['keras']['call_ms']:.2f}",
            f"{h:.2f}",
            f"{k / h:.1f}{_mark(k / h <= 2.0)}",
            f"{ke / h:.1f}",
        ],
    )


def memory_rows(results):
    return _workload_rows(
        results,
        "peak_rss_mb",
        lambda k, ke, h, _: [
            f"{k:.0f}",
            f"{ke:.0f}",
            f"{h:.0f}",
            f"{k / ke:.2f}{_mark(k <= ke)}",
        ],
    )


def import_rows(results):
    rows = []
    for backend, r in results.items():
        i = r["import_s"]
        base = i[NAMES[backend]]
        rows.append(
            [
                backend,
                f"{base:.2f}",
                f"{i['keras']:.2f}",
                f"{i['kcore']:.2f}",
                f"+{i['keras'] - base:.2f}",
                f"+{i['kcore'] - base:.2f}" + _mark(i["kcore"] - base <= 0.3),
            ]
        )
    numpy = [r["import_s"] for r in results.values()]
    if numpy:
        i = numpy[0]
        rows.append(
            [
                "numpy alone",
                f"{i['numpy']:.2f}",
                "",
                f"{i['kcore-numpy']:.2f}",
                "",
                f"{i['kcore-numpy']:.2f} total" + _mark(i["kcore-numpy"] <= 0.15),
            ]
        )
    return rows


def render(results):
    parts = []
    for backend, r in results.items():
        m = r["machine"]
        versions = ", ".join(f"{k} {v}" for k, v in sorted(m["versions"].items()))
        parts.append(
            f"- **{backend}** ({m['date']}, {r['repeats']} repeats, {r['wall_s'] / 60:.1f} min): "
            f"{m['cpu']}, {m['logical_cpus']} logical CPUs, {m['memory_gib']} GiB, "
            f"{m['os']}, Python {m['python']}, device: {m['device']}, {m['threads']}; "
            f"{versions}; hand-written: {HAND[backend]}"
        )
    sections = [
        "Machines and versions:\n\n" + "\n".join(parts),
        "Fit throughput (samples/s after the compiling epoch; targets: kcore / Keras 3 ≥ 1.0, "
        "kcore / hand-written ≥ 0.9; ✗ marks a miss):\n\n"
        + _table(
            [
                "backend",
                "workload",
                "kcore",
                "Keras 3",
                "hand-written",
                "kcore / Keras 3",
                "kcore / hand-written",
            ],
            fit_rows(results),
        ),
        "First epoch, compilation included (s):\n\n"
        + _table(
            ["backend", "workload", "kcore", "Keras 3", "hand-written", "kcore / Keras 3"],
            first_epoch_rows(results),
        ),
        "One-sample inference (median ms; target: kcore `predict` ≤ 2x the hand-written "
        "compiled forward pass):\n\n"
        + _table(
            [
                "backend",
                "workload",
                "kcore predict",
                "Keras 3 predict",
                "kcore model(x)",
                "Keras 3 model(x)",
                "hand-written forward",
                "kcore predict / hand",
                "Keras 3 predict / hand",
            ],
            latency_rows(results),
        ),
        "Peak memory of the whole run (RSS, MiB; target: kcore ≤ Keras 3):\n\n"
        + _table(
            ["backend", "workload", "kcore", "Keras 3", "hand-written", "kcore / Keras 3"],
            memory_rows(results),
        ),
        "Import and first array, in a fresh process (s; targets: kcore ≤ the backend + 0.3 s, "
        "≤ 0.15 s with numpy alone):\n\n"
        + _table(
            [
                "backend",
                "backend alone",
                "Keras 3",
                "kcore",
                "Keras 3 over backend",
                "kcore over backend",
            ],
            import_rows(results),
        ),
    ]
    return "\n\n".join(sections) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", default=str(HERE / "results"))
    parser.add_argument("--no-readme", action="store_true", help="leave README.md as it is")
    args = parser.parse_args()
    folder = Path(args.results)
    results = {}
    for backend in NAMES:
        path = folder / f"bench_{backend}.json"
        if path.exists():
            results[backend] = json.loads(path.read_text())
    text = render(results)
    (folder / "bench.md").write_text("# Latest benchmark run\n\n" + text)
    if not args.no_readme and README.exists():
        readme = README.read_text()
        start, end = MARKERS
        if start in readme and end in readme:
            pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
            readme = pattern.sub(lambda _: f"{start}\n{text}{end}", readme)
            README.write_text(readme)
    print(text)


if __name__ == "__main__":
    main()
