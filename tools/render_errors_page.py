#!/usr/bin/env python
"""Render docs/errors.md, the error reference, as docs/docsite/rst/errors.rst for the collection's docsite.

    python tools/render_errors_page.py           # rewrite docs/docsite/rst/errors.rst
    python tools/render_errors_page.py --check   # exit 1 when it is not what docs/errors.md renders to

docs/errors.md stays the one page to edit (a unit test keeps its table in step with errors.ERROR_ADVICE); the
docsite, which takes reStructuredText only, gets this rendering of it, and a test fails when the two differ.
Only the Markdown that page uses is understood: headings, paragraphs, bullet lists (continuation lines indented by
two spaces), pipe tables, `code` and [text](url); anything else is refused rather than rendered wrongly.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(REPO_ROOT, "docs", "errors.md")
TARGET = os.path.join(REPO_ROOT, "docs", "docsite", "rst", "errors.rst")
LABEL = "ansible_collections.volcengine.cloud.docsite.errors"
GENERATED_NOTE = ".. Generated from docs/errors.md by tools/render_errors_page.py: edit that file."

HEADING = re.compile(r"^(#{1,3}) (.+)$")
CODE = re.compile(r"`([^`]+)`")
LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")
UNDERLINES = {1: "=", 2: "-", 3: "~"}


def inline(text):
    """Markdown inline markup as reStructuredText: `code` to ``code``, [text](url) to an anonymous link."""
    if "``" in text:
        raise ValueError("double backticks are not understood: %r" % text)
    text = LINK.sub(lambda match: "`%s <%s>`__" % (match.group(1), match.group(2)), text)
    text = CODE.sub(lambda match: "``%s``" % match.group(1), text)
    return text.replace("\\|", "|")


def table_cells(line):
    # a cell may hold an escaped pipe (\|)
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def render_table(lines):
    header, rule, rows = lines[0], lines[1], lines[2:]
    if not re.fullmatch(r"\|(?:-+\|)+", rule.strip()):
        raise ValueError("not a table rule: %r" % rule)
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header] + rows:
        cells = table_cells(row)
        out.append("   * - %s" % inline(cells[0]))
        out.extend("     - %s" % inline(cell) if cell else "     -" for cell in cells[1:])
    return out


def render(markdown):
    """The reStructuredText page for ``markdown`` (the text of docs/errors.md)."""
    # the label right above the page's title, which it names: with anything between them (a comment too) a :ref: to
    # it finds no title, and the docsite's build (nox session docs-site) fails
    out = [".. _%s:" % LABEL, ""]
    blocks = re.split(r"\n\s*\n", markdown.strip())
    for block in blocks:
        lines = block.splitlines()
        heading = HEADING.match(lines[0])
        if heading and len(lines) == 1:
            title = inline(heading.group(2))
            out += [title, UNDERLINES[len(heading.group(1))] * len(title)]
            if GENERATED_NOTE not in out:
                out += ["", GENERATED_NOTE]
        elif lines[0].startswith("|"):
            out += render_table(lines)
        elif lines[0].startswith("- "):
            for line in lines:
                if not line.startswith(("- ", "  ")):
                    raise ValueError("a list line that is neither an item nor its continuation: %r" % line)
                out.append(inline(line))
        elif any(line.startswith(("#", "|", "- ", "    ", "```", ">")) for line in lines):
            raise ValueError("Markdown this renderer does not understand: %r" % block)
        else:
            out += [inline(line) for line in lines]
        out.append("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the page is up to date")
    args = parser.parse_args()
    with open(SOURCE, encoding="utf-8") as source:
        page = render(source.read())
    if args.check:
        with open(TARGET, encoding="utf-8") as target:
            if target.read() != page:
                print("%s is not what %s renders to: run python tools/render_errors_page.py"
                      % (os.path.relpath(TARGET, REPO_ROOT), os.path.relpath(SOURCE, REPO_ROOT)))
                return 1
        print("%s is up to date" % os.path.relpath(TARGET, REPO_ROOT))
        return 0
    with open(TARGET, "w", encoding="utf-8") as target:
        target.write(page)
    print("wrote %s" % os.path.relpath(TARGET, REPO_ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
