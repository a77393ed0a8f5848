"""`python -m checks.verify --from-config FILE` and `--write-config TOOL=PATH` as a user runs them, against
the fake LinkedIn. Every run's stdout and stderr are swept for secrets (tests.support.verify_cli)."""

import json
import os
import stat

import jsonschema
import pytest

from checks.errors import ExitCode
from tests.support import ROOT
from tests.support.fake_linkedin import ACCOUNTS
from tests.support.published_schema import validate, validate_many
from tests.support.verify_cli import fragments, run_verify

AIRBYTE_SPEC = json.loads((ROOT / "tests" / "fixtures" / "airbyte" / "spec.json").read_text())["connectionSpecification"]
SINGER_REQUIRED = set(json.loads((ROOT / "tests" / "fixtures" / "singer" / "required_config_keys.json").read_text()))
ACME, SANDBOX = (a["account"] for a in ACCOUNTS)
UNREACHABLE = "urn:li:sponsoredAccount:987654321"
REVOKED_TOKEN = "AQX" + "v" * 400 + "REV"


def airbyte_file(path, server, account_ids=(516413367, 508774356), refresh_token=None, **extra):
    c = server.credentials()
    path.write_text(json.dumps({
        "credentials": {"auth_method": "oAuth2.0", "client_id": c["LINKEDIN_CLIENT_ID"],
                        "client_secret": c["LINKEDIN_CLIENT_SECRET"], "refresh_token": refresh_token or c["LINKEDIN_REFRESH_TOKEN"]},
        "account_ids": list(account_ids), "start_date": "2026-01-01", **extra}, indent=2))
    return path


def singer_file(path, server, accounts="516413367, 508774356"):
    c = server.credentials()
    path.write_text(json.dumps({"client_id": c["LINKEDIN_CLIENT_ID"], "client_secret": c["LINKEDIN_CLIENT_SECRET"],
                                "refresh_token": c["LINKEDIN_REFRESH_TOKEN"], "accounts": accounts,
                                "start_date": "2026-01-01T00:00:00Z", "user_agent": "tap-linkedin-ads <me@example.com>"}))
    return path


class Ran:
    """An in-process run's exit code and output (a usage error needs no subprocess)."""

    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def verify_here(server, monkeypatch, capsys, *args, credentials=True):
    from checks.verify import main

    for name in [n for n in os.environ if n.startswith("LINKEDIN_")]:
        monkeypatch.delenv(name)
    for name, value in {**server.env, **(server.credentials() if credentials else {})}.items():
        monkeypatch.setenv(name, value)
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    out, err = capsys.readouterr()
    for piece in fragments(*server.credentials().values()):
        assert piece not in out + err
    return Ran(code, out, err)


def one_error_line(proc):
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


# -- --from-config -----------------------------------------------------------------------------
def test_airbyte_config_verifies_and_names_format_file_and_keys(server, tmp_path):
    source = airbyte_file(tmp_path / "source.json", server)
    before = source.read_bytes()
    proc = run_verify(server, "--from-config", str(source), credentials=False)
    assert proc.returncode == ExitCode.OK, proc.stdout + proc.stderr
    assert proc.stdout.startswith(f"Read {source}: Airbyte source-linkedin-ads config (2 ad accounts in account_ids)")
    assert f"({source} (credentials.refresh_token))" in proc.stdout
    assert "Reporting works on all 2 ad accounts named in the config" in proc.stdout
    assert source.read_bytes() == before


def test_singer_config_verifies_in_json_with_sources_naming_keys(server, tmp_path):
    config = singer_file(tmp_path / "config.json", server, accounts="516413367")
    proc = run_verify(server, "--json", "--from-config", str(config), credentials=False)
    assert proc.returncode == ExitCode.OK, proc.stderr
    doc = json.loads(proc.stdout)
    validate(doc)
    assert doc["inputs"]["LINKEDIN_CLIENT_SECRET"]["source"] == f"{config} (client_secret)"
    probed = [a["urn"] for a in doc["ad_accounts"] if a["reporting"]]
    assert probed == [ACME]  # only the account the config names is probed
    assert server.fake.calls("adAnalytics") == 1


def test_an_account_the_token_cannot_reach_fails_and_is_named(server, tmp_path):
    source = airbyte_file(tmp_path / "source.json", server, account_ids=[516413367, 987654321])
    proc = run_verify(server, "--from-config", str(source), credentials=False)
    assert proc.returncode == ExitCode.FIX
    reporting = next(line for line in proc.stdout.splitlines() if line.startswith("X Reporting"))
    assert UNREACHABLE in reporting and "not among the 2 ad accounts this token reaches" in reporting
    assert "Docs: https://linkedin-ads-token-guide.github.io/troubleshooting/#account-no-role" in proc.stdout
    assert "Fix: Check the ad account IDs in the config" in proc.stdout
    assert server.fake.calls("adAnalytics") == 1  # no call is spent on an account the token does not reach


