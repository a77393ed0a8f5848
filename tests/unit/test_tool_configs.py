"""Pipeline tools' configs: recognised from their content, read with file and key named, written in each
tool's form. Airbyte's configs are validated against the connector's published spec and Singer's keys
against the tap's documented config (both vendored under tests/fixtures/ with their source)."""

import json
import os
import stat
from datetime import date

import jsonschema
import pytest

from checks.credentials import tool_configs as tc
from checks.credentials.inputs import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, Source
from checks.credentials.store import SavedElsewhere
from checks.errors import UsageError
from tests.support import ROOT
from tests.support.fake_linkedin import CLIENT_ID as ID
from tests.support.fake_linkedin import CLIENT_SECRET as SECRET
from tests.support.fake_linkedin import REFRESH_TOKEN as TOKEN

FIXTURES = ROOT / "tests" / "fixtures"
AIRBYTE_SPEC = json.loads((FIXTURES / "airbyte" / "spec.json").read_text())["connectionSpecification"]
SINGER_SAMPLE = json.loads((FIXTURES / "singer" / "config.json.example").read_text())
SINGER_REQUIRED = json.loads((FIXTURES / "singer" / "required_config_keys.json").read_text())
VALUES = {CLIENT_ID: ID, CLIENT_SECRET: SECRET, REFRESH_TOKEN: TOKEN}
ACME, SANDBOX = "urn:li:sponsoredAccount:516413367", "urn:li:sponsoredAccount:508774356"
TODAY = date(2026, 11, 30)


def airbyte_source(**extra):
    return {"credentials": {"auth_method": "oAuth2.0", "client_id": ID, "client_secret": SECRET, "refresh_token": TOKEN},
            "start_date": "2026-01-01", **extra}


def write(path, content):
    path.write_text(json.dumps(content) if not isinstance(content, str) else content)
    return path


# -- recognising and reading -------------------------------------------------------------------
def test_airbyte_config_is_recognised_and_each_value_names_file_and_key(tmp_path):
    path = write(tmp_path / "source.json", airbyte_source(account_ids=[516413367, 508774356]))
    inputs = tc.read_tool_config(path, environ={})
    assert inputs.tool == "airbyte"
    assert inputs.get(REFRESH_TOKEN) == TOKEN and inputs.accounts == (ACME, SANDBOX)
    value = inputs.values[CLIENT_SECRET]
    assert value.source is Source.FILE and value.origin == f"{path} (credentials.client_secret)"
    assert inputs.env_file is None  # `Run:` lines must not send a JSON file to --env-file
    assert tc.describe(inputs) == f"Read {path}: Airbyte source-linkedin-ads config (2 ad accounts in account_ids)"


def test_singer_config_accounts_are_a_comma_separated_string_of_ids_or_urns(tmp_path):
    path = write(tmp_path / "config.json", {"client_id": ID, "client_secret": SECRET, "refresh_token": TOKEN,
                                            "accounts": f"516413367, {SANDBOX}", "user_agent": "x", "start_date": "2026-01-01T00:00:00Z"})
    inputs = tc.read_tool_config(path, environ={})
    assert inputs.tool == "singer" and inputs.accounts == (ACME, SANDBOX)
    assert inputs.values[REFRESH_TOKEN].origin == f"{path} (refresh_token)"


def test_the_taps_own_sample_config_is_recognised_and_null_accounts_mean_all(tmp_path):
    sample = tmp_path / "config.json"
    sample.write_bytes((FIXTURES / "singer" / "config.json.example").read_bytes())
    inputs = tc.read_tool_config(sample, environ={})
    assert inputs.tool == "singer" and inputs.accounts == () and inputs.get(CLIENT_ID) == "abc"


