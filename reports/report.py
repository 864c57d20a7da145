#!/usr/bin/python3
"""report.py - the browsable report: one self-contained HTML page.

usage: reports/report.py MATRIX.json HISTORY.json OUTDIR

Writes OUTDIR/report.html from what `faultline matrix --json` wrote (every
verdict, search figure, counterexample and named-schedule run comes from
there: nothing is computed here but layout) and reports/history.json (the
documented history).  The page holds:

  - the matrix with a legend, each cell's verdict against the scenario's
    `expect` line and against the documented history, each cell a link;
  - per cell a section: the verdict per checked property, the search
    figures, each counterexample drawn as an SVG sequence diagram (svg.py)
    with the column diagram beside it for mails, the named schedules run
    under the model, the lock-order and wait-order reports (both chains
    and the CPU table);
  - the comparison with the documented history, the evidence it cites
    (Message-IDs linked to the list archive);
  - a model-vs-model view (two models chosen in the page);
  - the model and scenario sources with line anchors, which every drawn
    step links to.

No network, fonts or external scripts: one inline style sheet and one
inline script (the model-vs-model view).  The faultline version, the
commit of the models and its date come from git, so the same tree gives
byte-identical output.
"""
import html
import json
import os
import re
import string
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import history  # noqa: E402
import svg  # noqa: E402
from matrix import COLOURS, SHORT, label, load, grid, notes  # noqa: E402

LORE = "https://lore.kernel.org/r/%s"
MSGID = re.compile(r"<([^<>\s@]+@[^<>\s]+)>")
FILE_LINE = re.compile(r"((?:models|scenarios)/[\w.+-]+):(\d+)")
LEGEND = [
    ("CLEAN", "no checked property is violated in any interleaving "
              "(complete search)"),
    ("RACE", "a checked property is violated in some interleaving"),
    ("DEADLOCK", "(DLOCK) a deadlock or lost wake-up is reachable"),
    ("LIVELOCK", "(LLOCK) a thread can spin for ever: a reachable, weakly fair cycle "
                 "in which it never completes its op"),
    ("INCOMPLETE", "(INCMP) the search hit a bound before proving CLEAN"),
    ("ERROR", "the model is broken for this scenario"),
    ("n/a", "the model lacks an op the scenario calls"),
]

e = html.escape


