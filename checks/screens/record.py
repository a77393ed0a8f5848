"""The record of the last good check against LinkedIn's live portal, and the sentence the site shows.

`drift --record` writes checks/screens/last-checked.json after a run in which every visited screen
was found; the site includes docs/.snippets/last-checked.md, rendered from that file here (a test
keeps the committed snippet equal to the rendering).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

RECORD_FILE = Path(__file__).parent / "last-checked.json"
SNIPPET_FILE = Path(__file__).resolve().parents[2] / "docs" / ".snippets" / "last-checked.md"


def load_record(path: Path = RECORD_FILE) -> dict:
    if not path.is_file():
        return {"portal": None, "screens": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def updated(record: dict, portal: str, screen_ids: list[str], today: dt.date) -> dict:
    """The record with today's date for each screen found; screens not visited keep their date."""
    screens = dict(record.get("screens", {}))
    screens.update({sid: today.isoformat() for sid in screen_ids})
    return {"portal": portal, "screens": dict(sorted(screens.items()))}


def _day(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B %Y')}"


def render_snippet(record: dict, total_screens: int) -> str:
    dates = sorted(set(record.get("screens", {}).values()))
    if not dates:
        return ("These steps and screenshots have not yet been checked against LinkedIn's live portal. "
                "If a button or field on your screen has a different name, LinkedIn has probably renamed it "
                "since 2025: use the closest match, and please "
                "[open an issue](https://github.com/linkedin-ads-token-guide/linkedin-ads-token-guide/issues).\n")
    checked = len(record["screens"])
    when = f"on {_day(dates[-1])}" if len(dates) == 1 else f"between {_day(dates[0])} and {_day(dates[-1])}"
    scope = "every screen" if checked >= total_screens else f"{checked} of the {total_screens} screens"
    rest = "" if checked >= total_screens else (" The others show steps a check must not take on a real "
                                                "account, and are drawn after the portal model.")
    found = "every button, link and field they name was found there" if checked >= total_screens else (
        "every button, link and field named on those screens was found there")
    return f"The steps were last checked against LinkedIn's live portal {when} ({scope}): {found}.{rest}\n"


def write_record(record: dict, total_screens: int, record_file: Path = RECORD_FILE,
                 snippet_file: Path = SNIPPET_FILE) -> None:
    """Both files replaced atomically (a Ctrl-C or a full disk never leaves half a JSON file)."""
    from checks.credentials.store import write_private

    write_private(record_file, json.dumps(record, indent=2) + "\n", mode=0o644)
    snippet_file.parent.mkdir(parents=True, exist_ok=True)
    write_private(snippet_file, render_snippet(record, total_screens), mode=0o644)
