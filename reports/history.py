#!/usr/bin/python3
"""history.py - set the verdict matrix beside the documented history.

usage: reports/history.py MATRIX.json HISTORY.json OUTDIR

HISTORY.json (reports/history.json) is the project's table of what the
kernel's history documents per locking scheme and race column, with the
commits and Message-IDs each verdict rests on.  This reads it and the
matrix `faultline matrix --json` wrote, and writes OUTDIR/history.md: one
row per scheme, model and column, what the history says, what the models
give, and whether they agree.  A column can span several scenarios (COL is
R6a and R6b; DIO is R7a-R7c; DL is every D-scenario and seed 003): the
models' cell is the worst verdict over those scenarios.  Disagreements are
for models/README.md to explain; this only lays them side by side.
report.py imports compare() for the HTML report.
"""
import json
import os
import re
import sys

RANK = {"n/a": 0, "CLEAN": 1, "INCOMPLETE": 2, "WAIT-ORDER": 3,
        "LOCK-ORDER": 3, "RACE": 4, "LIVELOCK": 5, "DEADLOCK": 5, "ERROR": 6}


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def first_verdict(text):
    for word in ("DEADLOCK", "RACE", "CLEAN"):
        if text.startswith(word):
            return word
    return "n/a"


def history_verdicts(text, model):
    """The verdicts a section 9 cell allows for MODEL.  "X -> Y" (fixed
    later within the scheme family) allows both; "A; B if whole-syscall"
    and "A page / B syscall" name the per-page and the whole-syscall
    variants, which are two models here."""
    t = text.replace("\u2192", "->")
    parts = re.split(r";|/", t)
    if len(parts) > 1:
        pick = [p for p in parts if "syscall" in p]
        t = (pick[0] if model.endswith("-syscall") and pick
             else parts[0]).strip()
        t = re.sub(r"^(?:per-page|page)\s*", "", t)
        t = re.sub(r"^(\w+) (?:page|syscall)\b", r"\1", t)
    allowed = {first_verdict(t)}
    m = re.match(r"(\w+)\s*->\s*(\w+)", t)
    if m:
        allowed |= {v for v in (first_verdict(m.group(1)),
                                first_verdict(m.group(2))) if v != "n/a"}
    if "->" in t and len(allowed) == 1:
        allowed.add("CLEAN")    # "RACE->fs zeroing", "RACE->v4.7": fixed later
    return allowed


HANG = {"deadlock", "lost-wakeup"}


def dl_verdict(cell):
    """The DL column asks only about deadlocks: a D-scenario's data races
    (D1 also checks stale-zero-page) do not count there."""
    props = set(cell["properties"])
    if cell["verdict"] == "n/a":
        return "n/a"
    if props & HANG:
        return "DEADLOCK"
    if "lock-order" in props:
        return "LOCK-ORDER"
    if "wait-order" in props:
        return "WAIT-ORDER"
    return "CLEAN" if cell["complete"] else "INCOMPLETE"


def in_column(race, races):
    """Whether scenario race RACE belongs to a column of RACES: equal, or
    a lettered variant (R6a, R6b of R6; never R10 of R1)."""
    return any(race == r or (race.startswith(r) and
                             race[len(r):].isalpha()) for r in races)


def model_verdict(cells, model, col, races):
    got = [c for c in cells if c["model"] == model and
           in_column(c["race"] or "", races)]
    verdicts = [dl_verdict(c) if col == "DL" else c["verdict"] for c in got]
    verdicts = [v for v in verdicts if v != "n/a"]
    if not verdicts:
        return "n/a", []
    return (max(verdicts, key=lambda v: RANK.get(v, 0)),
            sorted({c["race"] for c in got if c["verdict"] != "n/a"}))


def agreement(got, want):
    if got in ("LOCK-ORDER", "WAIT-ORDER") and "DEADLOCK" in want:
        return got.lower() + " only"
    return "yes" if got in want or want == {"n/a"} else "NO"


def cell_agreement(cell, row):
    """One matrix cell against its column's documented verdict (ROW of
    compare()).  A column's verdict is the worst of its cells, so a cell
    differs only where its column differs and it is the cell that gives
    the column its verdict (n/a where the model can express no scenario
    of the column)."""
    got = dl_verdict(cell) if row["column"] == "DL" else cell["verdict"]
    return row["agree"] if got == row["got"] else "yes"


def compare(matrix, history):
    """One dict per scheme x model x column: scheme, model, column, text
    (documented), evidence, got (the models' verdict), races, agree."""
    races = {s["name"]: s["race"] for s in matrix["scenarios"]}
    cells = [dict(c, race=races[c["scenario"]]) for c in matrix["cells"]]
    models = {m["name"] for m in matrix["models"]}
    rows = []
    for scheme in history["schemes"]:
        for model in scheme["models"]:
            if model not in models:
                continue
            for col in history["columns"]:
                doc = scheme["cells"][col["id"]]
                got, seen = model_verdict(cells, model, col["id"],
                                          col["races"])
                rows.append({
                    "scheme": scheme["id"], "model": model,
                    "column": col["id"], "text": doc["text"],
                    "evidence": doc["evidence"], "got": got,
                    "races": seen, "agree": agreement(
                        got, history_verdicts(doc["text"], model))})
    return rows


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: history.py MATRIX.json HISTORY.json OUTDIR")
    rows = compare(load(argv[1]), load(argv[2]))
    lines = ["# faultline matrix beside the documented history "
             "(reports/history.json)", "",
             "| scheme | model | column | documented | evidence | model | "
             "scenarios | agree |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["scheme"], r["model"], r["column"], r["text"].replace("|", "/"),
            " ".join(r["evidence"]), r["got"], " ".join(r["races"]),
            r["agree"]))
    agree = sum(r["agree"] == "yes" for r in rows)
    lines += ["", "%d cells agree (or the history says n.a.), %d differ: "
              "models/README.md explains each." % (agree, len(rows) - agree)]
    os.makedirs(argv[3], exist_ok=True)
    with open(os.path.join(argv[3], "history.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("reports: wrote %s/history.md (%d agree, %d differ)"
          % (argv[3], agree, len(rows) - agree))


if __name__ == "__main__":
    main(sys.argv)