def git(*args):
    try:
        return subprocess.run(["git"] + list(args), capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def provenance():
    """faultline version (git describe), the last commit of the models and
    scenarios, and that commit's date: from git, never from the clock."""
    commit = git("log", "-1", "--format=%H", "--", "models", "scenarios")
    date = git("log", "-1", "--format=%cI", commit) if commit else ""
    dirty = git("status", "--porcelain", "--", "models", "scenarios")
    return {"version": git("describe", "--always", "--dirty") or "unknown",
            "commit": (commit or "unknown") +
                      (" + uncommitted changes" if dirty else ""),
            "date": date or "unknown"}


def cell_id(model, scn):
    return "cell-%s--%s" % (model, scn)


def src_id(path, line=None):
    base = "src-" + os.path.basename(path)
    return base if line is None else "%s-L%s" % (base, line)


def link_msgids(text):
    """Escape TEXT, each <Message-ID> a link to the list archive."""
    out, last = [], 0
    for m in MSGID.finditer(text):
        out.append(e(text[last:m.start()]))
        out.append('&lt;<a href="%s">%s</a>&gt;' % (e(LORE % m.group(1)),
                                                      e(m.group(1))))
        last = m.end()
    out.append(e(text[last:]))
    return "".join(out)


def link_file_lines(text):
    """Escape TEXT, each models/X:N or scenarios/X:N a link to the line."""
    out, last = [], 0
    for m in FILE_LINE.finditer(text):
        out.append(e(text[last:m.start()]))
        out.append('<a href="#%s">%s</a>' % (src_id(m.group(1), m.group(2)),
                                             e(m.group(0))))
        last = m.end()
    out.append(e(text[last:]))
    return "".join(out)


def expect_line(scn, model):
    """The line of SCN's `expect MODEL:`, or None."""
    for n, text in enumerate(scn["lines"], 1):
        if re.match(r"expect\s+%s\s*:" % re.escape(model), text):
            return n
    return None


def history_index(matrix, hist):
    """The history rows, and {(model, scenario): (row, agreement of that
    cell alone)} for the matrix cells' marks."""
    rows = history.compare(matrix, hist)
    cols = {c["id"]: c["races"] for c in hist["columns"]}
    cells = grid(matrix)
    index = {}
    for s in matrix["scenarios"]:
        for r in rows:
            if history.in_column(s["race"] or "", cols[r["column"]]):
                index[(r["model"], s["name"])] = (r, history.cell_agreement(
                    cells[r["model"]][s["name"]], r))
    return rows, index


# ---- the matrix -------------------------------------------------------

def expect_mark(c):
    if c["match"] is None:
        return "\u00b7", "no expect line"
    if c["match"]:
        return "\u2713", "as the scenario expects (%s)" % c["expected"]
    return "\u2717", "differs from the scenario's expectation (%s)" % \
        c["expected"]


def matrix_html(matrix, cells, hindex):
    scns = matrix["scenarios"]
    # cells shrink with the number of races so that the matrix stays
    # within 1400 pixels: 13 px up to about 22 races, never below 9 px
    px = max(9, min(13, int((1180 / max(len(scns), 1) - 6) / 3.5)))
    out = ['<table class="matrix" style="font-size:%dpx"><thead><tr>'
           '<th class="corner">model \\ race</th>' % px]
    for s in scns:
        out.append('<th title="%s: %s"><a href="#scn-%s">%s</a></th>' % (
            e(s["name"]), e(s["summary"]), e(s["name"]), e(label(s))))
    out.append("</tr></thead><tbody>")
    for m in matrix["models"]:
        out.append('<tr><th class="model" title="%s">%s</th>' % (
            e(m["summary"]), e(m["name"])))
        for s in scns:
            c = cells[m["name"]][s["name"]]
            mark, why = expect_mark(c)
            h, agree = hindex.get((m["name"], s["name"]), (None, None))
            hmark = ""
            if h and agree != "yes":
                hmark = '<span class="hist" title="history: %s">h</span>' % \
                    e(h["text"])
            out.append(
                '<td style="background:%s"><a class="cell" href="#%s" '
                'title="%s x %s: %s %s; %s">%s<br><span class="exp%s">%s</span>%s%s'
                '</a></td>' % (
                    COLOURS.get(c["verdict"], "#fff"), cell_id(m["name"], s["name"]),
                    e(m["name"]), e(s["name"]), e(c["verdict"]),
                    e(" ".join(c["properties"])), e(why),
                    e(SHORT.get(c["verdict"], c["verdict"])),
                    " no" if c["match"] is False else "", mark,
                    '<span class="note">%s</span>' % e(notes(c))
                    if notes(c) else "", hmark))
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def legend_html():
    items = ['<span class="sw" style="background:%s"></span><b>%s</b> %s'
             % (COLOURS[v], e(v), e(why)) for v, why in LEGEND]
    items += ['<b>+LO</b> lockdep would report a lock-order cycle; '
              '<b>+WO</b> a cycle through locks lockdep does not track '
              '(page, DAX entry, range locks)',
              '<b>\u2713</b> as the scenario\'s <code>expect</code> line '
              'says; <b>\u2717</b> differs from it; \u00b7 no expect line',
              '<span class="hist">h</span> differs from the documented '
              'history (models/README.md explains each)']
    return '<ul class="legend" id="legend">%s</ul>' % "".join(
        "<li>%s</li>" % i for i in items)


# ---- one cell ---------------------------------------------------------

def property_rows(scn, c):
    rows = []
    for p in scn["check"]:
        if p in c["properties"]:
            v = "sometimes"
        elif c["complete"]:
            v = "never"
        else:
            v = "incomplete (%s)" % (c.get("bound") or "bound")
        anchor = ""
        if p in c.get("counterexamples", {}):
            anchor = ' <a href="#%s-%s">counterexample</a>' % (
                cell_id(c["model"], c["scenario"]), p)
        elif c.get(p.replace("-", "_")):
            anchor = ' <a href="#%s-%s">report</a>' % (
                cell_id(c["model"], c["scenario"]), p)
        rows.append("<tr><td>%s</td><td class=\"%s\">%s%s</td></tr>" % (
            e(p), "bad" if v == "sometimes" else "", e(v), anchor))
    return '<table class="props">%s</table>' % "".join(rows)


def order_html(c, cid):
    """The search's lockdep reports as faultline writes them (the
    acquisition, the existing chain, the CPU table), file:line linked."""
    out = []
    for key in ("lock_order", "wait_order"):
        lines = c.get(key) or []
        if lines:
            prop = key.replace("_", "-")
            out.append('<h4 id="%s-%s">%s</h4><pre>%s</pre>' % (
                cid, prop, prop, "\n".join(link_file_lines(x)
                                            for x in lines)))
    return "".join(out)


def run_html(run, scn, title, anchor):
    diagram = "\n".join(run["diagram"])
    steps = []
    for st in run["steps"]:
        steps.append('<li value="%d"><a href="#%s">%s:%d</a> T%d %s</li>' % (
            st["step"], src_id(st["file"], st["line"]), e(st["file"]),
            st["line"], st["thread"], e(" / ".join(st["text"]))))
    note = ""
    if run["end_note"]:
        note = "<pre class=\"note\">%s</pre>" % link_file_lines(
            run["end_note"])
    return ('<div class="run" id="%s"><h4>%s</h4>'
            '<p>schedule %s; ends %s; reaches %s</p>%s%s'
            '<details><summary>text diagram (for a mail) and the steps'
            '</summary><pre>%s</pre><ol class="steps">%s</ol></details>'
            '</div>' % (
                anchor, title, e(",".join(map(str, run["schedule"]))),
                e(run["end"]), e(" ".join(run["properties"]) or "nothing"),
                svg.draw(run, scn, src_id, anchor), note, e(diagram),
                "".join(steps)))


def cell_html(scn, c, hindex):
    model = c["model"]
    cid = cell_id(model, scn["name"])
    out = ['<section class="cell" id="%s"><h3>%s \u00d7 %s (%s): '
           '<span style="background:%s" class="v">%s</span></h3>' % (
               cid, e(model), e(scn["name"]), e(label(scn)),
               COLOURS.get(c["verdict"], "#fff"), e(c["verdict"]))]
    out.append('<p>%s%s <a href="#scn-%s">Scenario</a>, '
               '<a href="#%s">model</a>.' % (
                   e(scn["summary"]),
                   "" if scn["summary"][-1:] in ".?!" else ".",
                   e(scn["name"]), src_id(model + ".model")))
    if c["expected"] is not None:
        ln = expect_line(scn, model)
        where = ' (<a href="#%s">%s:%d</a>)' % (
            src_id(scn["file"], ln), e(scn["file"]), ln) if ln else ""
        out.append(" Expected: <b>%s</b>%s; got: <b>%s</b> %s." % (
            e(c["expected"]), where,
            e(" ".join(c["properties"]) or "never"),
            "\u2713" if c["match"] else "\u2717 differs"))
    h, agree = hindex.get((model, scn["name"]), (None, None))
    if h:
        out.append(" Documented history (%s, column %s): <b>%s</b> %s; "
                   "<a href=\"#hist-%s-%s\">%s</a>." % (
                       e(h["scheme"]), e(h["column"]), e(h["text"]),
                       " ".join('<a href="#ev-%s">%s</a>' % (x, x)
                                for x in h["evidence"]),
                       e(h["model"]), e(h["column"]),
                       "this cell agrees" if agree == "yes" else
                       "this cell differs"))
    out.append("</p>")
    if c["verdict"] == "n/a":
        out.append("<p>The model lacks an op the scenario calls.</p>"
                   "</section>")
        return "".join(out)
    out.append(property_rows(scn, c))
    out.append('<p class="search">search: exhaustive, %s states, %s '
               'transitions, depth %s, %s</p>' % (
                   c["states"], c["transitions"], c.get("depth", "?"),
                   "complete" if c["complete"] else
                   "incomplete (%s)" % e(c.get("bound") or "")))
    drawn = {}
    named = {tuple(r["schedule"]): n for n, r in c.get("schedules",
                                                        {}).items()}
    for p, x in c.get("counterexamples", {}).items():
        sched = tuple(x["run"]["schedule"])
        anchor = "%s-%s" % (cid, p)
        title = "%s: %d preemption%s, %d steps%s%s" % (
            e(p), x["preemptions"], "" if x["preemptions"] == 1 else "s",
            len(sched), "" if x["minimal"] else " (not minimised)",
            " &mdash; the interleaving of named schedule %s" % e(
                named[sched]) if sched in named else "")
        if sched in drawn:
            out.append('<p id="%s">%s: the run drawn for <a href="#%s">%s'
                       '</a>.</p>' % (anchor, title, drawn[sched][0],
                                     e(drawn[sched][1])))
            continue
        drawn[sched] = (anchor, p)
        out.append(run_html(x["run"], scn, title, anchor))
    out.append(order_html(c, cid))
    for name, run in c.get("schedules", {}).items():
        sched = tuple(run["schedule"])
        same = [a for s, (a, _) in drawn.items()
                if s[:len(sched)] == sched and len(s) == len(sched)]
        title = "named schedule %s under %s" % (e(name), e(model))
        if same:
            out.append('<p>%s: the run drawn <a href="#%s">above</a>.</p>'
                       % (title, same[0]))
        else:
            out.append(run_html(run, scn, title, "%s-sched-%s" % (cid, name)))
    out.append("</section>")
    return "".join(out)


# ---- history, model-vs-model, sources --------------------------------

def history_html(hist, rows):
    cols = [c["id"] for c in hist["columns"]]
    by = {(r["model"], r["column"]): r for r in rows}
    models = [(s, m) for s in hist["schemes"] for m in s["models"]
              if any((m, c) in by for c in cols)]
    out = ['<table class="hist"><tr><th>scheme</th><th>model</th>%s</tr>' %
           "".join('<th title="%s">%s</th>' % (e(c["title"]), e(c["id"]))
                   for c in hist["columns"])]
    for s, m in models:
        out.append('<tr><th title="%s">%s</th><th>%s</th>' % (
            e(s["title"]), e(s["id"]), e(m)))
        for c in cols:
            r = by[(m, c)]
            cls = "agree" if r["agree"] == "yes" else "differ"
            out.append(
                '<td class="%s" id="hist-%s-%s"><div>%s %s</div>'
                '<div>model: <b>%s</b> %s</div></td>' % (
                    cls, e(m), e(c), e(r["text"]),
                    " ".join('<a href="#ev-%s">%s</a>' % (x, x)
                             for x in r["evidence"]),
                    e(r["got"]), e(" ".join(r["races"]))))
        out.append("</tr>")
    out.append("</table>")
    agree = sum(r["agree"] == "yes" for r in rows)
    out.append("<p>%d cells agree (or the history says n.a.), %d differ; "
               "models/README.md explains each difference.</p>" % (
                   agree, len(rows) - agree))
    ev = []
    for k, v in hist["evidence"].items():
        refs = ['&lt;<a href="%s">%s</a>&gt;' % (e(LORE % x), e(x))
                for x in v["messages"]] + ["commit %s" % e(x)
                                            for x in v["commits"]]
        ev.append('<li id="ev-%s"><b>%s</b> %s%s</li>' % (
            k, k, e(v["what"]), (": " + ", ".join(refs)) if refs else ""))
    out.append('<h3>Evidence</h3><ul class="evidence">%s</ul>' % "".join(ev))
    return "".join(out)


def versus_data(matrix):
    return {m["name"]: {c["scenario"]: [c["verdict"], c["properties"]]
                        for c in matrix["cells"] if c["model"] == m["name"]}
            for m in matrix["models"]}


def source_html(path, text):
    rows = []
    for n, line in enumerate(text.split("\n")[:-1] if text.endswith("\n")
                             else text.split("\n"), 1):
        rows.append('<tr id="%s"><td class="ln"><a href="#%s">%d</a></td>'
                    '<td>%s</td></tr>' % (src_id(path, n), src_id(path, n),
                                          n, link_msgids(line)))
    return '<section class="src" id="%s"><h3>%s</h3><table>%s</table>' \
           '</section>' % (src_id(path), e(path), "".join(rows))


def model_files(matrix):
    """Every model file the matrix names, with the bases they extend."""
    files = {}
    for m in matrix["models"]:
        d = os.path.dirname(m["file"])
        name = m["name"]
        while name:
            path = os.path.join(d, name + ".model")
            if path in files or not os.path.exists(path):
                break
            with open(path, encoding="utf-8") as f:
                files[path] = f.read()
            ext = re.search(r"^extends\s+(\S+)", files[path], re.M)
            name = ext.group(1) if ext else None
    return dict(sorted(files.items()))


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>faultline: scheme x race verdicts</title>
<style>
body{font:14px/1.4 sans-serif;margin:12px 20px;color:#111}
h1{font-size:20px;margin:0 0 4px}
.prov{color:#444;margin:0 0 8px;font-size:13px}
table.matrix{border-collapse:collapse}
.matrix th,.matrix td{border:1px solid #888;padding:0;font-family:sans-serif}
.matrix th.model{font-family:monospace}
.matrix th{padding:2px 4px;background:#f3f3f3}
.matrix th.model{text-align:left;white-space:nowrap}
.matrix a.cell{display:block;padding:1px 3px;line-height:1.15;color:#111;text-decoration:none;
 white-space:nowrap;text-align:center}
.matrix a.cell:hover{outline:2px solid #000}
.exp{margin-left:2px;color:#555;font-size:.85em}
.exp.no{color:#b00;font-weight:bold;font-size:1em}
.note{font-size:.77em;margin-left:1px}
span.hist{font-size:.85em;background:#333;color:#fff;border-radius:3px;
 padding:0 2px;margin-left:2px}
.legend{list-style:none;padding:0;margin:6px 0;columns:2;font-size:13px}
.sw{display:inline-block;width:14px;height:14px;border:1px solid #666;
 vertical-align:middle;margin-right:4px}
section.cell{border-top:2px solid #999;margin-top:18px}
section.cell:target{background:#fffbe6}
.v{padding:0 4px}
table.props td{padding:0 10px 0 0}
td.bad{color:#b00;font-weight:bold}
.search{color:#333}
pre{background:#f6f6f6;padding:6px;overflow-x:auto;font-size:12px}
pre.note{background:#fde8e8}
ol.steps{font:12px monospace}
table.hist{border-collapse:collapse;font-size:12px}
table.hist td,table.hist th{border:1px solid #aaa;padding:2px 4px;
 vertical-align:top}
td.agree{background:#e4f4e4}
td.differ{background:#fbdada}
.src table{border-collapse:collapse;font:12px monospace}
.src td{padding:0 6px;white-space:pre}
.src td.ln{text-align:right;color:#888;user-select:none}
.src tr:target{background:#ffe98a}
svg text{font-family:monospace}
#vs table{border-collapse:collapse;font:12px monospace}
#vs td,#vs th{border:1px solid #aaa;padding:1px 6px}
#vs tr.d{background:#fff1c1}
</style></head><body>
<h1>faultline: every locking scheme against every documented race</h1>
<p class="prov">faultline $version &middot; models at commit
<code>$commit</code> &middot; $date &middot; JSON format $fmt</p>
$matrix
$legend
<p>Each cell links to its verdict, search figures and drawn
counterexamples. Sections: <a href="#history">documented history</a>
&middot; <a href="#vs">model vs model</a> &middot; <a href="#perf">performance</a>
&middot; <a href="#scenarios">scenarios</a> &middot;
<a href="#cells">cells</a> &middot; <a href="#sources">sources</a></p>
<h2 id="history">The matrix beside the documented history</h2>
<p>$about</p>
$history
<h2 id="vs">Model vs model</h2>
<p><label>model A <select id="vs-a">$options</select></label>
<label>model B <select id="vs-b">$options</select></label>
<label><input type="checkbox" id="vs-only" checked> only where they differ
</label></p>
<div id="vs-out"></div>
<h2 id="perf">Performance</h2>
<p>No <code>faultline perf</code> results are in this build: nothing is
drawn. (<code>make bench</code> writes its figures to the README.)</p>
<h2 id="scenarios">Scenarios</h2>
<dl>$scenarios</dl>
<h2 id="cells">Cells</h2>
$cells
<h2 id="sources">Sources</h2>
$sources
<script id="vs-data" type="application/json">$vsdata</script>
<script>
(function () {
  var data = JSON.parse(document.getElementById("vs-data").textContent);
  var a = document.getElementById("vs-a"), b = document.getElementById("vs-b");
  var only = document.getElementById("vs-only");
  var out = document.getElementById("vs-out");
  var scns = $scnlist;
  b.selectedIndex = 1;
  function cell(m, s) {
    var v = data[m][s];
    return v ? v[0] + (v[1].length ? " (" + v[1].join(" ") + ")" : "") : "";
  }
  function link(m, s, text) {
    var x = document.createElement("a");
    x.href = "#cell-" + m + "--" + s;
    x.textContent = text;
    return x;
  }
  function show() {
    var t = document.createElement("table"), n = 0;
    var h = t.insertRow();
    [ "scenario", a.value, b.value ].forEach(function (x) {
      var th = document.createElement("th"); th.textContent = x;
      h.appendChild(th);
    });
    scns.forEach(function (s) {
      var x = cell(a.value, s), y = cell(b.value, s);
      if (only.checked && x === y) return;
      var r = t.insertRow();
      if (x !== y) { r.className = "d"; n++; }
      r.insertCell().textContent = s;
      r.insertCell().appendChild(link(a.value, s, x));
      r.insertCell().appendChild(link(b.value, s, y));
    });
    out.textContent = "";
    var p = document.createElement("p");
    p.textContent = n + " of " + scns.length + " scenarios differ";
    out.appendChild(p);
    out.appendChild(t);
  }
  [a, b, only].forEach(function (x) { x.addEventListener("change", show); });
  show();
})();
</script>
</body></html>
"""


def render(matrix, hist):
    cells = grid(matrix)
    for s in matrix["scenarios"]:
        with open(s["file"], encoding="utf-8") as f:
            s["text"] = f.read()
        s["lines"] = s["text"].split("\n")
    rows, hindex = history_index(matrix, hist)
    scns = matrix["scenarios"]
    sections = []
    for s in scns:
        for m in matrix["models"]:
            sections.append(cell_html(s, cells[m["name"]][s["name"]],
                                      hindex))
    scn_list = "".join(
        '<dt id="scn-%s"><b>%s</b> %s (<a href="#%s">%s</a>)</dt>'
        '<dd>%s<br>source: %s</dd>' % (
            e(s["name"]), e(label(s)), e(s["name"]), src_id(s["file"]),
            e(s["file"]), e(s["summary"]), link_msgids(s["source"]))
        for s in scns)
    sources = [source_html(p, t) for p, t in model_files(matrix).items()]
    sources += [source_html(s["file"], s["text"]) for s in scns]
    options = "".join('<option value="%s">%s</option>' % (e(m["name"]),
                                                         e(m["name"]))
                      for m in matrix["models"])
    prov = provenance()
    vs = json.dumps(versus_data(matrix), sort_keys=True).replace("</", "<\\/")
    return string.Template(PAGE).substitute(
        version=e(prov["version"]), commit=e(prov["commit"]),
        date=e(prov["date"]), fmt=matrix["faultline"],
        matrix=matrix_html(matrix, cells, hindex), legend=legend_html(),
        about=e(hist["about"]), history=history_html(hist, rows),
        options=options, scenarios=scn_list, cells="\n".join(sections),
        sources="\n".join(sources), vsdata=vs,
        scnlist=json.dumps([s["name"] for s in scns]))


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: report.py MATRIX.json HISTORY.json OUTDIR")
    matrix = load(argv[1])
    if any(k not in s for s in matrix["scenarios"]
           for k in ("file", "check", "threads", "processes")):
        sys.exit("%s: no scenario files, checks or threads: written by an "
                 "older faultline; run `faultline matrix --json` again"
                 % argv[1])
    page = render(matrix, history.load(argv[2]))
    os.makedirs(argv[3], exist_ok=True)
    path = os.path.join(argv[3], "report.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)
    print("reports: wrote %s" % path)


if __name__ == "__main__":
    main(sys.argv)
