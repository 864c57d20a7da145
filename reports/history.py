#!/usr/bin/python3
"""history.py - set the verdict matrix beside kernel-history.md section 9.

usage: reports/history.py MATRIX.json KERNEL-HISTORY.md OUTDIR

Reads the truth table (section 9) of the kernel-history report and the
matrix `faultline matrix --json` wrote, and writes OUTDIR/history.md: one
row per scheme and column, what section 9 says, what the models give, and
whether they agree.  A section 9 column can span several scenarios (COL is
R6a and R6b; DIO is R7a-R7c; DL is every D-scenario and seed 003): the
models' cell is the worst verdict over those scenarios.  Disagreements are
for models/README.md to explain; this script only lays them side by side.
"""
import json
import os
import re
import sys

# Section 9 rows -> the models that implement the scheme.
SCHEMES = {
    "S1": ["v4.2-dax"], "S2": ["i_mmap-exclusive"], "S3": ["v4.3-dax"],
    "S4": ["kirill-range-lock"], "S5": ["xfs-mmaplock", "xfs-pagecache"],
    "S6": ["ext4-i_mmap_sem", "ext4-pagecache"], "S7": ["boaz-early-unlock"],
    "S8": ["jan-hashed-mutex"],
    "S9": ["dax-entry-lock", "dax-entry-lock-noflush"],
    "S10": ["page-lock"], "S11": ["vfs-range-lock", "vfs-range-lock-syscall"],
    "S12": ["invalidate-lock"],
}

# Section 9 columns -> race ids (a prefix match on the scenario's race).
COLUMNS = [
    ("F-T", ["R1"]), ("F-P", ["R2"]), ("FF-W", ["R3"]),
    ("FF-RW", ["R4", "R4b"]), ("WF-FL", ["R5"]), ("COL", ["R6"]),
    ("DIO", ["R7"]), ("PMD", ["R8"]), ("RD-P", ["R9"]),
    ("DL", ["D", "seed-003"]),
]

RANK = {"n/a": 0, "CLEAN": 1, "INCOMPLETE": 2, "WAIT-ORDER": 3,
        "LOCK-ORDER": 3, "RACE": 4, "DEADLOCK": 5, "ERROR": 6}


def truth_table(path):
    """{scheme: {column: text}} from the markdown table of section 9."""
    rows = {}
    with open(path, encoding="utf-8") as f:
        text = f.read()
    start = text.find("## 9. Truth table")
    if start < 0:
        sys.exit("%s: no section 9 truth table" % path)
    for line in text[start:].splitlines():
        m = re.match(r"\|\s*(S\d+)\b[^|]*\|(.*)\|\s*$", line)
        if not m:
            continue
        cells = [c.strip() for c in m.group(2).split("|")]
        if len(cells) == len(COLUMNS):
            rows[m.group(1)] = dict(zip([c for c, _ in COLUMNS], cells))
    return rows


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


def model_verdict(cells, model, col, prefixes):
    got = [c for c in cells if c["model"] == model and
           any((c["race"] or "").startswith(p) for p in prefixes)]
    verdicts = [dl_verdict(c) if col == "DL" else c["verdict"] for c in got]
    verdicts = [v for v in verdicts if v != "n/a"]
    if not verdicts:
        return "n/a", []
    return (max(verdicts, key=lambda v: RANK.get(v, 0)),
            sorted({c["race"] for c in got if c["verdict"] != "n/a"}))


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: history.py MATRIX.json KERNEL-HISTORY.md OUTDIR")
    with open(argv[1], encoding="utf-8") as f:
        matrix = json.load(f)
    races = {s["name"]: s["race"] for s in matrix["scenarios"]}
    cells = [dict(c, race=races[c["scenario"]]) for c in matrix["cells"]]
    table = truth_table(argv[2])
    lines = ["# faultline matrix beside kernel-history.md section 9", "",
             "| scheme | model | column | section 9 | model | scenarios | agree |",
             "|---|---|---|---|---|---|---|"]
    agree = differ = 0
    for scheme, models in SCHEMES.items():
        for model in models:
            for col, prefixes in COLUMNS:
                hist = table.get(scheme, {}).get(col, "")
                want = history_verdicts(hist, model)
                got, races_seen = model_verdict(cells, model, col, prefixes)
                if got in ("LOCK-ORDER", "WAIT-ORDER") and "DEADLOCK" in want:
                    ok = got.lower() + " only"
                else:
                    ok = "yes" if got in want or want == {"n/a"} else "NO"
                if ok == "yes":
                    agree += 1
                else:
                    differ += 1
                lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                    scheme, model, col, hist.replace("|", "/"), got,
                    " ".join(races_seen), ok))
    lines += ["", "%d cells agree (or section 9 says n.a.), %d differ: "
              "models/README.md explains each." % (agree, differ)]
    os.makedirs(argv[3], exist_ok=True)
    with open(os.path.join(argv[3], "history.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("reports: wrote %s/history.md (%d agree, %d differ)"
          % (argv[3], agree, differ))


if __name__ == "__main__":
    main(sys.argv)
