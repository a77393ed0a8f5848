"""LinkedIn-Version lifecycle: retirement dates, the warning before one, the 426 after, and a
default pin that is renewed before users hit its retirement.

Dates are LinkedIn's, copied from its "Marketing API migrations" page
(https://learn.microsoft.com/en-us/linkedin/marketing/integrations/migrations, sunset dates per
version), not from the code. The one-year minimum is from "Marketing API versioning"
(https://learn.microsoft.com/en-us/linkedin/marketing/versioning)."""

import json
from datetime import date, datetime, timedelta, timezone

import pytest
import responses

from checks import verify
from checks.credentials.client import LinkedInClient
from checks.credentials.diagnose import run_checks
from checks.credentials.inputs import DEFAULT_API_VERSION, Endpoints, Inputs, Source, Value
from checks.credentials.versions import (
    default_is_fresh,
    freshness_main,
    newest_known,
    parse_version,
    retirement,
    version_from_message,
)
from checks.errors import ExitCode
from tests.support.cli import run_verify
from tests.support.clock import FIXED_NOW
from tests.support.fake_linkedin import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, SUNSET, FakeLinkedInServer
from tests.support.linkedin_mocks import mock_linkedin, set_env
from tests.support.published_schema import validate

# What LinkedIn announced on its migrations page (URL above).
ANNOUNCED = {"202410": "2025-10-15", "202411": "2025-11-17", "202502": "2026-02-16", "202601": "2027-01-15",
             "202603": "2027-03-16"}


@pytest.mark.parametrize("version,announced_on", ANNOUNCED.items())
def test_announced_retirements_are_known(version, announced_on):
    assert retirement(version) == (date.fromisoformat(announced_on), True)


def test_other_versions_retire_at_the_earliest_a_year_after_release():
    assert retirement("202508") == (date(2026, 8, 1), False)
    assert retirement("202512") == (date(2026, 12, 1), False)


def test_point_versions_are_accepted_and_retire_with_their_month():
    assert parse_version("202508.02") == (2025, 8, 2)
    assert retirement("202508.02") == retirement("202508")
    assert retirement("202601.03") == (date(2027, 1, 15), True)


@pytest.mark.parametrize("bad", ["2026-07", "202613", "20260701", "202607.1", "latest", ""])
def test_malformed_versions_are_refused(bad):
    with pytest.raises(ValueError):
        parse_version(bad)


def test_the_426_message_writes_the_version_with_a_day():
    assert version_from_message(SUNSET["message"]) == "202502"


def test_the_freshness_alarm_fails_within_90_days_of_the_default_versions_retirement():
    """The scheduled version-freshness workflow runs this alarm; the suite itself never expires."""
    retires_on, _ = retirement(DEFAULT_API_VERSION)
    fresh, said = default_is_fresh(retires_on - timedelta(days=91))
    assert fresh and DEFAULT_API_VERSION in said and retires_on.isoformat() in said
    fresh, said = default_is_fresh(retires_on - timedelta(days=90))
    assert not fresh and "move DEFAULT_API_VERSION in checks/credentials/inputs.py" in said
    assert not default_is_fresh(retires_on + timedelta(days=400))[0]


def test_the_freshness_command_exits_1_when_the_default_needs_renewing(capsys, time_machine):
    retires_on, _ = retirement(DEFAULT_API_VERSION)
    time_machine.move_to(datetime.combine(retires_on - timedelta(days=30), datetime.min.time(), timezone.utc))
    assert freshness_main([]) == ExitCode.FIX
    assert "30 days left" in capsys.readouterr().out
    time_machine.move_to(datetime.combine(retires_on - timedelta(days=200), datetime.min.time(), timezone.utc))
    assert freshness_main(["--days", "90"]) == ExitCode.OK


def test_newest_known_version_is_at_least_the_default_and_every_announced_one():
    newest = parse_version(newest_known())
    assert newest >= parse_version(DEFAULT_API_VERSION)
    assert all(newest >= parse_version(v) for v in ANNOUNCED)


def _inputs(version: str) -> Inputs:
    return Inputs(values={n: Value(n, v, Source.ENVIRONMENT) for n, v in (
        ("LINKEDIN_CLIENT_ID", CLIENT_ID), ("LINKEDIN_CLIENT_SECRET", CLIENT_SECRET),
        ("LINKEDIN_REFRESH_TOKEN", REFRESH_TOKEN))}, endpoints=Endpoints(api_version=version))


