#!/usr/bin/python3
"""matrix.py - render `faultline matrix --json` as markdown, HTML and a PNG.

usage: reports/matrix.py MATRIX.json OUTDIR

Writes OUTDIR/matrix.md, OUTDIR/matrix.html and OUTDIR/matrix.png.  Every
cell comes from the JSON the engine wrote; nothing is computed here but
layout.  Output is byte-identical for the same input (no timestamps, PNG
metadata stripped).  Needs Debian's python3-matplotlib and python3-jinja2
(run with /usr/bin/python3; see README).
"""
import json
import os
import sys

VERDICTS = ["CLEAN", "RACE", "DEADLOCK", "INCOMPLETE", "ERROR", "n/a"]
COLOURS = {"CLEAN": "#cfe8cf", "RACE": "#f4a6a6", "DEADLOCK": "#f7c97e",
           "INCOMPLETE": "#d9d9d9", "ERROR": "#b0b0ff", "n/a": "#ffffff"}

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


def cell_text(c):
    text = c["verdict"] + "".join(n for p, n in NOTES if p in c["properties"])
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


def write_html(data, cells, out):
    import jinja2
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    tmpl = env.from_string("""<!doctype html>
<html><head><meta charset="utf-8"><title>faultline verdict matrix</title>
<style>td,th{border:1px solid #999;padding:2px 6px;font:12px monospace}
table{border-collapse:collapse}</style></head><body>
<h1>faultline verdict matrix</h1>
<table><tr><th>model</th>{% for s in scns %}<th title="{{ s.name }}">{{ label(s) }}</th>{% endfor %}</tr>
{% for m in models %}<tr><th title="{{ m.summary }}">{{ m.name }}</th>
{% for s in scns %}{% set c = cells[m.name][s.name] %}<td style="background:{{ colours[c.verdict] }}"
 title="{{ c.properties|join(' ') }}; {{ c.states }} states">{{ text(c) }}</td>{% endfor %}</tr>
{% endfor %}</table>
<ul>{% for s in scns %}<li>{{ label(s) }}: {{ s.name }} &mdash; {{ s.summary }}</li>{% endfor %}</ul>
</body></html>
""")
    html = tmpl.render(scns=data["scenarios"], models=data["models"],
                       cells=cells, label=label, text=cell_text,
                       colours=COLOURS)
    with open(os.path.join(out, "matrix.html"), "w", encoding="utf-8") as f:
        f.write(html)


def write_png(data, cells, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    scns, models = data["scenarios"], data["models"]
    codes = [[VERDICTS.index(cells[m["name"]][s["name"]]["verdict"])
              for s in scns] for m in models]
    fig, ax = plt.subplots(figsize=(1.0 + 0.75 * len(scns), 0.9 + 0.38 * len(models)))
    cmap = ListedColormap([COLOURS[v] for v in VERDICTS])
    ax.imshow(codes, cmap=cmap, vmin=0, vmax=len(VERDICTS) - 1, aspect="auto")
    ax.set_xticks(range(len(scns)), [label(s) for s in scns], rotation=45, ha="right")
    ax.set_yticks(range(len(models)), [m["name"] for m in models])
    for i, m in enumerate(models):
        for j, s in enumerate(scns):
            ax.text(j, i, cell_text(cells[m["name"]][s["name"]]), ha="center",
                    va="center", fontsize=6)
    ax.set_title("faultline: scheme x race")
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
    write_html(data, cells, argv[2])
    write_png(data, cells, argv[2])
    print("reports: wrote %s/matrix.md, matrix.html, matrix.png" % argv[2])


if __name__ == "__main__":
    main(sys.argv)