def test_dotenv_file_with_accounts(tmp_path):
    path = write(tmp_path / "li.env", f"LINKEDIN_CLIENT_ID={ID}\nLINKEDIN_CLIENT_SECRET='{SECRET}'\n"
                                      f"LINKEDIN_REFRESH_TOKEN={TOKEN}\nLINKEDIN_AD_ACCOUNTS={ACME};508774356\n"
                                      "LINKEDIN_API_VERSION=202603\n")
    inputs = tc.read_tool_config(path, environ={})
    assert inputs.tool == "dotenv" and inputs.accounts == (ACME, SANDBOX) and inputs.get(CLIENT_SECRET) == SECRET
    assert inputs.endpoints.api_version == "202603" and inputs.env_file == path
    assert inputs.values[CLIENT_ID].origin == f"{path} (LINKEDIN_CLIENT_ID)"


def test_credentials_in_the_environment_do_not_override_the_file(tmp_path):
    path = write(tmp_path / "source.json", airbyte_source())
    inputs = tc.read_tool_config(path, environ={REFRESH_TOKEN: "AQXfromtheenvironment", "LINKEDIN_API_URL": "http://127.0.0.1:9/rest"})
    assert inputs.get(REFRESH_TOKEN) == TOKEN and inputs.endpoints.api_url == "http://127.0.0.1:9/rest"


@pytest.mark.parametrize("content,key", [
    ({"credentials": {"auth_method": "oAuth2.0", "client_id": ID, "client_secret": SECRET}, "start_date": "2026-01-01"},
     "credentials.refresh_token is missing"),
    ({"credentials": {"auth_method": "oAuth2.0", "client_id": "", "client_secret": SECRET, "refresh_token": TOKEN}},
     "credentials.client_id is missing or empty"),
    ({"account_ids": [1]}, "credentials is missing"),
    ({"client_id": ID, "refresh_token": TOKEN, "accounts": "1"}, "client_secret is missing"),
    ({"client_id": ID, "client_secret": 12345, "refresh_token": TOKEN}, "client_secret must be a string"),
    ("LINKEDIN_CLIENT_ID=x\nLINKEDIN_CLIENT_SECRET=y\n", "LINKEDIN_REFRESH_TOKEN is missing"),
])
def test_a_missing_field_names_the_file_and_the_key_in_the_tools_words(tmp_path, content, key):
    path = write(tmp_path / "cfg", content)
    with pytest.raises(UsageError) as caught:
        tc.read_tool_config(path, environ={})
    message = str(caught.value)
    assert message.startswith(f"--from-config {path} (") and key in message and "\n" not in message
    for secret in (SECRET, TOKEN):
        assert secret not in message


def test_an_airbyte_access_token_source_is_told_to_switch_to_oauth(tmp_path):
    path = write(tmp_path / "s.json", {"credentials": {"auth_method": "access_token", "access_token": "AQVsecretaccess"}})
    with pytest.raises(UsageError, match="access_token.*switch the source to OAuth2.0") as caught:
        tc.read_tool_config(path, environ={})
    assert "AQVsecretaccess" not in str(caught.value)


@pytest.mark.parametrize("content", ['{"host": "db", "password": "hunter2hunter2"}', "just some text\n", "[1, 2]",
                                     "DATABASE_URL=postgres://x\n"])
def test_unknown_format_lists_the_supported_ones(tmp_path, content):
    path = write(tmp_path / "what", content)
    with pytest.raises(UsageError) as caught:
        tc.read_tool_config(path, environ={})
    message = str(caught.value)
    assert "unknown format: supported are an Airbyte" in message and "Singer/Meltano" in message and "dotenv" in message
    assert "hunter2" not in message


def test_broken_json_says_where_without_quoting_content(tmp_path):
    path = write(tmp_path / "s.json", '{"credentials": {"client_secret": "' + SECRET + '",}')
    with pytest.raises(UsageError, match=r"not valid JSON \(line 1, column") as caught:
        tc.read_tool_config(path, environ={})
    assert SECRET not in str(caught.value)


