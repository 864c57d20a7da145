"""svg.py - a run (`faultline run --json`'s run object) drawn as an SVG
sequence diagram, for report.py.

One lane per thread, one row per step: the step's text in a box in its
thread's lane, linked to the model or scenario line that executed it,
inside a dashed box per op (store, fault, truncate) spanning the rows from
its first step to its last, other threads' steps between included.
Beside the boxes, one bar per lock the thread holds (dark: write or
exclusive, light: read) or waits for (dashed red), from the step after
which it appears in the run's `locks` lines to the step after which it is
gone.  A step that reports a violation is outlined red, its messages below
it; the step a message names as freeing a block ("freed by T1 at step 9")
is outlined orange with an arrow to the violation, and the step that set
the PTE a stale-pte message names is outlined purple.  A run that ends
stuck gets its wait-for graph (thread -> thread holding what it waits
for) drawn under the lanes.  Everything drawn is read from the run; the
layout is a function of it alone.
"""
import html
import re

CH = 7.3            # px per character of 12px monospace
LINE = 15           # px per text line
PAD = 4
BAR = 14            # px per lock bar column
LEFT = 34           # step numbers
LOCK_RE = re.compile(r"T(\d+) (holds|waits) (\S+) (read|write)$")
FREED_RE = re.compile(r"(B\d+)[^!]*?freed by T(\d+) at step (\d+)")
STALE_RE = re.compile(r"stale-pte: .*maps (B\d+)")

e = html.escape


def _locks(run, nthreads):
    """Per thread, the lock columns in order of first appearance, and per
    step the set of (lock, how) each thread has after it."""
    cols = [[] for _ in range(nthreads)]
    after = []
    for st in run["steps"]:
        now = [set() for _ in range(nthreads)]
        for line in st["locks"]:
            m = LOCK_RE.match(line)
            if not m:
                continue
            t, how, lock, mode = int(m.group(1)), m.group(2), m.group(3), \
                m.group(4)
            if t >= nthreads:
                continue
            if lock not in cols[t]:
                cols[t].append(lock)
            now[t].add((lock, "wait" if how == "waits" else mode))
        after.append(now)
    return cols, after


def _ops(run, nthreads):
    """Per thread, the ops it ran as (name, first row, last row, nested):
    a text line "fault(...) {" opens an op at the thread's next step, a
    line "} fault" closes it after this one; an op open before the first
    step (the scenario's own call) starts at the thread's first row, one
    still open at the end runs to the last row.  NESTED counts the levels
    of ops inside it, so that outer boxes are drawn wider."""
    spans = [[] for _ in range(nthreads)]
    stack = [[] for _ in range(nthreads)]
    first = [None] * nthreads
    for i, st in enumerate(run["steps"]):
        t = st["thread"]
        if t >= nthreads:
            continue
        first[t] = i if first[t] is None else first[t]
        stack[t] = [(name, i if start is None else start)
                    for name, start in stack[t]]
        for line in st["text"][1:]:
            if line.endswith(" {"):
                stack[t].append((line.split("(")[0], None))
            elif line.startswith("} "):
                name, start = stack[t].pop() if stack[t] else \
                    (line[2:], first[t])
                spans[t].append([name, start, i])
    last = len(run["steps"]) - 1
    for t in range(nthreads):
        for name, start in stack[t]:
            if start is not None:
                spans[t].append([name, start, last])
    for t in range(nthreads):
        for sp in spans[t]:
            inner = [o for o in spans[t] if o is not sp and
                     sp[1] <= o[1] and o[2] <= sp[2]]
            sp.append(len(inner))
    return spans


def _marks(run):
    """{step index: (colour, tag)} for freeing and PTE-setting steps, and
    the arrows (from index, to index) to the violations naming them."""
    index = {st["step"]: i for i, st in enumerate(run["steps"])}
    marks, arrows = {}, []
    for i, st in enumerate(run["steps"]):
        for v in st["violations"]:
            m = FREED_RE.search(v)
            if m and int(m.group(3)) in index:
                j = index[int(m.group(3))]
                marks[j] = ("#d97800", "frees %s" % m.group(1))
                if (j, i) not in arrows:
                    arrows.append((j, i))
            m = STALE_RE.search(v)
            if m:
                for j in range(i, -1, -1):
                    t = " ".join(run["steps"][j]["text"])
                    if re.search(r"set_pte\([^)]*\b%s\b" % m.group(1), t):
                        marks.setdefault(j, ("#7b2fbf", "sets the stale "
                                             "PTE (%s)" % m.group(1)))
                        break
    return marks, arrows


