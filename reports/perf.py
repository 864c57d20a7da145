#!/usr/bin/python3
"""perf.py - plot and tabulate `faultline perf --json`.

usage: reports/perf.py PERF.json [PERF.json...] OUTDIR
       reports/perf.py --columns MATRIX.json DISJOINT.json SHARED.json [OUTDIR]

The first form writes, per input, OUTDIR/perf-SCENARIO.svg and .png: on
the left throughput (ops per simulated second) against CPUs, one line per
scheme, log-log, the USL fit dashed; on the right the lock wait share
(the share of all threads' simulated time spent waiting for a lock) against
CPUs.  The second form prints the columns `make demo` sets beside the
correctness table: per model its verdicts over the matrix (`faultline
matrix --json`: how many races, deadlocks and clean cells), its
single-CPU cost relative to no locking, and its throughput at the
largest CPU count of each sweep, on disjoint and on shared pages (and
writes OUTDIR/perf-columns.md when OUTDIR is given).  Every figure
comes from the JSON; nothing is computed here but layout, counts and
the ratio of two figures the engine wrote.  Output is
byte-identical for the same input (no timestamps, SVG ids salted
constantly, PNG metadata stripped).  Run with /usr/bin/python3 (Debian's
matplotlib).

The JSON `faultline perf --json` writes (version "faultline": 1):

{
  "faultline": 1, "command": "perf",
  "scenario": PATH, "workload": NAME, "costs": NAME, "seed": N,
  "cpus": [N...], "widen": [F...],
  "models": [
    {"model": NAME, "applicable": false, "why": TEXT},
    {"model": NAME, "applicable": true,
     "nolock_ns": T,              # mean op time at 1 CPU with every lock
                                  # primitive free: "no locking" (0: the
                                  # sweep has no 1-CPU run)
     "usl": null | {"lambda": X1, "sigma": S, "kappa": K, "r2": R,
                    "peak": N},   # fitted on the first factor's runs
     "runs": [
       {"cpus": N, "widen": F,
        "ops": N, "simulated_ns": T, "events": N,
        "throughput": X,          # ops per simulated second
        "mean_ns": T,             # mean op latency
        "lock_wait_share": W,     # lock wait / (threads x simulated time)
        "stalled": B,             # no op completed for 2^20 steps: spinning
        "latency": [{"op": NAME, "background": B, "count": N,
                     "mean_ns": T, "p50_ns": T, "p99_ns": T,
                     "p999_ns": T, "max_ns": T}],
        "locks": [{"class": NAME, "acquisitions": N, "contended": N,
                   "wait_ns": T, "wait_max_ns": T, "hold_ns": T}],
        "violations": {"count": N, "per_million_ops": R,
                       "properties": {PROP: {"count": N, "time_ns": T,
                           "message": [LINE...],
                           "trace": [{"time_ns": T, "thread": N,
                                      "op": NAME | null, "primitive": NAME,
                                      "file": PATH, "line": N}]}}}}]}]
}

Runs come in the order of "widen" then "cpus"; the first factor of
"widen" is the timing the table and the plot use (1: realistic).
"""
import json
import os
import sys

SUPPORTED_VERSION = 1


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if data.get("faultline") != SUPPORTED_VERSION or \
            data.get("command") != "perf":
        sys.exit("%s: not `faultline perf --json` output (version %r)"
                 % (path, data.get("faultline")))
    return data


def applicable(data):
    return [m for m in data["models"] if m["applicable"]]


def base_runs(model, data):
    """The runs at the first widen factor, by CPU count."""
    w = data["widen"][0]
    return [r for r in model["runs"] if r["widen"] == w]


def si(x):
    """X with an SI suffix, three significant figures."""
    for div, suf in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= div:
            return "%.3g%s" % (x / div, suf)
    return "%.3g" % x


# ---- the plot ---------------------------------------------------------

def usl_curve(u, ns):
    return [u["lambda"] * n / (1 + u["sigma"] * (n - 1) +
                               u["kappa"] * n * (n - 1)) for n in ns]