def test_missing_file_and_bad_account_ids_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        tc.read_tool_config(tmp_path / "nope.json", environ={})
    path = write(tmp_path / "s.json", airbyte_source(account_ids=["urn:li:organization:5"]))
    with pytest.raises(UsageError, match="account_ids: 'urn:li:organization:5' is not an ad account ID"):
        tc.read_tool_config(path, environ={})


def test_a_secret_pasted_into_the_accounts_field_is_not_echoed(tmp_path):
    path = write(tmp_path / "s.json", airbyte_source(account_ids=[TOKEN]))
    with pytest.raises(UsageError, match="is not an ad account ID") as caught:
        tc.read_tool_config(path, environ={})
    assert TOKEN[:16] not in str(caught.value) and "AQX…k9Q" in str(caught.value)


@pytest.mark.parametrize("raw,expected", [
    (None, ()), ("", ()), ("null", ()), ([], ()), (516413367, (ACME,)), ("516413367,516413367", (ACME,)),
    ([516413367, SANDBOX], (ACME, SANDBOX)), (f" {ACME} ; 508774356 ", (ACME, SANDBOX)),
])
def test_account_forms(raw, expected):
    assert tc.parse_accounts(raw, "x") == expected


@pytest.mark.parametrize("raw", [True, {"id": 1}, "12a", "urn:li:sponsoredAccount:", -5])
def test_account_forms_refused(raw):
    with pytest.raises(UsageError):
        tc.parse_accounts(raw, "x")


# -- writing -----------------------------------------------------------------------------------
def test_airbyte_config_validates_against_the_published_spec_and_keeps_other_keys():
    existing = {"credentials": {"auth_method": "access_token", "access_token": "AQVold"}, "start_date": "2025-05-17",
                "ad_analytics_reports": [{"name": "r", "pivot_by": "CAMPAIGN", "time_granularity": "DAILY"}]}
    config = tc.airbyte_config(existing, VALUES, [ACME, SANDBOX], TODAY)
    jsonschema.validate(config, AIRBYTE_SPEC)
    assert config["credentials"] == {"auth_method": "oAuth2.0", "client_id": ID, "client_secret": SECRET, "refresh_token": TOKEN}
    assert config["account_ids"] == [516413367, 508774356]
    assert config["start_date"] == "2025-05-17" and config["ad_analytics_reports"] == existing["ad_analytics_reports"]


def test_a_new_airbyte_config_starts_30_days_ago_and_validates():
    config = tc.airbyte_config({}, VALUES, [ACME], TODAY)
    jsonschema.validate(config, AIRBYTE_SPEC)
    assert config["start_date"] == "2026-10-31"


def test_the_spec_would_refuse_what_the_writer_must_not_produce():
    """The validation can fail: URN strings in account_ids or a missing start_date break Airbyte's spec."""
    config = tc.airbyte_config({}, VALUES, [ACME], TODAY)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**config, "account_ids": [ACME]}, AIRBYTE_SPEC)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({k: v for k, v in config.items() if k != "start_date"}, AIRBYTE_SPEC)


def test_singer_config_has_every_required_key_and_only_documented_ones():
    config = tc.singer_config({"request_timeout": 300, "access_token": "AQVold"}, VALUES, [ACME, SANDBOX], TODAY)
    assert set(SINGER_REQUIRED) <= config.keys() <= set(SINGER_SAMPLE) | set(SINGER_REQUIRED)
    assert config["accounts"] == "516413367, 508774356"  # the README's form: "id1, id2, id3"
    assert config["start_date"] == "2026-10-31T00:00:00Z" and config["user_agent"].startswith("tap-linkedin-ads")
    assert config["request_timeout"] == 300 and "access_token" not in config