def test_several_configs_and_an_env_file_are_several_sets(server, tmp_path):
    source = airbyte_file(tmp_path / "source.json", server)
    tap = singer_file(tmp_path / "tap.json", server)
    env = tmp_path / "a.env"
    env.write_text("".join(f"{k}={v}\n" for k, v in server.credentials().items()))
    proc = run_verify(server, "--json", "--from-config", str(source), "--from-config", str(tap), "--env-file", str(env),
                      credentials=False)
    docs = json.loads(proc.stdout)
    validate_many(docs)
    assert proc.returncode == ExitCode.OK and {d["env_file"] for d in docs} == {str(source), str(tap), str(env)}


def test_a_rotated_token_never_rewrites_the_tools_config(server, tmp_path):
    server.fake.rotate_refresh_token = True
    source = airbyte_file(tmp_path / "source.json", server)
    before = source.read_bytes()
    xdg = tmp_path / "xdg"
    proc = run_verify(server, "--from-config", str(source), credentials=False, env_extra={"XDG_CONFIG_HOME": str(xdg)})
    assert source.read_bytes() == before
    [fallback] = (xdg / "linkedin-ads-token-checks").iterdir()
    assert f"LINKEDIN_REFRESH_TOKEN={server.fake.refresh_token}" in fallback.read_text()
    assert stat.S_IMODE(fallback.stat().st_mode) == 0o600
    line = next(line for line in proc.stdout.splitlines() if "NEW refresh token" in line)
    assert str(fallback) in line and str(source) in line and "credentials.refresh_token" in line


# -- --write-config ----------------------------------------------------------------------------
def test_round_trip_write_then_read_each_tool(server, tmp_path):
    paths = {"airbyte": tmp_path / "source.json", "singer": tmp_path / "tap.json", "dotenv": tmp_path / "li.env"}
    proc = run_verify(server, *(a for tool, path in paths.items() for a in ("--write-config", f"{tool}={path}")))
    assert proc.returncode == ExitCode.OK, proc.stdout + proc.stderr
    for tool, path in paths.items():
        assert f"Wrote {path} (" in proc.stdout and stat.S_IMODE(path.stat().st_mode) == 0o600, tool
    airbyte = json.loads(paths["airbyte"].read_text())
    jsonschema.validate(airbyte, AIRBYTE_SPEC)
    assert airbyte["account_ids"] == [516413367, 508774356]
    singer = json.loads(paths["singer"].read_text())
    assert singer.keys() >= SINGER_REQUIRED and singer["accounts"] == "516413367, 508774356"
    assert f"LINKEDIN_AD_ACCOUNTS={ACME},{SANDBOX}\n" in paths["dotenv"].read_text()
    # The human output ends with the OWOX fields: secrets masked, Account URNs in full.
    tail = proc.stdout.rstrip().splitlines()[-5:]
    assert tail[0] == "OWOX Data Marts > LinkedIn Ads connector, field by field:"
    assert tail[-1].split() == ["Account", "URNs", f"{ACME},", SANDBOX]
    for path in paths.values():
        back = run_verify(server, "--from-config", str(path), credentials=False)
        assert back.returncode == ExitCode.OK, back.stdout + back.stderr
        assert "Reporting works on all 2 ad accounts named in the config" in back.stdout


def test_write_merges_into_an_existing_config(server, tmp_path):
    path = tmp_path / "source.json"
    path.write_text(json.dumps({"start_date": "2025-02-03", "lookback_window": 7,
                                "credentials": {"auth_method": "access_token", "access_token": "AQVstale-access-token"}}))
    proc = run_verify(server, "--write-config", f"airbyte={path}", extra_secrets=("AQVstale-access-token",))
    assert proc.returncode == ExitCode.OK, proc.stderr
    config = json.loads(path.read_text())
    jsonschema.validate(config, AIRBYTE_SPEC)
    assert config["lookback_window"] == 7 and config["start_date"] == "2025-02-03"
    assert config["credentials"]["auth_method"] == "oAuth2.0" and "access_token" not in config["credentials"]


def test_failed_verify_leaves_the_file_untouched(server, tmp_path):
    path = tmp_path / "tap.json"
    path.write_text('{"user_agent": "mine"}')
    proc = run_verify(server, "--write-config", f"singer={path}",
                      env_extra={"LINKEDIN_REFRESH_TOKEN": REVOKED_TOKEN}, extra_secrets=(REVOKED_TOKEN,))
    assert proc.returncode == ExitCode.FIX
    assert path.read_text() == '{"user_agent": "mine"}'
    assert f"Not written: {path} (the checks did not pass; the file is left as it was)" in proc.stdout
    assert "OWOX Data Marts" not in proc.stdout


