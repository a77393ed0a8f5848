"""The release workflow: a tag whose version disagrees with the package or CHANGELOG.md stops it
before anything is built; publishing uses trusted publishing only; each job holds only what it needs."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from checks import __version__
from tests.support import ROOT

SCRIPT = ROOT / ".github" / "scripts" / "release_check.py"
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def tree(tmp_path, version="1.2.3", changelog="## [1.2.3] - 2026-12-01\n\n- Fixed a thing.\n"):
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "__init__.py").write_text(f'"""pkg"""\n\n__version__ = "{version}"  # the one source\n')
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n" + changelog + "\n## [1.0.0] - 2026-01-01\n\n- First.\n")
    return tmp_path


def check(root, *args):
    return subprocess.run([sys.executable, str(SCRIPT), *args, "--root", str(root)], capture_output=True, text=True)


def test_matching_tag_package_and_changelog_pass_and_give_the_notes_and_major_tag(tmp_path):
    root = tree(tmp_path)
    notes, major = tmp_path / "notes.md", tmp_path / "major"
    proc = check(root, "v1.2.3", "--notes", str(notes), "--major-tag-file", str(major))
    assert proc.returncode == 0, proc.stderr
    assert notes.read_text() == "- Fixed a thing.\n", "only this version's section"
    assert major.read_text() == "v1\n"


@pytest.mark.parametrize("tag, version, changelog, says", [
    ("v1.2.4", "1.2.3", None, "tag v1.2.4 but the package version is 1.2.3"),
    ("v1.2.3", "1.2.3", "## [1.2.2] - 2026-11-01\n\n- Old.\n", "CHANGELOG.md has no section for 1.2.3"),
    ("v1.2.3", "1.2.3", "## [1.2.3] - unreleased\n\n- Soon.\n", "the 1.2.3 section is not dated"),
    ("v1.2.3", "1.2.3", "## [1.2.3] - 2026-12-01\n\n", "the 1.2.3 section is empty"),
    ("v1", "1.2.3", None, "is not vMAJOR.MINOR.PATCH"),
    ("1.2.3", "1.2.3", None, "is not vMAJOR.MINOR.PATCH"),
])
def test_any_disagreement_stops_the_release(tmp_path, tag, version, changelog, says):
    root = tree(tmp_path, version, changelog) if changelog else tree(tmp_path, version)
    proc = check(root, tag)
    assert proc.returncode == 1 and says in proc.stderr, proc.stderr


def test_dists_must_carry_the_tagged_version(tmp_path):
    root = tree(tmp_path)
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "linkedin_ads_token_checks-1.2.3-py3-none-any.whl").write_bytes(b"")
    (dist / "linkedin_ads_token_checks-1.2.2.tar.gz").write_bytes(b"")
    proc = check(root, "v1.2.3", "--dist", str(dist))
    assert proc.returncode == 1 and "linkedin_ads_token_checks-1.2.2.tar.gz is not version 1.2.3" in proc.stderr


def test_this_checkouts_version_has_a_changelog_section():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(__version__)}\] - (\d{{4}}-\d{{2}}-\d{{2}}|unreleased)$", text, re.M), \
        "add a CHANGELOG.md section for the version in checks/__init__.py"


def load():
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def test_runs_on_version_tags_only():
    trigger = load()["on"]
    assert list(trigger) == ["push"] and trigger["push"] == {"tags": ["v*.*.*"]}, "not on v1, which it moves itself"


def test_each_job_holds_only_what_it_needs():
    jobs = load()["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["test"]["permissions"] == {"contents": "read"} and jobs["test"]["needs"] == "build"
    assert jobs["publish"]["permissions"] == {"id-token": "write"} and jobs["publish"]["needs"] == "test"
    assert jobs["github-release"]["permissions"] == {"contents": "write"}
    assert "secrets." not in WORKFLOW.read_text(), "trusted publishing: no stored token anywhere"


def test_publish_uses_trusted_publishing_on_the_tested_files():
    publish = load()["jobs"]["publish"]
    uses = [s["uses"].split("@")[0] for s in publish["steps"]]
    assert uses == ["actions/download-artifact", "pypa/gh-action-pypi-publish"], "publish runs nothing of its own"
    assert set(publish["steps"][1].get("with", {})) == {"packages-dir"}, "no password, no token"
    assert publish["environment"]["name"] == "pypi"


def test_the_workflow_checks_builds_tests_and_moves_the_major_tag():
    jobs = load()["jobs"]
    build = " ".join(s.get("run", "") for s in jobs["build"]["steps"])
    assert "release_check.py" in build and "--require-hashes" in build and "python -m build --no-isolation" in build
    test = jobs["test"]["steps"]
    assert any("tests/repo/test_wheel.py" in s.get("run", "") and s.get("env", {}).get("LINKEDIN_CHECKS_DIST") == "dist"
               for s in test)
    release = " ".join(s.get("run", "") for s in jobs["github-release"]["steps"])
    assert "--notes-file" in release and "--major-tag-file" in release and "git/refs/tags/$major" in release