def test_write_merges_into_an_existing_file_mode_0600(tmp_path):
    path = write(tmp_path / "tap.json", {"user_agent": "tap-linkedin-ads <me@example.com>", "request_timeout": 60,
                                         "start_date": "2024-01-01T00:00:00Z"})
    os.chmod(path, 0o644)
    line = tc.write_tool_config("singer", path, VALUES, [ACME], today=TODAY)
    assert line.startswith(f"Wrote {path} (Singer/Meltano tap-linkedin-ads config.json, mode 0600)") and TOKEN not in line
    config = json.loads(path.read_text())
    assert config["user_agent"] == "tap-linkedin-ads <me@example.com>" and config["request_timeout"] == 60
    assert config["start_date"] == "2024-01-01T00:00:00Z" and config["refresh_token"] == TOKEN
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_write_dotenv_reads_back(tmp_path):
    path = write(tmp_path / "li.env", "# mine\nOTHER=1\n")
    tc.write_tool_config("dotenv", path, VALUES, [ACME, SANDBOX], today=TODAY)
    assert path.read_text().startswith("# mine\nOTHER=1\n") and stat.S_IMODE(path.stat().st_mode) == 0o600
    inputs = tc.read_tool_config(path, environ={})
    assert [inputs.get(n) for n in VALUES] == list(VALUES.values()) and inputs.accounts == (ACME, SANDBOX)


def test_write_follows_a_symlink(tmp_path):
    real = write(tmp_path / "real.json", airbyte_source(account_ids=[]))
    link = tmp_path / "link.json"
    link.symlink_to(real)
    tc.write_tool_config("airbyte", link, VALUES, [ACME], today=TODAY)
    assert link.is_symlink() and json.loads(real.read_text())["account_ids"] == [516413367]