def draw(run, scn, src_id, uid):
    """The SVG of RUN; UID makes its marker ids unique in the page."""
    threads = scn["threads"]
    procs = scn["processes"]
    n = len(threads)
    steps = run["steps"]
    cols, after = _locks(run, n)
    marks, arrows = _marks(run)

    textw = [20] * n
    for st in steps:
        for line in st["text"]:
            textw[st["thread"]] = max(textw[st["thread"]], len(line))
    boxw = [min(w, 46) * CH + 2 * PAD for w in textw]
    lanew = [boxw[t] + BAR * len(cols[t]) + 24 for t in range(n)]
    lanex = [LEFT]
    for t in range(n - 1):
        lanex.append(lanex[-1] + lanew[t])
    width = lanex[-1] + lanew[-1] + 8
    for st in steps:
        for v in st["violations"]:
            width = max(width, LEFT + (len(v) + 4) * CH)
    label_len = max([len(c) for cs in cols for c in cs] + [0])
    top = 24 + int(label_len * CH) + 8

    # rows
    ys, y = [], top
    for st in steps:
        h = max(1, len(st["text"])) * LINE + PAD
        vh = len(st["violations"]) * LINE + (PAD if st["violations"] else 0)
        ys.append((y, h, vh))
        y += h + vh + 3
    bottom = y + 6

    out = []
    # lane headers, guides, lock labels
    for t in range(n):
        x = lanex[t]
        out.append('<text x="%.1f" y="16" font-size="13" font-weight="bold">'
                   '%s (%s)</text>' % (x, e(threads[t]), e(procs[t])))
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" '
                   'stroke="#ccc"/>' % (x + boxw[t] / 2, top - 4,
                                        x + boxw[t] / 2, bottom))
        for k, lock in enumerate(cols[t]):
            bx = x + boxw[t] + 8 + k * BAR + BAR / 2
            out.append('<text transform="translate(%.1f,%d) rotate(-90)" '
                       'font-size="11" fill="#234">%s</text>' % (
                           bx + 4, top - 6, e(lock)))
    # lock bars: a thread may hold a lock and wait for it again (a
    # self-deadlock), so holds and waits are two passes
    for t in range(n):
        for k, lock in enumerate(cols[t]):
            bx = lanex[t] + boxw[t] + 8 + k * BAR + 2
            for waits in (False, True):
                start, how0 = None, None
                for i in range(len(steps) + 1):
                    how = None
                    if i < len(steps):
                        how = next((hw for lk, hw in sorted(after[i][t])
                                    if lk == lock and
                                    (hw == "wait") == waits), None)
                    if how != how0:
                        if how0 is not None:
                            _bar(out, bx, ys, start, i, how0, lock, bottom)
                        start, how0 = i, how
    # ops: a box around the rows each op spans in its lane, outer wider
    for t, spans in enumerate(_ops(run, n)):
        for name, a, b, nested in spans:
            pad = 3 + 4 * nested
            y1, y2 = ys[a][0] - pad, ys[b][0] + ys[b][1] + pad
            out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" '
                       'rx="5" fill="#f7f1df" fill-opacity="0.55" '
                       'stroke="#b09a5c" stroke-dasharray="3,2">'
                       '<title>T%d: %s, steps %d-%d</title></rect>' % (
                           lanex[t] - pad, y1, boxw[t] + 2 * pad, y2 - y1,
                           t, e(name), steps[a]["step"], steps[b]["step"]))
    # step boxes
    for i, st in enumerate(steps):
        t = st["thread"]
        y, h, vh = ys[i]
        x = lanex[t]
        stroke, sw = "#666", 1
        if st["violations"]:
            stroke, sw = "#c00", 2.5
        elif i in marks:
            stroke, sw = marks[i][0], 2.5
        where = "%s:%d" % (st["file"], st["line"])
        out.append('<text x="4" y="%.1f" font-size="11" fill="#555">%d'
                   '</text>' % (y + 12, st["step"]))
        out.append('<a href="#%s"><title>step %d, T%d: %s</title>'
                   '<rect x="%.1f" y="%d" width="%.1f" height="%d" rx="3" '
                   'fill="#eef3fb" stroke="%s" stroke-width="%s"/>' % (
                       src_id(st["file"], st["line"]), st["step"], t,
                       e(where), x, y, boxw[t], h, stroke, sw))
        for k, line in enumerate(st["text"] or [""]):
            out.append('<text x="%.1f" y="%.1f" font-size="12">%s</text>' % (
                x + PAD, y + 12 + k * LINE, e(line[:46])))
        out.append("</a>")
        if i in marks and not st["violations"]:
            # the row is this step's alone: the tag goes in the lane
            # beside it
            tx, anchor = (x - 6, "end") if t else \
                (x + boxw[t] + 10 + BAR * len(cols[t]), "start")
            out.append('<text x="%.1f" y="%.1f" font-size="12" fill="%s" '
                       'font-weight="bold" text-anchor="%s">%s</text>' % (
                           tx, y + 12, marks[i][0], anchor,
                           e(marks[i][1])))
        for k, v in enumerate(st["violations"]):
            out.append('<text x="%d" y="%.1f" font-size="12" fill="#c00" '
                       'font-weight="bold">!! %s</text>' % (
                           LEFT, y + h + 12 + k * LINE, e(v)))
    # arrows from a freeing step to the violation naming it
    for j, i in arrows:
        tj, ti = steps[j]["thread"], steps[i]["thread"]
        x1 = lanex[tj] + boxw[tj] / 2
        y1 = ys[j][0] + ys[j][1]
        x2 = lanex[ti] + boxw[ti] / 2
        y2 = ys[i][0]
        out.append('<path d="M%.1f,%d C%.1f,%d %.1f,%d %.1f,%d" fill="none" '
                   'stroke="#d97800" stroke-width="1.5" stroke-dasharray="5,3" '
                   'marker-end="url(#%s-o)"/>' % (
                       x1, y1, x1, (y1 + y2) / 2, x2, (y1 + y2) / 2, x2, y2,
                       uid))
    graph_h = 0
    if run["end"] == "stuck" and steps:
        graph_h = _wait_for(out, after[-1], threads, bottom, width,
                            uid + "-r")
    defs = "".join(
        '<marker id="%s-%s" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto"><path '
        'd="M0,0 L10,5 L0,10 z" fill="%s"/></marker>' % (uid, k, colour)
        for k, colour in (("o", "#d97800"), ("r", "#c00")))
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
            'viewBox="0 0 %d %d" role="img"><defs>%s</defs>%s</svg>' % (
                width, bottom + graph_h, width, bottom + graph_h, defs,
                "".join(out)))


