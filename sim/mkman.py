#!/usr/bin/python3
"""mkman.py - faultline(1) from README.md: the man page is not written twice.

usage: sim/mkman.py README.md VERSION > faultline.1

The sections a user of the command needs (Commands and its subsections,
Search, Trail files, JSON) are converted from the README's markdown:
headings become .SH / .SS, tables .TP paragraphs, fenced code .nf/.fi,
`code` bold.  Anything else in the README stays out of the page.
"""
import re
import sys

SECTIONS = ("Commands", "Search", "Trail files", "JSON")


def roff_text(s):
    """Inline markdown to roff: escapes, `code` in bold, links as text."""
    s = s.replace("\\", "\\e").replace("\\e|", "|")
    s = re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"`([^`]*)`", lambda m: "\\fB" + m.group(1) + "\\fR", s)
    s = s.replace("\\e|", "|")
    return s


def line_out(out, s):
    """A text line: roff takes a leading '.' or "'" as a request."""
    if s.startswith((".", "'")):
        s = "\\&" + s
    out.append(s)


def table_row(s):
    cells = [c.strip() for c in re.split(r"(?<!\\)\|", s.strip())[1:-1]]
    return [c.replace("\\|", "|") for c in cells]


def convert(md):
    out, keep, in_code = [], False, False
    for raw in md.splitlines():
        head = re.match(r"^(#+) (.*)$", raw)
        if head and not in_code:
            level, title = len(head.group(1)), head.group(2)
            if level == 2:
                keep = any(title.startswith(t) for t in SECTIONS)
                if keep:
                    out.append(".SH " + roff_text(title.upper()))
            elif keep and level >= 3:
                out.append(".SS " + roff_text(title))
            continue
        if not keep:
            continue
        if raw.startswith("```"):
            in_code = not in_code
            out.append(".nf" if in_code else ".fi")
            continue
        if in_code:
            line_out(out, raw.replace("\\", "\\e"))
        elif raw.startswith("|"):
            cells = table_row(raw)
            if all(re.fullmatch(r"-+", c) for c in cells):
                continue
            if cells and cells[0] in ("command", "code", "option"):
                continue  # the header row
            out.append(".TP")
            line_out(out, roff_text(cells[0]))
            line_out(out, roff_text(" ".join(cells[1:])))
        elif not raw.strip():
            out.append(".PP")
        elif raw.startswith("* "):
            out.append(".IP \\(bu 2")
            line_out(out, roff_text(raw[2:]))
        else:
            line_out(out, roff_text(raw.strip()))
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: sim/mkman.py README.md VERSION")
    with open(sys.argv[1], encoding="utf-8") as f:
        md = f.read()
    page = [
        '.TH FAULTLINE 1 "" "faultline %s" "User Commands"' % sys.argv[2],
        ".SH NAME",
        "faultline \\- deterministic race-reproduction simulator for "
        "Linux fs/mm locking schemes",
        ".SH SYNOPSIS",
        ".B faultline",
        "[\\fB\\-\\-models\\fR \\fIDIR\\fR[:\\fIDIR\\fR...]] "
        "\\fICOMMAND\\fR [\\fIARGS\\fR]",
    ] + convert(md) + [
        ".SH SEE ALSO",
        "The README.md this page is generated from, models/README.md and "
        "scenarios/README.md (installed with the libraries).",
    ]
    # collapse runs of paragraph breaks
    text = re.sub(r"(\.PP\n)+", ".PP\n", "\n".join(page) + "\n")
    text = re.sub(r"\.PP\n(\.(SH|SS|TP|nf))", r"\1", text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