def write_plot(data, out):
    import matplotlib
    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "faultline"
    import matplotlib.pyplot as plt

    models = applicable(data)
    fig, (ax, aw) = plt.subplots(1, 2, figsize=(13, 5.6))
    cmap = plt.get_cmap("tab20")
    for i, m in enumerate(models):
        runs = base_runs(m, data)
        ns = [r["cpus"] for r in runs]
        colour = cmap(i % 20)
        ax.plot(ns, [r["throughput"] for r in runs], marker="o",
                markersize=3, color=colour, label=m["model"])
        if m["usl"] and len(ns) > 1:
            fine = [ns[0] + (ns[-1] - ns[0]) * k / 64 for k in range(65)]
            ax.plot(fine, usl_curve(m["usl"], fine), linestyle="--",
                    linewidth=0.7, color=colour)
        aw.plot(ns, [100 * r["lock_wait_share"] for r in runs], marker="o",
                markersize=3, color=colour, label=m["model"])
    for a in (ax, aw):
        a.set_xscale("log", base=2)
        a.set_xticks(data["cpus"], [str(n) for n in data["cpus"]])
        a.set_xlabel("CPUs")
        a.grid(True, which="major", linewidth=0.3)
    ax.set_yscale("log")
    ax.set_ylabel("ops per simulated second (dashed: USL fit)")
    ax.set_title("throughput")
    aw.set_ylabel("% of CPU time waiting for a lock")
    aw.set_title("lock wait share")
    aw.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1),
              frameon=False)
    fig.suptitle("faultline perf %s (costs %s, seed %d)" % (
        os.path.basename(data["scenario"]), data["costs"], data["seed"]))
    fig.tight_layout()
    stem = os.path.join(out, "perf-" + os.path.splitext(
        os.path.basename(data["scenario"]))[0])
    fig.savefig(stem + ".svg", metadata={"Date": None, "Creator": None})
    fig.savefig(stem + ".png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    return stem


# ---- the matrix's columns ----------------------------------------------

def by_model(data):
    return {m["model"]: m for m in data["models"]}


def run_at(model, data, cpus):
    for r in base_runs(model, data):
        if r["cpus"] == cpus:
            return r
    return None


# The matrix's verdicts a row counts, in this order.
COUNTED = ["RACE", "DEADLOCK", "LIVELOCK", "CLEAN"]


def verdicts(matrix, name):
    """"RACE 9, DEADLOCK 2, CLEAN 14": MODEL's cells in MATRIX."""
    got = [c["verdict"] for c in matrix["cells"] if c["model"] == name]
    return ", ".join("%s %d" % (v, got.count(v)) for v in COUNTED
                     if got.count(v)) or "-"


def columns(matrix, disjoint, shared):
    """Rows (model, verdicts, 1-CPU cost, X at max CPUs disjoint,
    shared) as text."""
    rows = []
    top_d, top_s = max(disjoint["cpus"]), max(shared["cpus"])
    head = ("model", "correctness (matrix cells)", "1-CPU cost vs no locking",
            "disjoint ops/s @%d CPUs" % top_d, "shared ops/s @%d CPUs" % top_s)
    d, s = by_model(disjoint), by_model(shared)
    for name in [m["name"] for m in matrix["models"]]:
        cells = [name, verdicts(matrix, name)]
        m = d.get(name)
        one = run_at(m, disjoint, 1) if m and m["applicable"] else None
        cells.append("%.2fx" % (one["mean_ns"] / m["nolock_ns"])
                     if one and m["nolock_ns"] > 0 else "n/a")
        for data, byname, top in ((disjoint, d, top_d), (shared, s, top_s)):
            mm = byname.get(name)
            r = run_at(mm, data, top) if mm and mm["applicable"] else None
            cells.append(si(r["throughput"]) if r else "n/a")
        rows.append(cells)
    return head, rows


def columns_text(head, rows):
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
    return "\n".join([line(head)] + [line(r) for r in rows]) + "\n"


def columns_md(head, rows):
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def main(argv):
    if len(argv) in (5, 6) and argv[1] == "--columns":
        with open(argv[2], encoding="utf-8") as f:
            matrix = json.load(f)
        head, rows = columns(matrix, load(argv[3]), load(argv[4]))
        sys.stdout.write(columns_text(head, rows))
        if len(argv) == 6:
            with open(os.path.join(argv[5], "perf-columns.md"), "w",
                      encoding="utf-8") as f:
                f.write(columns_md(head, rows))
        return
    if len(argv) < 3 or argv[1].startswith("-"):
        sys.exit(__doc__.split("\n\n")[1])
    out = argv[-1]
    os.makedirs(out, exist_ok=True)
    for path in argv[1:-1]:
        stem = write_plot(load(path), out)
        print("reports: wrote %s.svg, %s.png" % (stem, stem))


if __name__ == "__main__":
    main(sys.argv)
