"""Drift against a second, independently written portal (tests/support/portal_replica): markup a
reader would not notice is not drift; a changed portal exits 1 naming the step; a visitor kept out
(sign-in wall, security check, 999, consent dialog, German interface) exits 3 naming the cause."""

import json
import subprocess
import sys

import pytest

from checks.errors import ExitCode
from checks.screens.drift import check_drift, stale_line, verdict
from checks.screens.steps import load_steps
from checks.screens.walk import Portal
from tests.support import ROOT
from tests.support.portal_replica import serve_replica

pytestmark = pytest.mark.browser
STEPS = load_steps()
# The approval e-mail is drawn by the model (/_model/inbox): it is an inbox, not a portal page.
PORTAL_SCREENS = tuple(s for s in STEPS.screens if not s.path.startswith("/_model/"))
# One screen per page kind, for conditions that slow every page down.
SAMPLE = ["create-app", "verify-button", "credentials", "select-scopes", "allow"]


def drift(browser, conditions=(), *, only=None, storage_state=None, settle=2.5):
    screens = PORTAL_SCREENS if only is None else tuple(STEPS.get(i) for i in only)
    steps = STEPS.model_copy(update={"screens": screens})
    with serve_replica(set(conditions)) as sites:
        portal = Portal(sites.www, sites.developer, True, dict(STEPS.placeholders), storage_state, settle)
        return verdict(check_drift(steps, portal, browser=browser))


def lang_session(tmp_path, lang):
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"cookies": [{"name": "lang", "value": f"v=2&lang={lang}", "domain": "127.0.0.1",
                                              "path": "/", "expires": -1, "httpOnly": False, "secure": False,
                                              "sameSite": "Lax"}], "origins": []}))
    return str(state)


def test_an_unchanged_replica_with_other_markup_is_unchanged(browser):
    result = drift(browser)
    assert [(o.screen.id, o.problems, o.reason) for o in result.outcomes if o.status != "ok"] == []
    assert (result.outcome, result.exit_code) == ("unchanged", ExitCode.OK)


@pytest.mark.parametrize("conditions", [{"script"}, {"consent"}, {"german"}, {"script", "consent"}],
                         ids=lambda c: "+".join(sorted(c)))
def test_live_conditions_we_can_get_past_are_unchanged(browser, tmp_path, conditions):
    # "german": the saved session asks for German; the check asks for English and gets it.
    result = drift(browser, conditions, only=SAMPLE, storage_state=lang_session(tmp_path, "de"), settle=5)
    assert [(o.screen.id, o.status, o.problems, o.reason) for o in result.outcomes if o.status != "ok"] == []
    assert result.exit_code == ExitCode.OK


@pytest.mark.parametrize("condition, cause, fix", [
    ("authwall", "signed out", "checks.screens login"),
    ("login-redirect", "signed out", "session has expired"),
    ("checkpoint", "security check", "checks.screens login"),
    ("999", "HTTP 999", "try again later"),
    ("429", "HTTP 429", "wait an hour"),
    ("consent-no-decline", "cookie-consent dialog", "answer the dialog"),
    ("german-only", "non-English interface", "Display language"),
])
def test_a_blocked_visitor_is_not_drift(browser, condition, cause, fix):
    result = drift(browser, {condition}, only=SAMPLE)
    assert (result.outcome, result.exit_code) == ("blocked", ExitCode.TRANSIENT)
    assert not result.changed, "a block never counts as drift"
    first = result.blocks[0]
    assert cause in first.reason and fix in first.fix
    visited_after = [o for o in result.outcomes[result.outcomes.index(first) + 1:] if "not visited" not in o.reason]
    assert visited_after == [], "after a block the remaining screens are left alone"


MUTATIONS = {  # condition: (screen that must go stale, what it expected, a look-alike the line names)
    "renamed-button": ("create-token", 'button/link "Create token"', '"Generate token"'),
    "removed-tab": ("request-access", 'tab "Products"', "Available products"),
    "moved-link": ("oauth-tools-link", 'link "OAuth 2.0 tools"', "OAuth 2.0 settings"),
}


