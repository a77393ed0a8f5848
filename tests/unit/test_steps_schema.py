"""steps.yaml is validated at load: typos, missing keys, wrong types and unknown versions fail
loudly, naming the file, the screen and the key; the keys other branches rely on are accepted."""

import subprocess
import sys

import pytest

from checks.errors import ExitCode
from checks.screens.locate import reader_pattern, roles_for
from checks.screens.steps import STEPS_FILE, ElementSpec, StepsError, load_steps
from tests.support import ROOT

GOOD_SCREEN = "{id: x, guide_step: 1, path: /, image: x.png, target: {role: button, name: Go}}"


def steps_file(tmp_path, body: str, version: str = "version: 1\n"):
    path = tmp_path / "steps.yaml"
    path.write_text(version + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("screen, where, what", [
    ("{id: a, guide_step: 1, path: /, image: a.png, target: {role: button, name: Go}, higlight: []}",
     'screen "a", key "higlight"', "unknown key"),
    ("{id: b, guide_step: 1, path: /, image: b.png, target: {role: button, name: Go}, lables: [Go]}",
     'screen "b", key "lables"', "unknown key"),
    ("{id: c, guide_step: 1, image: c.png, target: {role: button, name: Go}}", 'screen "c", key "path"', "missing"),
    ("{id: d, guide_step: one, path: /, image: d.png, target: {role: button, name: Go}}",
     'screen "d", key "guide_step"', "integer"),
    ("{id: e, guide_step: 1, path: /, image: e.png, target: {role: buton, name: Go}}",
     'screen "e", key "target.role.0"', "must be"),
    ("{id: f, guide_step: 1, path: /, image: f.png, target: {name: Go}}", 'screen "f", key "target"', "{role, name} or {text}"),
    ("{id: g, guide_step: 1, path: /, image: g.png, target: {role: button, name: Go},"
     " actions: [{press: {role: button, name: Go}}]}", 'screen "g", key "actions.0.press"', "unknown key"),
    ("{id: h, guide_step: 1, path: /, image: h.png, target: {role: button, name: '/(/'}}",
     'screen "h", key "target"', "not a valid regular expression"),
])
def test_a_bad_screen_is_named_with_its_key(tmp_path, screen, where, what):
    path = steps_file(tmp_path, f"screens:\n  - {screen}\n")
    with pytest.raises(StepsError) as error:
        load_steps(path)
    message = str(error.value)
    assert message.startswith("steps.yaml: ") and where in message and what in message, message


def test_an_unknown_or_missing_version_is_refused(tmp_path):
    with pytest.raises(StepsError, match=r'key "version": version 2 is unknown'):
        load_steps(steps_file(tmp_path, f"screens: [{GOOD_SCREEN}]\n", "version: 2\n"))
    with pytest.raises(StepsError, match=r'key "version": missing'):
        load_steps(steps_file(tmp_path, f"screens: [{GOOD_SCREEN}]\n", ""))


def test_duplicate_ids_and_broken_yaml_are_refused(tmp_path):
    with pytest.raises(StepsError, match="duplicate screen id x"):
        load_steps(steps_file(tmp_path, f"screens: [{GOOD_SCREEN}, {GOOD_SCREEN}]\n"))
    with pytest.raises(StepsError, match="not valid YAML"):
        load_steps(steps_file(tmp_path, "screens: [\n"))


def test_the_keys_the_screenshot_branch_uses_are_accepted(tmp_path):
    screen = ("{id: x, guide_step: 4, path: /, image: x.png, target: {role: tab, name: Auth, strict: true},"
              " expect: {checked: [r_ads], unchecked: [rw_ads]}, frame: {role: region, name: Keys},"
              " clip: {height: 400, width: 700, focus: target, margin: 12}}")
    steps = load_steps(steps_file(tmp_path, f"scale: 2\nscreens: [{screen}]\n"))
    loaded = steps.screens[0]
    assert steps.scale == 2 and loaded.expect.checked == ("r_ads",) and loaded.frame.role == ("region",)
    assert (loaded.clip.height, loaded.clip.width, loaded.clip.focus, loaded.clip.margin) == (400, 700, "target", 12)
    assert loaded.target.strict and roles_for(loaded.target) == ("tab",)
    assert load_steps(steps_file(tmp_path, f"screens: [{GOOD_SCREEN}]\n")).scale == 1


def test_specs_are_normalised_once_and_defaults_resolved():
    steps = load_steps()
    create_app = steps.get("create-app")
    assert create_app.target.role == ("link", "button") and create_app.site == "developer" and not create_app.login
    assert steps.get("create-token").highlight == (steps.get("create-token").target,), "highlight defaults to the target"
    assert all(isinstance(s, ElementSpec) for screen in steps.screens for s in (screen.target, *screen.highlight))


def test_reader_matching_tolerates_linkedins_colons_case_and_role_families():
    pattern = reader_pattern("Client ID")
    assert all(pattern.search(t) for t in ["Client ID", "Client ID:", "client  id", "Client ID *"])
    assert not pattern.search("Client IDs") and not pattern.search("Primary Client ID")
    assert set(roles_for(ElementSpec(role="tab", name="Settings"))) >= {"tab", "link", "button"}
    assert roles_for(ElementSpec(role="tab", name="Settings", strict=True)) == ("tab",)


def test_the_command_reports_a_steps_error_in_one_line(tmp_path):
    bad = steps_file(tmp_path, "screens:\n  - {id: a, guide_step: 1, path: /, image: a.png, target: {role: button, name: Go}, higlight: []}\n")
    proc = subprocess.run([sys.executable, "-m", "checks.screens", "drift", "--steps", str(bad)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == ExitCode.USAGE
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr
    assert 'screen "a", key "higlight": unknown key' in proc.stderr


def test_the_committed_steps_file_loads():
    assert load_steps(STEPS_FILE).version == 1


def test_edges_snap_by_default_radio_buttons_are_a_role_and_placeholders_come_from_the_examples(tmp_path):
    screen = ("{id: x, guide_step: 4, path: /, image: x.png, target: {role: radio, name: Member authorization code},"
              " clip: {snap: false}}")
    loaded = load_steps(steps_file(tmp_path, f"screens: [{screen}, {GOOD_SCREEN.replace('id: x', 'id: y')}]\n"))
    assert loaded.screens[0].clip.snap is False and loaded.screens[1].clip.snap is True
    assert loaded.screens[0].target.role == ("radio",)
    assert loaded.placeholders["ad_account_id"] and loaded.placeholders["client_id"]
    with pytest.raises(StepsError, match=r'key "clip.snap"'):
        load_steps(steps_file(tmp_path, "screens: [{id: z, guide_step: 1, path: /, image: z.png,"
                                        " target: {role: button, name: Go}, clip: {snap: maybe}}]\n"))
