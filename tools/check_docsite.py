#!/usr/bin/env python
"""Check what Sphinx cannot: the links into the published docsite, and the links that ansible-doc prints.

    python tools/check_docsite.py build/docsite/html     # nox session `docs-site` runs it after the build

* Every link of the built site that points into the published site (galaxy.yml's ``documentation`` URL, where the
  workflow publishes it) leads to a page of this build, and to an anchor that page has. The modules' ``seealso``
  links the error reference that way, so that ansible-doc and Galaxy show a link that works.
* ansible-doc (of the collection in ANSIBLE_COLLECTIONS_PATH) prints neither a docs.ansible.com search link nor a
  docs.ansible.com link to a page of this collection for any module: a ``seealso`` ``ref:`` becomes a search for its
  label there, which finds nothing, and docs.ansible.com has no page of this collection (it is not in the Ansible
  package).

Prints each problem and exits 1, or prints a one-line summary.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTION = "volcengine.cloud"
# a search (`#stq=<label>`, what ansible-doc makes of a `ref:`) or a page of this collection on docs.ansible.com
DEAD_ANSIBLE_DOCS_LINK = re.compile(r"https?://docs\.ansible\.com/\S*(?:#stq=|/collections/volcengine/cloud/)\S*")


class PageLinks(HTMLParser):
    """The href of every <a> and every id of one HTML page."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def read_page(path):
    parser = PageLinks()
    with open(path, encoding="utf-8") as page:
        parser.feed(page.read())
    return parser


def site_url():
    with open(os.path.join(REPO_ROOT, "galaxy.yml"), encoding="utf-8") as galaxy_file:
        url = yaml.safe_load(galaxy_file)["documentation"]
    return url if url.endswith("/") else url + "/"


def broken_site_links(html_root, url):
    """(page, link) for every link into ``url`` that leads to no page or no anchor of the build; and their number."""
    pages = {}
    for directory, _subdirectories, files in os.walk(html_root):
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(directory, name)
                pages[os.path.relpath(path, html_root).replace(os.sep, "/")] = read_page(path)
    broken, checked = [], 0
    for page_name, page in sorted(pages.items()):
        for link in page.links:
            if not link.startswith(url):
                continue
            checked += 1
            target, anchor = urldefrag(link[len(url):])
            target = unquote(target) or "index.html"
            if target.endswith("/"):
                target += "index.html"
            if target not in pages or (anchor and unquote(anchor) not in pages[target].ids):
                broken.append((page_name, link))
    return broken, checked


def ansible_doc_links(modules):
    """{module: [the DEAD_ANSIBLE_DOCS_LINK links of its ansible-doc text]}, from one run of ansible-doc."""
    program = os.path.join(os.path.dirname(sys.executable), "ansible-doc")  # the venv's, beside this Python
    if not os.path.exists(program):
        program = "ansible-doc"
    environment = dict(os.environ, ANSIBLE_NOCOLOR="1", COLUMNS="1000")
    text = subprocess.run([program, "-t", "module"] + modules, env=environment, check=True,
                          stdout=subprocess.PIPE, universal_newlines=True).stdout
    found, module = {name: [] for name in modules}, "(before the first module)"
    for line in text.splitlines():
        header = re.match(r"^> MODULE (\S+)", line)  # each module's text starts with it
        if header:
            module = header.group(1)
        found.setdefault(module, []).extend(DEAD_ANSIBLE_DOCS_LINK.findall(line))
    return found


def collection_modules():
    folder = os.path.join(REPO_ROOT, "plugins", "modules")
    return sorted("%s.%s" % (COLLECTION, name[:-3]) for name in os.listdir(folder)
                  if name.endswith(".py") and not name.startswith("_"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_root", help="the built site (build/docsite/html)")
    args = parser.parse_args()
    problems = []

    url = site_url()
    broken, checked = broken_site_links(args.html_root, url)
    problems.extend("%s links %s, which is not a page (or not an anchor) of this build" % item for item in broken)

    modules = collection_modules()
    for module, links in sorted(ansible_doc_links(modules).items()):
        problems.extend("ansible-doc %s prints %s, which leads to no page of this collection: link the page "
                        "of %s instead" % (module, link, url) for link in links)

    for problem in problems:
        print("check_docsite: %s" % problem)
    if problems:
        return 1
    print("check_docsite: %d links into %s lead to pages of this build; ansible-doc prints no dead docs.ansible.com "
          "link for %s" % (checked, url, ", ".join(modules)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