def test_a_changed_replica_names_each_changed_step_and_only_those(browser):
    result = drift(browser, set(MUTATIONS))  # one run, three independent changes on three pages
    assert (result.outcome, result.exit_code) == ("changed", ExitCode.FIX)
    assert sorted(o.screen.id for o in result.changed) == sorted(m[0] for m in MUTATIONS.values())
    lines = {o.screen.id: stale_line(o) for o in result.changed}
    for screen, expected, alike in MUTATIONS.values():
        line = lines[screen]
        assert line.startswith(f"{screen} (Step {STEPS.get(screen).guide_step}") and f"expected {expected}" in line
        assert alike in line


def test_an_unreachable_portal_is_a_network_block_not_drift(browser):
    with serve_replica() as sites:
        closed = sites.www  # the server is gone once the block ends: its port refuses connections
    portal = Portal(closed, closed, True, dict(STEPS.placeholders), settle_timeout_s=1)
    only = STEPS.model_copy(update={"screens": (STEPS.get("credentials"), STEPS.get("allow"))})
    result = verdict(check_drift(only, portal, browser=browser))
    assert (result.outcome, result.exit_code) == ("blocked", ExitCode.TRANSIENT)
    assert "could not reach 127.0.0.1" in result.blocks[0].reason and "network" in result.blocks[0].fix


def test_a_change_under_script_rendering_is_still_found(browser):
    result = drift(browser, {"script", "renamed-button"}, only=["create-token", "credentials"], settle=4)
    assert [o.screen.id for o in result.changed] == ["create-token"]


# ---- the command: --json, exit codes, --record against a "live" portal ---------------------------
def run_drift(sites, tmp_path, *extra):
    state = tmp_path / "state.json"
    state.write_text('{"cookies": [], "origins": []}')
    argv = [sys.executable, "-m", "checks.screens", "drift", "--base-url", sites.www, "--developer-url", sites.developer,
            "--storage-state", str(state), "--app-id", "123", "--client-id", "86example1234a", "--wait", "4", *extra]
    return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.mark.parametrize("conditions, code, outcome", [
    (set(), ExitCode.OK, "unchanged"),
    ({"renamed-button"}, ExitCode.FIX, "changed"),
    ({"authwall"}, ExitCode.TRANSIENT, "blocked"),
])
def test_json_report_carries_the_outcome(tmp_path, conditions, code, outcome):
    with serve_replica(conditions) as sites:
        proc = run_drift(sites, tmp_path, "--json")
    assert proc.returncode == code, proc.stderr
    report = json.loads(proc.stdout)
    assert report["outcome"] == outcome and report["exit_code"] == code
    statuses = {s["id"]: s["status"] for s in report["screens"]}
    if outcome == "changed":
        assert statuses["create-token"] == "changed"
    if outcome == "blocked":
        assert "signed out" in report["blocked"][0]["cause"] and "login" in report["blocked"][0]["fix"]
        assert "could not check: signed out" in proc.stderr and "Outcome: could not check" in proc.stderr


def test_record_writes_the_dates_and_the_snippet_only_after_a_good_run(tmp_path):
    record, snippet = tmp_path / "last-checked.json", tmp_path / "last-checked.md"
    files = ["--record", "--record-file", str(record), "--snippet-file", str(snippet)]
    with serve_replica({"authwall"}) as sites:
        blocked = run_drift(sites, tmp_path, *files)
    assert blocked.returncode == ExitCode.TRANSIENT and not record.exists()
    assert "Not recorded" in blocked.stdout
    with serve_replica() as sites:
        good = run_drift(sites, tmp_path, *files)
    assert good.returncode == ExitCode.OK, good.stdout + good.stderr
    data = json.loads(record.read_text())
    assert data["portal"] == sites.www and "credentials" in data["screens"] and "verified" not in data["screens"]
    assert "last checked against LinkedIn's live portal on" in snippet.read_text()


def test_record_refuses_the_model():
    proc = subprocess.run([sys.executable, "-m", "checks.screens", "drift", "--record"], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == ExitCode.USAGE and "--record needs --base-url" in proc.stderr
