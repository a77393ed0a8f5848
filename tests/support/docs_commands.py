"""The commands a reader types, as the site shows them: the code of each content tab ("macOS / Linux",
"Windows") on the reader's pages, with `--8<--` snippets from docs/.snippets expanded."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.support import ROOT

SYSTEMS = ("macOS / Linux", "Windows")
READER_PAGES = ("index.md", "guide.md", "cli.md", "verify.md", "troubleshooting.md")
SNIPPETS = ROOT / "docs" / ".snippets"

_TAB = re.compile(r'^=== "(?P<label>[^"]+)"\n\n(?P<body>(?:(?: {4}.*)?\n)+)', re.MULTILINE)
_FENCE = re.compile(r"^```[^\n]*\n(?P<code>.*?)^```", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class TabSet:
    page: str
    tabs: dict[str, list[str]]  # label -> the command lines of its code block, comments dropped


def expand_snippets(markdown: str, snippets: Path = SNIPPETS) -> str:
    return re.sub(r'^--8<-- "([^"]+)"$', lambda m: (snippets / m.group(1)).read_text(encoding="utf-8"),
                  markdown, flags=re.MULTILINE)


def command_lines(code: str) -> list[str]:
    """The lines of a code block as typed: trailing `# comments` and blank lines dropped."""
    lines = (re.sub(r"\s+#\s.*$", "", line).rstrip() for line in code.splitlines())
    return [line for line in lines if line]


def tab_sets(page: str, docs: Path = ROOT / "docs") -> list[TabSet]:
    """Every run of consecutive tabs on a page, as one set."""
    text = expand_snippets((docs / page).read_text(encoding="utf-8"))
    sets: list[TabSet] = []
    last_end = None
    for match in _TAB.finditer(text):
        body = "\n".join(line[4:] for line in match["body"].splitlines())
        fence = _FENCE.search(body + "\n")
        lines = command_lines(fence["code"]) if fence else []
        if last_end is not None and text[last_end:match.start()].strip() == "" and sets:
            sets[-1].tabs[match["label"]] = lines
        else:
            sets.append(TabSet(page, {match["label"]: lines}))
        last_end = match.end()
    return sets


def all_tab_sets(pages=READER_PAGES) -> list[TabSet]:
    return [s for page in pages for s in tab_sets(page)]