def test_unwritable_destination_keeps_everything_in_the_fallback(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    target = tmp_path / "locked" / "source.json"
    target.parent.mkdir()
    os.chmod(target.parent, 0o500)
    try:
        if os.access(target.parent, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        with pytest.raises(SavedElsewhere) as caught:
            tc.write_tool_config("airbyte", target, VALUES, [ACME], today=TODAY)
    finally:
        os.chmod(target.parent, 0o700)
    fallback = caught.value.fallback
    assert str(fallback) in str(caught.value) and TOKEN not in str(caught.value)
    assert json.loads(fallback.read_text())["credentials"]["refresh_token"] == TOKEN
    assert stat.S_IMODE(fallback.stat().st_mode) == 0o600


def test_write_failure_goes_to_the_fallback_even_as_root(tmp_path, monkeypatch):
    """The same rule, forced: the atomic writer fails for the destination only."""
    from checks.credentials import store

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    real_write = store.write_private
    target = tmp_path / "source.json"

    def failing(path, data, **kw):
        if os.fspath(path) == os.fspath(target):
            raise OSError(28, "No space left on device")
        return real_write(path, data, **kw)

    monkeypatch.setattr(store, "write_private", failing)
    with pytest.raises(SavedElsewhere, match="No space left on device.*saved to .*mode 0600") as caught:
        tc.write_tool_config("airbyte", target, VALUES, [ACME], today=TODAY)
    assert not target.exists()
    assert json.loads(caught.value.fallback.read_text())["credentials"]["refresh_token"] == TOKEN


@pytest.mark.parametrize("tool,content,message", [
    ("airbyte", {"client_id": "x", "accounts": "1"}, "holds a Singer/Meltano tap-linkedin-ads config.json, not what airbyte= writes"),
    ("singer", "{not json", "not valid JSON"),
    ("dotenv", '{"a": 1}', "the file is JSON, not a dotenv file"),
])
def test_check_write_target_refuses_a_file_it_would_mangle(tmp_path, tool, content, message):
    path = write(tmp_path / "dest", content)
    before = path.read_bytes()
    with pytest.raises(UsageError, match=message):
        tc.check_write_target(tool, path)
    assert path.read_bytes() == before


def test_check_write_target_refuses_a_directory_and_a_missing_folder(tmp_path):
    with pytest.raises(UsageError, match=f"^--write-config airbyte={tmp_path} is a directory"):
        tc.check_write_target("airbyte", tmp_path)
    with pytest.raises(UsageError, match="does not exist"):
        tc.check_write_target("singer", tmp_path / "no" / "tap.json")


@pytest.mark.parametrize("text,message", [
    ("owox=x.json", "OWOX Data Marts is set up in its UI"),
    ("stitch=x.json", "TOOL one of airbyte, singer, dotenv"),
    ("airbyte", "write TOOL=PATH"),
    ("airbyte=", "write TOOL=PATH"),
])
def test_parse_write_target_refuses(text, message):
    import argparse

    with pytest.raises(argparse.ArgumentTypeError, match=message):
        tc.parse_write_target(text)


def test_parse_write_target():
    assert tc.parse_write_target("Singer=out/tap.json") == ("singer", tc.Path("out/tap.json"))


def test_owox_lines_mask_secrets_and_give_urns_in_full(tmp_path):
    inputs = tc.read_tool_config(write(tmp_path / "s.json", airbyte_source()), environ={})
    lines = tc.owox_lines(inputs, [ACME, SANDBOX])
    text = "\n".join(lines)
    assert lines[-1].split()[:2] == ["Account", "URNs"] and lines[-1].endswith(f"{ACME}, {SANDBOX}")
    assert "Primary Client Secret  WPL…/==" in text and "Refresh Token" in text and "(credentials.refresh_token)" in text
    for secret in (SECRET, TOKEN, ID):
        assert secret not in text


# -- the accounts a config names, in the checks (checks.credentials.diagnose) -------------------
def configured_report(accounts, max_accounts=10):
    import responses

    from checks.credentials.client import LinkedInClient
    from checks.credentials.diagnose import run_checks
    from checks.credentials.inputs import Endpoints, Inputs, Value
    from tests.support.linkedin_mocks import mock_linkedin

    inputs = Inputs(endpoints=Endpoints(), tool="airbyte", accounts=tuple(accounts))
    for name, value in VALUES.items():
        inputs.values[name] = Value(name, value, Source.FILE, tc.Path("s.json"), key=tc.KEYS["airbyte"][name])
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_linkedin(rsps)
        report = run_checks(inputs, LinkedInClient(Endpoints(), timeout=5, retries=0), fresh_token_grace=0,
                            max_accounts=max_accounts)
        probed = [c.request.url for c in rsps.calls if "/adAnalytics" in c.request.url]
    return report, probed


def test_configured_accounts_are_probed_in_the_configs_order_and_only_they():
    report, probed = configured_report([SANDBOX])
    assert [p.urn for p in report.accounts] == [SANDBOX] and len(probed) == 1 and "508774356" in probed[0]
    ads = report.get("ads-api")
    assert ads.details == [f"{ACME}  ACCOUNT_BILLING_ADMIN  (not probed: not named in the config)"]
    assert report.get("reporting").status == "pass" and report.exit_code == 0


def test_an_unreachable_configured_account_fails_without_a_call():
    missing = "urn:li:sponsoredAccount:42"
    report, probed = configured_report([missing, ACME])
    check = report.get("reporting")
    assert check.status == "fail" and missing in check.summary and report.exit_code == 1
    assert [p.urn for p in report.accounts] == [missing, ACME] and len(probed) == 1
    assert check.fix.startswith("Check the ad account IDs in the config")


def test_max_accounts_caps_the_configured_probe_and_says_so():
    report, probed = configured_report([SANDBOX, ACME], max_accounts=1)
    assert len(probed) == 1 and [p.urn for p in report.accounts] == [SANDBOX]
    assert "1 not probed: --max-accounts 1" in report.get("reporting").summary
    assert report.get("ads-api").details == [f"{ACME}  ACCOUNT_BILLING_ADMIN  (not probed: --max-accounts 1)"]
