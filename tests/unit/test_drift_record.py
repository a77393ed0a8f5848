"""The last-checked record and the sentence the site shows; how `screens` commands fail."""

import datetime as dt

from checks.errors import ExitCode
from checks.screens import __main__ as screens_cli
from checks.screens.record import (
    RECORD_FILE,
    SNIPPET_FILE,
    load_record,
    render_snippet,
    updated,
)
from checks.screens.steps import load_steps

STEPS = load_steps()


def test_committed_snippet_is_the_rendering_of_the_committed_record():
    assert SNIPPET_FILE.read_text(encoding="utf-8") == render_snippet(load_record(RECORD_FILE), len(STEPS.screens))


def test_without_a_live_check_the_site_says_so():
    text = render_snippet({"portal": None, "screens": {}}, 16)
    assert "not yet been checked against LinkedIn's live portal" in text and "2025" in text


def test_the_record_keeps_dates_of_screens_not_visited_and_names_the_range():
    first = updated({"portal": None, "screens": {}}, "https://www.linkedin.com", ["a", "b"], dt.date(2026, 11, 2))
    second = updated(first, "https://www.linkedin.com", ["a"], dt.date(2026, 11, 29))
    assert second["screens"] == {"a": "2026-11-29", "b": "2026-11-02"}
    text = render_snippet(second, 4)
    assert "between 2 November 2026 and 29 November 2026" in text and "2 of the 4 screens" in text
    assert "on 29 November 2026 (every screen)" in render_snippet(updated(second, "x", ["b", "c", "d"], dt.date(2026, 11, 29)), 4)


def test_a_bug_is_not_drift_it_exits_70_with_the_traceback_on_stderr(monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise ValueError("a bug in our code")

    monkeypatch.setattr("checks.screens.drift.check_drift", broken)
    code = screens_cli.main(["drift"])
    err = capsys.readouterr().err
    assert code == ExitCode.BUG == 70
    assert "Traceback (most recent call last)" in err and "in broken" in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("python -m checks.screens: error: a bug in python -m checks.screens (ValueError: a bug in our code)")


def test_ctrl_c_and_project_errors_are_one_line(monkeypatch, capsys, tmp_path):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("checks.screens.drift.check_drift", interrupted)
    assert screens_cli.main(["drift"]) == ExitCode.INTERRUPTED
    assert screens_cli.main(["scan", str(tmp_path / "nothing.png")]) == ExitCode.USAGE
    assert screens_cli.main(["drift", "--storage-state", str(tmp_path / "none.json"), "--base-url", "http://127.0.0.1:9"]) == ExitCode.USAGE
    lines = capsys.readouterr().err.strip().splitlines()
    assert ": interrupted" in lines[0] and "no such file" in lines[1] and "--storage-state" in lines[2]
    assert all("Traceback" not in line for line in lines)
