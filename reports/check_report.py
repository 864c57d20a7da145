#!/usr/bin/python3
"""check_report.py - open the report in headless Chromium and check it.

usage: reports/check_report.py REPORT.html OUTDIR

Drives Debian's `chromium` over the DevTools protocol on a pipe
(--remote-debugging-pipe: no port, no websocket library) at a 1400x1000
viewport, and fails (exit 1, one line per problem) unless:

  - the page loads with no console error, no uncaught exception and no
    failed load (the report must need nothing from outside itself);
  - every matrix cell links to an anchor that exists, and so does every
    other in-page link (steps to source lines, evidence, scenarios);
  - the matrix and its legend are wholly in view at 1400x1000;
  - clicking the first cell that has a counterexample scrolls to its
    section, which holds an SVG drawing.

Keeps OUTDIR/report.png (the page as opened) and OUTDIR/report-cell.png
(the clicked cell's section) for a reviewer to look at.
"""
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile

WIDTH, HEIGHT = 1400, 1000
TIMEOUT = 120           # seconds without a word from the browser

CHECKS = """(() => {
  const bad = [];
  const ids = new Set(Array.from(document.querySelectorAll("[id]"),
                                 x => x.id));
  const cells = document.querySelectorAll("table.matrix a.cell");
  if (!cells.length) bad.push("no matrix cells");
  let links = 0;
  for (const a of document.querySelectorAll('a[href^="#"]')) {
    links++;
    const id = decodeURIComponent(a.getAttribute("href").slice(1));
    if (!ids.has(id)) bad.push("link to a missing anchor: #" + id);
  }
  for (const sel of ["table.matrix", "#legend"]) {
    const el = document.querySelector(sel);
    if (!el) { bad.push("missing " + sel); continue; }
    const r = el.getBoundingClientRect();
    if (r.top < 0 || r.left < 0 || r.bottom > innerHeight ||
        r.right > innerWidth)
      bad.push(sel + " not in view at " + innerWidth + "x" + innerHeight +
               ": " + JSON.stringify([r.left, r.top, r.right, r.bottom]));
  }
  return {bad: bad, cells: cells.length, links: links};
})()"""

CLICK = """(() => {
  const cells = Array.from(document.querySelectorAll("table.matrix a.cell"));
  const a = cells.find(x => {
    const s = document.getElementById(x.getAttribute("href").slice(1));
    return s && s.querySelector("svg");
  });
  if (!a) return {bad: ["no cell has a drawn counterexample"]};
  a.click();
  const s = document.getElementById(a.getAttribute("href").slice(1));
  const r = s.getBoundingClientRect();
  const bad = [];
  if (location.hash !== a.getAttribute("href"))
    bad.push("clicking " + a.title + " did not go to its section");
  if (Math.abs(r.top) > 2)
    bad.push("the section of " + a.title + " is not scrolled to the top");
  return {bad: bad, cell: a.title};
})()"""


class Browser:
    """Chromium with the DevTools protocol on fds 3 (in) and 4 (out)."""

    def __init__(self, exe, profile):
        to_chrome, self.w = os.pipe()
        self.r, from_chrome = os.pipe()
        # park the child's ends above 4, then dup them onto 3 and 4
        hi = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
              for fd in (to_chrome, from_chrome)]
        os.close(to_chrome)
        os.close(from_chrome)

        def child():
            os.dup2(hi[0], 3)
            os.dup2(hi[1], 4)
        args = [exe, "--headless", "--remote-debugging-pipe",
                "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions", "--hide-scrollbars",
                "--user-data-dir=" + profile, "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")
        # pass_fds keeps 3 and 4 open past close_fds, which runs after
        # the preexec function has put the pipes there
        self.proc = subprocess.Popen(args, pass_fds=(3, 4), preexec_fn=child,
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        for fd in hi:
            os.close(fd)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read(self):
        while b"\0" not in self.buf:
            if not select.select([self.r], [], [], TIMEOUT)[0]:
                raise RuntimeError("chromium said nothing for %d s" % TIMEOUT)
            chunk = os.read(self.r, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, session=None, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m["result"]
            self.events.append(m)

    def wait_event(self, method):
        for i, m in enumerate(self.events):
            if m.get("method") == method:
                del self.events[i]
                return m
        while True:
            m = self._read()
            if m.get("method") == method:
                return m
            self.events.append(m)

    def close(self):
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def problems_in(events):
    """Console errors, uncaught exceptions and failed loads."""
    out = []
    for m in events:
        p = m.get("params", {})
        if m.get("method") == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            out.append("uncaught: %s" % d.get("exception", {}).get(
                "description", d.get("text")))
        elif m.get("method") == "Runtime.consoleAPICalled" and \
                p.get("type") in ("error", "assert"):
            out.append("console.%s: %s" % (p["type"], " ".join(
                str(a.get("value", a.get("description"))) for a in p["args"])))
        elif m.get("method") == "Log.entryAdded" and \
                p["entry"]["level"] == "error":
            out.append("console: %s" % p["entry"]["text"])
    return out


def evaluate(b, session, expr):
    r = b.call("Runtime.evaluate", session, expression=expr,
               returnByValue=True)
    if "exceptionDetails" in r:
        return {"bad": ["check script failed: %s" % r["exceptionDetails"]]}
    return r["result"]["value"]


def screenshot(b, session, path):
    shot = b.call("Page.captureScreenshot", session, format="png")
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: check_report.py REPORT.html OUTDIR")
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        sys.exit("check-report: no chromium (make deps installs it)")
    url = "file://" + os.path.abspath(argv[1])
    profile = tempfile.mkdtemp(prefix="faultline-chromium-")
    b = Browser(exe, profile)
    bad = []
    try:
        target = b.call("Target.createTarget", url="about:blank")["targetId"]
        s = b.call("Target.attachToTarget", targetId=target,
                   flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            b.call(domain + ".enable", s)
        b.call("Emulation.setDeviceMetricsOverride", s, width=WIDTH,
               height=HEIGHT, deviceScaleFactor=1, mobile=False)
        nav = b.call("Page.navigate", s, url=url)
        if nav.get("errorText"):
            bad.append("cannot open %s: %s" % (url, nav["errorText"]))
        else:
            b.wait_event("Page.loadEventFired")
            first = evaluate(b, s, CHECKS)
            bad += first["bad"]
            screenshot(b, s, os.path.join(argv[2], "report.png"))
            click = evaluate(b, s, CLICK)
            bad += click["bad"]
            screenshot(b, s, os.path.join(argv[2], "report-cell.png"))
            evaluate(b, s, "0")     # flush events the click raised
            bad += problems_in(b.events)
            print("check-report: %d cells, %d in-page links, clicked %s" % (
                first.get("cells", 0), first.get("links", 0),
                click.get("cell", "nothing")))
    except RuntimeError as err:
        bad.append(str(err))
    finally:
        b.close()
        shutil.rmtree(profile, ignore_errors=True)
    for p in bad:
        print("check-report: FAIL %s" % p)
    print("check-report: %s; screenshots in %s/report.png, report-cell.png"
          % ("FAILED" if bad else "ok", argv[2]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
