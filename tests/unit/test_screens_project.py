"""checks.screens finds the guide's checkout from the working directory (or --repo), never writes
into the installed package, and replaces its record files atomically."""

import json

from checks.errors import ExitCode
from checks.screens.project import Project, find_project, packaged
from checks.screens.record import load_record, write_record
from tests.support import ROOT
from tests.support.cli import run_cli


def checkout(tmp_path):
    (tmp_path / "checks" / "screens").mkdir(parents=True)
    (tmp_path / "checks" / "screens" / "steps.yaml").write_text((ROOT / "checks" / "screens" / "steps.yaml").read_text())
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    return tmp_path


def test_the_nearest_checkout_from_the_working_directory_is_found(tmp_path):
    root = checkout(tmp_path / "guide")
    (root / "docs" / "deep").mkdir(parents=True)
    assert find_project(root / "docs" / "deep") == root.resolve()
    assert find_project(tmp_path) is None
    assert find_project(ROOT / "checks" / "screens") == ROOT


def test_without_a_checkout_reads_come_from_the_package_and_writes_are_refused(tmp_path):
    project = Project.locate(None, tmp_path)
    assert project.root is None
    assert project.steps_file == packaged("steps.yaml") and project.steps_file.is_file()
    assert (project.portal_dir / "pages").is_dir()


def test_capture_outside_a_checkout_is_a_usage_error_not_a_write_into_site_packages(tmp_path):
    result = run_cli("screens", "capture", cwd=tmp_path)
    assert result.returncode == ExitCode.USAGE
    assert "run it inside one" in result.stderr and "--repo DIR" in result.stderr


def test_drift_record_outside_a_checkout_is_refused_before_any_visit(tmp_path):
    result = run_cli("screens", "drift", "--record", "--base-url", "http://127.0.0.1:9", cwd=tmp_path)
    assert result.returncode == ExitCode.USAGE and "drift --record writes into the guide's checkout" in result.stderr


def test_repo_must_be_a_checkout(tmp_path):
    result = run_cli("screens", "--repo", str(tmp_path), "review", cwd=tmp_path)
    assert result.returncode == ExitCode.USAGE and "not the guide's checkout" in result.stderr


def test_repo_points_the_record_into_that_checkout(tmp_path):
    root = checkout(tmp_path / "guide")
    project = Project.locate(str(root), tmp_path)
    assert project.record_file == root.resolve() / "checks" / "screens" / "last-checked.json"
    assert project.snippet_file == root.resolve() / "docs" / ".snippets" / "last-checked.md"


def test_the_record_is_replaced_atomically_and_stays_readable(tmp_path):
    record_file, snippet = tmp_path / "last-checked.json", tmp_path / "snippets" / "last-checked.md"
    record_file.write_text("{}")
    before = record_file.stat().st_ino
    record = {"portal": "https://www.linkedin.com", "screens": {"allow": "2026-09-15"}}
    write_record(record, 1, record_file, snippet)
    assert load_record(record_file) == record and json.loads(record_file.read_text()) == record
    assert record_file.stat().st_ino != before, "a new file renamed over the old one, not rewritten in place"
    assert record_file.stat().st_mode & 0o777 == 0o644 and snippet.stat().st_mode & 0o777 == 0o644
    assert list(tmp_path.glob("*.tmp*")) == [] and "15 September 2026" in snippet.read_text()