def _bar(out, x, ys, start, end, how, lock, bottom):
    """A bar from the middle of row START to the middle of row END (or
    the bottom if still held at the end of the run)."""
    y1 = ys[start][0] + ys[start][1] / 2
    y2 = ys[end][0] + ys[end][1] / 2 if end < len(ys) else bottom
    tip = "%s %s" % ({"wait": "waits for", "read": "holds (read)",
                      "write": "holds"}[how], lock)
    if how == "wait":
        out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" '
                   'stroke="#c00" stroke-width="3" stroke-dasharray="4,3">'
                   '<title>%s</title></line>' % (x + 3, y1, x + 3, y2,
                                                 e(tip)))
    else:
        out.append('<rect x="%.1f" y="%.1f" width="7" height="%.1f" '
                   'fill="%s"><title>%s</title></rect>' % (
                       x, y1, max(y2 - y1, 2),
                       "#2b4f8c" if how == "write" else "#8fb0e0", e(tip)))


def _wait_for(out, last, threads, y0, width, marker):
    """The wait-for graph at the end of a stuck run; returns its height."""
    n = len(threads)
    holders = {}
    for t in range(n):
        for lock, how in last[t]:
            if how != "wait":
                holders.setdefault(lock, []).append(t)
    edges = []
    for t in range(n):
        for lock, how in sorted(last[t]):
            if how == "wait":
                for h in holders.get(lock, []) or [None]:
                    edges.append((t, h, lock))
    h = 150
    cy = y0 + 85
    gap = max(140, min(220, (width - 80) / max(n, 1)))
    cx = [60 + k * gap for k in range(n)]
    out.append('<text x="4" y="%d" font-size="13" font-weight="bold" '
               'fill="#c00">wait-for graph at the end (stuck)</text>' %
               (y0 + 16))
    for t in range(n):
        out.append('<circle cx="%.1f" cy="%d" r="18" fill="#fde8e8" '
                   'stroke="#c00"/><text x="%.1f" y="%d" font-size="12" '
                   'text-anchor="middle">%s</text>' % (
                       cx[t], cy, cx[t], cy + 4, e(threads[t])))
    for k, (a, b, lock) in enumerate(edges):
        if b is None:
            out.append('<text x="%.1f" y="%d" font-size="11" fill="#c00" '
                       'text-anchor="middle">waits %s (no holder)</text>' % (
                           cx[a], cy + 36, e(lock)))
        elif a == b:
            out.append('<path d="M%.1f,%d C%.1f,%d %.1f,%d %.1f,%d" '
                       'fill="none" stroke="#c00" stroke-width="1.5" '
                       'marker-end="url(#%s)"/><text x="%.1f" y="%d" '
                       'font-size="11" fill="#c00" text-anchor="middle">'
                       '%s</text>' % (
                           cx[a] - 10, cy - 16, cx[a] - 40, cy - 60,
                           cx[a] + 40, cy - 60, cx[a] + 10, cy - 17,
                           marker, cx[a], cy - 50, e(lock)))
        else:
            bend = -40 if a < b else 40
            mx = (cx[a] + cx[b]) / 2
            out.append('<path d="M%.1f,%d Q%.1f,%d %.1f,%d" fill="none" '
                       'stroke="#c00" stroke-width="1.5" '
                       'marker-end="url(#%s)"/><text x="%.1f" y="%d" '
                       'font-size="11" fill="#c00" text-anchor="middle">'
                       'waits %s</text>' % (
                           cx[a], cy + (-14 if a < b else 14), mx,
                           cy + 2 * bend, cx[b], cy + (-14 if a < b else 14),
                           marker, mx, cy + bend + (-2 if a < b else 12),
                           e(lock)))
    return h