def test_json_output_stays_one_document_and_the_write_is_reported_on_stderr(server, tmp_path):
    path = tmp_path / "source.json"
    proc = run_verify(server, "--json", "--write-config", f"airbyte={path}")
    validate(json.loads(proc.stdout))
    assert f"Wrote {path}" in proc.stderr and path.exists()


def test_a_rotated_token_is_what_gets_written(server, tmp_path):
    server.fake.rotate_refresh_token = True
    env = tmp_path / "li.env"
    env.write_text("".join(f"{k}={v}\n" for k, v in server.credentials().items()))
    out = tmp_path / "tap.json"
    proc = run_verify(server, "--env-file", str(env), "--write-config", f"singer={out}", credentials=False)
    assert proc.returncode == ExitCode.OK, proc.stdout
    assert json.loads(out.read_text())["refresh_token"] == server.fake.refresh_token


# -- bad input: exit 2, one line -----------------------------------------------------------------
def test_missing_field_exit_2_names_file_and_key(server, monkeypatch, capsys, tmp_path):
    path = tmp_path / "source.json"
    path.write_text(json.dumps({"credentials": {"auth_method": "oAuth2.0", "client_id": "86example1234a",
                                                "client_secret": "WPL_AP1.Ex4mpleS3cretVal.ue+/=="}}))
    proc = verify_here(server, monkeypatch, capsys, "--from-config", str(path), credentials=False)
    assert proc.returncode == ExitCode.USAGE and proc.stdout == ""
    assert one_error_line(proc) == (f"python -m checks.verify: error: --from-config {path} (Airbyte source-linkedin-ads "
                                    "config): credentials.refresh_token is missing or empty")
    assert server.fake.calls("token") == 0


def test_unknown_format_exit_2_lists_the_supported_ones(server, monkeypatch, capsys, tmp_path):
    path = tmp_path / "meltano.yml"
    path.write_text("plugins:\n  extractors:\n  - name: tap-linkedin-ads\n")
    proc = verify_here(server, monkeypatch, capsys, "--from-config", str(path), credentials=False)
    assert proc.returncode == ExitCode.USAGE
    line = one_error_line(proc)
    assert "unknown format: supported are an Airbyte source-linkedin-ads config" in line and "dotenv file" in line


@pytest.mark.parametrize("make,message", [
    (lambda d: d, "is a directory"),
    (lambda d: d / "missing" / "out.json", "does not exist"),
])
def test_unwritable_destination_exit_2_before_any_call(server, monkeypatch, capsys, tmp_path, make, message):
    proc = verify_here(server, monkeypatch, capsys, "--write-config", f"airbyte={make(tmp_path)}")
    assert proc.returncode == ExitCode.USAGE and message in one_error_line(proc)
    assert server.fake.calls("token") == 0  # nothing spent: the token is not at risk


def test_read_only_destination_exit_2(server, monkeypatch, capsys, tmp_path):
    path = tmp_path / "tap.json"
    path.write_text("{}")
    os.chmod(path, 0o400)
    if os.access(path, os.W_OK):
        pytest.skip("running as a user who can write anywhere (root)")
    proc = verify_here(server, monkeypatch, capsys, "--write-config", f"singer={path}")
    assert proc.returncode == ExitCode.USAGE and "read-only" in one_error_line(proc)


@pytest.mark.parametrize("args,message", [
    (["--write-config", "owox=x.json"], "OWOX Data Marts is set up in its UI"),
    (["--write-config", "stitch=x.json"], "TOOL one of airbyte, singer, dotenv"),
    (["--write-config", "airbyte=x.json", "--max-accounts", "0"], "drop --max-accounts 0"),
])
def test_write_config_usage_errors(server, monkeypatch, capsys, tmp_path, args, message):
    monkeypatch.chdir(tmp_path)
    proc = verify_here(server, monkeypatch, capsys, *args)
    assert proc.returncode == ExitCode.USAGE and message in proc.stderr
    assert not (tmp_path / "x.json").exists()


def test_write_config_with_several_sets_is_refused(server, monkeypatch, capsys, tmp_path):
    a = airbyte_file(tmp_path / "a.json", server)
    b = singer_file(tmp_path / "b.json", server)
    proc = verify_here(server, monkeypatch, capsys, "--from-config", str(a), "--from-config", str(b), "--write-config", f"dotenv={tmp_path / 'x.env'}",
                      credentials=False)
    assert proc.returncode == ExitCode.USAGE and "writes one credential set" in one_error_line(proc)
