#!/usr/bin/python3
"""matrix.py - render `faultline matrix --json` as markdown and a PNG.

usage: reports/matrix.py MATRIX.json OUTDIR

Writes OUTDIR/matrix.md and OUTDIR/matrix.png (the browsable page is
report.py's).  Every cell comes from the JSON the engine wrote; nothing is
computed here but layout.  Output is byte-identical for the same input (no
timestamps, PNG metadata stripped).  Needs Debian's python3-matplotlib
(run with /usr/bin/python3; see README).
"""
import json
import os
import sys

VERDICTS = ["CLEAN", "RACE", "DEADLOCK", "LIVELOCK", "INCOMPLETE", "ERROR", "n/a"]
COLOURS = {"CLEAN": "#cfe8cf", "RACE": "#f4a6a6", "DEADLOCK": "#f7c97e", "LIVELOCK": "#e8b0e8",
           "INCOMPLETE": "#d9d9d9", "ERROR": "#b0b0ff", "n/a": "#ffffff"}

# Verdicts shortened where a cell is narrow (the PNG, the HTML matrix).
SHORT = {"DEADLOCK": "DLOCK", "LIVELOCK": "LLOCK", "INCOMPLETE": "INCMP"}

SUPPORTED_VERSION = 1


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if data.get("faultline") != SUPPORTED_VERSION:
        sys.exit("%s: unsupported JSON version %r" % (path, data.get("faultline")))
    return data


def grid(data):
    """cells[model][scenario] -> cell dict, in the engine's order."""
    cells = {}
    for c in data["cells"]:
        cells.setdefault(c["model"], {})[c["scenario"]] = c
    return cells


def label(s):
    return s["race"] or s["name"]


# Lock-class cycles, noted beside the verdict (README: +LO, +WO).
NOTES = [("lock-order", "+LO"), ("wait-order", "+WO")]


def notes(c):
    return "".join(n for p, n in NOTES if p in c["properties"])


def cell_text(c, names=None, sep=""):
    """The verdict (as NAMES shortens it), SEP and its notes, "!" where it
    differs from the expectation."""
    text = (names or {}).get(c["verdict"], c["verdict"])
    if notes(c):
        text += sep + notes(c)
    if c["match"] is False:
        text += "!"
    return text


def write_markdown(data, cells, out):
    scns = data["scenarios"]
    lines = ["# faultline verdict matrix", "",
             "| model | " + " | ".join(label(s) for s in scns) + " |",
             "|---|" + "---|" * len(scns)]
    for m in data["models"]:
        row = [cell_text(cells[m["name"]][s["name"]]) for s in scns]
        lines.append("| %s | %s |" % (m["name"], " | ".join(row)))
    lines += ["", "| race | scenario | summary |", "|---|---|---|"]
    for s in scns:
        lines.append("| %s | %s | %s |" % (label(s), s["name"], s["summary"]))
    lines += ["", "`!` marks a cell that differs from the scenario's "
              "expectation; models/README.md explains each."]
    with open(os.path.join(out, "matrix.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def write_png(data, cells, out):
    """The heatmap for a slide or a mail: cell text 10 pt at the size it
    is written (110 dpi), long verdicts shortened as SHORT says, and a
    legend of every verdict under it."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    scns, models = data["scenarios"], data["models"]
    codes = [[VERDICTS.index(cells[m["name"]][s["name"]]["verdict"])
              for s in scns] for m in models]
    fig, ax = plt.subplots(figsize=(2.6 + 0.62 * len(scns),
                                    2.6 + 0.46 * len(models)))
    cmap = ListedColormap([COLOURS[v] for v in VERDICTS])
    ax.imshow(codes, cmap=cmap, vmin=0, vmax=len(VERDICTS) - 1, aspect="auto")
    ax.set_xticks(range(len(scns)), [label(s) for s in scns], fontsize=10,
                  rotation=40, ha="left", rotation_mode="anchor")
    ax.set_yticks(range(len(models)), [m["name"] for m in models],
                  fontsize=10)
    ax.tick_params(top=True, labeltop=True, bottom=False, labelbottom=False)
    ax.set_xticks([x - 0.5 for x in range(1, len(scns))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(models))], minor=True)
    ax.grid(which="minor", color="#888", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    for i, m in enumerate(models):
        for j, s in enumerate(scns):
            c = cells[m["name"]][s["name"]]
            ax.text(j, i, cell_text(c, SHORT, "\n"), ha="center",
                    va="center", fontsize=10, linespacing=1.1)
    handles = [Patch(facecolor=COLOURS[v], edgecolor="#888",
                     label="%s%s" % (v, " (%s)" % SHORT[v] if v in SHORT
                                     else "")) for v in VERDICTS]
    handles += [Patch(facecolor="white", edgecolor="white", label=text)
                for text in ("+LO: a lock-order cycle (lockdep)",
                             "+WO: a wait-order cycle (untracked locks)",
                             "!: differs from the scenario's expect line")]
    ax.legend(handles=handles, loc="upper center", fontsize=10,
              bbox_to_anchor=(0.5, -0.02), ncol=4, frameon=False)
    ax.set_title("faultline: scheme x race", fontsize=12)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "matrix.png"), dpi=110, metadata={"Software": None})
    plt.close(fig)


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: matrix.py MATRIX.json OUTDIR")
    data = load(argv[1])
    cells = grid(data)
    os.makedirs(argv[2], exist_ok=True)
    write_markdown(data, cells, argv[2])
    write_png(data, cells, argv[2])
    print("reports: wrote %s/matrix.md, matrix.png" % argv[2])


if __name__ == "__main__":
    main(sys.argv)