def test_version_retiring_in_15_days_warns_with_exit_4_and_names_the_version_to_move_to():
    # 202601 retires 2027-01-15 (announced); on 2026-12-31 that is 15 days away.
    when = datetime(2026, 12, 31, 12, 0, tzinfo=timezone.utc)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps)
        report = run_checks(_inputs("202601"), LinkedInClient(Endpoints(api_version="202601"), retries=0),
                            now=lambda: when, warn_days=30)
    check = report.get("api-version")
    assert report.exit_code == ExitCode.WARNING
    assert (check.status, check.problem.id) == ("warn", "api-version-retiring")
    assert "2027-01-15" in check.summary and "15 days left" in check.summary
    assert f"LINKEDIN_API_VERSION={newest_known()}" in check.fix and newest_known() in check.run


def test_version_far_from_retirement_passes():
    when = datetime(2026, 11, 29, tzinfo=timezone.utc)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps)
        report = run_checks(_inputs("202603"), LinkedInClient(Endpoints(api_version="202603"), retries=0),
                            now=lambda: when, warn_days=30)
    assert report.get("api-version").status == "pass" and report.exit_code == ExitCode.OK


def _retiring_soon() -> tuple[str, int]:
    """A version whose earliest retirement is the first of next month (not an announced one)."""
    today = FIXED_NOW.date()
    first_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    version = f"{first_next.year - 1}{first_next.month:02d}"
    assert version not in ANNOUNCED
    return version, (first_next - today).days


def test_retiring_version_exits_4_through_the_command(clean_env, monkeypatch, capsys):
    version, days = _retiring_soon()
    set_env(monkeypatch, LINKEDIN_API_VERSION=version)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps)
        code = verify.main(["--json", "--retries", "0", "--warn-days", str(days + 1)])
    doc = json.loads(capsys.readouterr().out)
    validate(doc)
    check = next(c for c in doc["checks"] if c["id"] == "api-version")
    assert code == ExitCode.WARNING == doc["exit_code"]
    assert check["problem"] == "api-version-retiring" and newest_known() in check["fix"]
    assert doc["api_version_life"] == {"version": version, "retires_on": (
        FIXED_NOW.date() + timedelta(days=days)).isoformat(), "announced": False, "days_left": days}


def test_retired_version_426_exits_1_and_names_the_newest_version(clean_env, monkeypatch, capsys):
    set_env(monkeypatch, LINKEDIN_API_VERSION="202502")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps, ads=(426, SUNSET))
        code = verify.main(["--retries", "0"])
    out = capsys.readouterr().out
    assert code == ExitCode.FIX
    assert "no longer serves LinkedIn-Version 202502" in out and "retired" in out
    assert f"newest version this tool knows is {newest_known()}" in out
    assert f"Run: LINKEDIN_API_VERSION={newest_known()} python -m checks.verify" in out
    assert "troubleshooting/#api-version-sunset" in out


# -- end to end, against the fake LinkedIn -------------------------------------------------------
@pytest.fixture
def server():
    with FakeLinkedInServer() as s:
        yield s


def test_e2e_version_retiring_soon_exits_4(server):
    version, days = _retiring_soon()
    proc = run_verify(server, "--json", "--warn-days", str(days + 1), env_extra={"LINKEDIN_API_VERSION": version})
    doc = json.loads(proc.stdout)
    validate(doc)
    assert proc.returncode == ExitCode.WARNING, proc.stdout
    assert next(c for c in doc["checks"] if c["id"] == "api-version")["status"] == "warn"


def test_e2e_retired_version_exits_1_naming_the_newest(server):
    server.fake.api_version_min = "202503"  # LinkedIn no longer serves 202502
    proc = run_verify(server, "--json", env_extra={"LINKEDIN_API_VERSION": "202502"})
    doc = json.loads(proc.stdout)
    validate(doc)
    ads = next(c for c in doc["checks"] if c["id"] == "ads-api")
    assert proc.returncode == ExitCode.FIX
    assert ads["problem"] == "api-version-sunset" and newest_known() in ads["summary"]
    assert ads["run"] == f"LINKEDIN_API_VERSION={newest_known()} python -m checks.verify"
