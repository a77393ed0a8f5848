"""Every input mistake is exit 2 with one clear line (never a traceback, never "try again later"),
and what the commands print stays clean: the two credential commands run as a user runs them."""

from __future__ import annotations

import json
import sys

import pytest

from checks.errors import ExitCode
from tests.support.cli import run_cli
from tests.support.fake_linkedin import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, FakeLinkedInServer


def run(module, *args, env=None, cwd=None, shell=None, timeout=60):
    """The command with the developer's LinkedIn settings removed plus `env` (tests/support/cli.py)."""
    return run_cli(module, *args, env=env, cwd=cwd, shell=shell, timeout=timeout)


def one_error_line(proc) -> str:
    lines = [line for line in proc.stderr.splitlines() if "error:" in line]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def env_with_credentials(server, **extra):
    return {**server.env, **server.credentials(), **extra}


# -- env files ---------------------------------------------------------------------------------
def test_missing_env_file(tmp_path):
    proc = run("verify", "--env-file", str(tmp_path / "nope.env"))
    assert proc.returncode == ExitCode.USAGE and "no such file" in one_error_line(proc)


def test_env_file_that_is_a_directory(tmp_path):
    # verify reads a directory's *.env files (several credential sets); an empty one is a usage error.
    proc = run("verify", "--env-file", str(tmp_path))
    assert proc.returncode == ExitCode.USAGE and "holds no *.env files" in one_error_line(proc)
    # authorize saves into one file: a directory is refused before anything starts.
    proc = run("authorize", "--no-browser", "--env-file", str(tmp_path))
    assert proc.returncode == ExitCode.USAGE and "is a directory" in one_error_line(proc)


def test_a_virtualenv_named_dot_env_is_not_read(server, tmp_path):
    (tmp_path / ".env").mkdir()
    proc = run("verify", "--json", env=env_with_credentials(server), cwd=tmp_path)
    assert proc.returncode == ExitCode.OK, proc.stdout + proc.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_utf16_and_bom_files_are_read(server, tmp_path, encoding):
    env = tmp_path / "ps.env"
    env.write_bytes("\r\n".join(f"{k}={v}" for k, v in server.credentials().items()).encode(encoding))
    proc = run("verify", "--json", "--env-file", str(env), env=server.env)
    assert proc.returncode == ExitCode.OK, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["inputs"]["LINKEDIN_CLIENT_ID"]["source"] == str(env)


def test_latin1_file_names_the_encoding(tmp_path):
    env = tmp_path / "latin1.env"
    env.write_bytes("# caf\u00e9\nLINKEDIN_CLIENT_ID=abc\n".encode("latin-1"))
    proc = run("verify", "--env-file", str(env))
    line = one_error_line(proc)
    assert proc.returncode == ExitCode.USAGE and "not UTF-8" in line and "UTF-8" in line


def test_utf16_without_bom_is_named(tmp_path):
    env = tmp_path / "nobom.env"
    env.write_bytes("LINKEDIN_CLIENT_ID=abc\n".encode("utf-16-le"))
    proc = run("verify", "--env-file", str(env))
    assert proc.returncode == ExitCode.USAGE and "UTF-16 without a byte-order mark" in one_error_line(proc)


def test_process_substitution_and_dev_null(server):
    lines = "\\n".join(f"{k}={v}" for k, v in server.credentials().items())
    script = f"{sys.executable} -m checks.verify --json --env-file <(printf '{lines}\\n')"
    proc = run("verify", shell=script, env=server.env)
    assert proc.returncode == ExitCode.OK, proc.stdout + proc.stderr
    proc = run("verify", "--json", "--env-file", "/dev/null", env=env_with_credentials(server))
    assert proc.returncode == ExitCode.OK, proc.stdout + proc.stderr


def test_unreadable_file_as_an_unprivileged_user(tmp_path):
    from tests.support.users import run_as_nobody

    env = tmp_path / "root-only.env"
    env.write_text("LINKEDIN_CLIENT_ID=abc\n")
    env.chmod(0o600)
    tmp_path.chmod(0o755)
    tmp_path.parent.chmod(0o755)
    code = f"""
import sys
from checks.credentials.inputs import load_inputs
from checks.errors import UsageError
try:
    load_inputs({str(env)!r}, prompt=False)
except UsageError as exc:
    print(exc); sys.exit(0)
print("read it: still privileged")
"""
    proc = run_as_nobody(code)
    if "still privileged" in proc.stdout:
        pytest.skip("the unprivileged user can still read the file")
    assert proc.returncode == 0, proc.stderr
    assert "permission denied" in proc.stdout


# -- values ------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["127.0.0.1:8990/oauth/v2", "ftp://example.com/oauth", "not a url", "https://"])
def test_malformed_base_url_is_a_usage_error_not_transient(server, url):
    proc = run("verify", env=env_with_credentials(server, LINKEDIN_OAUTH_URL=url))
    assert proc.returncode == ExitCode.USAGE and "LINKEDIN_OAUTH_URL" in one_error_line(proc)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "abc", "0"])
def test_timeout_must_be_a_finite_positive_number(value):
    proc = run("verify", "--timeout", value)
    assert proc.returncode == ExitCode.USAGE and "--timeout" in one_error_line(proc)


@pytest.mark.parametrize("port", ["0", "-1", "99999", "http"])
def test_out_of_range_ports(port, tmp_path):
    proc = run("authorize", "--no-browser", "--port", port, env={"LINKEDIN_CLIENT_ID": CLIENT_ID,
                                                                 "LINKEDIN_CLIENT_SECRET": CLIENT_SECRET}, cwd=tmp_path)
    assert proc.returncode == ExitCode.USAGE and "--port" in one_error_line(proc)
    assert ":0/callback" not in proc.stdout + proc.stderr and not proc.stdout


@pytest.mark.parametrize("name,make", [
    ("missing directory", lambda tmp: tmp / "secrets" / "linkedin.env"),
    ("a directory", lambda tmp: tmp),
])
def test_authorize_checks_the_destination_before_the_browser(server, tmp_path, name, make):
    before = server.fake.calls("token")
    proc = run("authorize", "--no-browser", "--env-file", str(make(tmp_path)),
               env={**server.env, "LINKEDIN_CLIENT_ID": CLIENT_ID, "LINKEDIN_CLIENT_SECRET": CLIENT_SECRET})
    assert proc.returncode == ExitCode.USAGE, proc.stderr
    assert proc.stdout == "", "no authorization URL may be printed: the code would be spent for nothing"
    assert server.fake.calls("token") == before


def test_point_versions_are_accepted(server):
    proc = run("verify", "--json", env=env_with_credentials(server, LINKEDIN_API_VERSION="202607.01"))
    assert proc.returncode == ExitCode.OK, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["endpoints"]["api_version"] == "202607.01"


# -- argparse's words stay readable; secrets typed as arguments do not -------------------------
def test_argparse_messages_are_not_garbled_but_typed_secrets_are_masked():
    proc = run("verify", "--jsn")
    assert proc.returncode == ExitCode.USAGE and "unrecognized arguments: --jsn" in proc.stderr
    proc = run("verify", "--timeout", "abc")
    assert "argument --timeout" in proc.stderr and "'abc' is not a number" in proc.stderr
    proc = run("verify", REFRESH_TOKEN, f"--client-secret={CLIENT_SECRET}")
    assert proc.returncode == ExitCode.USAGE and "unrecognized arguments" in proc.stderr
    assert "AQX…k9Q" in proc.stderr and CLIENT_SECRET not in proc.stderr


@pytest.mark.parametrize("module", ["verify", "authorize"])
def test_version(module):
    from checks import __version__

    proc = run(module, "--version")
    assert proc.returncode == ExitCode.OK and __version__ in proc.stdout


def test_usage_errors_under_json_print_a_json_document(tmp_path):
    proc = run("verify", "--json", "--jsn")
    doc = json.loads(proc.stdout)
    assert proc.returncode == doc["exit_code"] == ExitCode.USAGE and doc["ok"] is False and "--jsn" in doc["error"]
    proc = run("verify", "--json", "--env-file", str(tmp_path / "missing.env"))
    doc = json.loads(proc.stdout)
    assert proc.returncode == doc["exit_code"] == ExitCode.USAGE and "no such file" in doc["error"]


# -- output hygiene ----------------------------------------------------------------------------
def test_blank_values_are_missing_and_masks_are_taken_after_cleaning(server, tmp_path):
    env = tmp_path / "blank.env"
    env.write_text(f'LINKEDIN_CLIENT_ID={CLIENT_ID}\nLINKEDIN_CLIENT_SECRET="  {CLIENT_SECRET}\n"\n'
                   'LINKEDIN_REFRESH_TOKEN="   \n"\n')
    before = server.fake.calls("token")
    proc = run("verify", "--json", "--env-file", str(env), env=server.env)
    doc = json.loads(proc.stdout)
    assert proc.returncode == ExitCode.FIX and doc["checks"][0]["problem"] == "missing-input"
    assert doc["inputs"]["LINKEDIN_REFRESH_TOKEN"]["masked"] == "(not set)"
    assert server.fake.calls("token") == before, "a blank token must not be sent to LinkedIn"
    masked = doc["inputs"]["LINKEDIN_CLIENT_SECRET"]["masked"]
    assert masked == CLIENT_SECRET[:3] + "…" + CLIENT_SECRET[-3:], masked


def test_credentials_in_urls_are_never_printed(server):
    host = server.url.split("//", 1)[1]
    env = env_with_credentials(server, LINKEDIN_OAUTH_URL=f"http://proxyuser:hunter2pw@{host}/oauth/v2")
    for args in (["--verbose"], ["--json", "--verbose"]):
        proc = run("verify", *args, env=env)
        assert "hunter2pw" not in proc.stdout + proc.stderr and "proxyuser" not in proc.stdout + proc.stderr
        assert host in proc.stdout + proc.stderr


def test_closed_stdout_ends_quietly(server):
    script = f"{sys.executable} -m checks.verify --json | true; echo \"status=${{PIPESTATUS[0]}}\""
    proc = run("verify", shell=script, env=env_with_credentials(server))
    assert "BrokenPipeError" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    assert "status=0" in proc.stdout


def test_wrong_app_wording_follows_what_was_observed():
    """Introspection says inactive although the refresh with this very Client ID just worked:
    the report must not claim the token belongs to another app."""
    with FakeLinkedInServer() as server:
        server.fake.introspect_active = False
        proc = run("verify", "--json", env=env_with_credentials(server))
    scopes = next(c for c in json.loads(proc.stdout)["checks"] if c["id"] == "scopes")
    assert proc.returncode == ExitCode.FIX and scopes["status"] == "fail"
    assert "another app" not in scopes["summary"] and "introspection" in scopes["summary"].lower()
    assert "belongs to this app" in scopes["fix"]


def test_rotated_token_from_a_pipe_is_kept_in_the_fallback_file_and_fails_loudly(tmp_path):
    from checks.credentials.inputs import read_dotenv

    with FakeLinkedInServer() as server:
        server.fake.rotate_refresh_token = True
        lines = "\\n".join(f"{k}={v}" for k, v in server.credentials().items())
        script = f"{sys.executable} -m checks.verify --json --env-file <(printf '{lines}\\n')"
        proc = run("verify", shell=script, env={**server.env, "XDG_CONFIG_HOME": str(tmp_path)})
    rotated = next(c for c in json.loads(proc.stdout)["checks"] if c["id"] == "refresh-token-rotated")
    assert proc.returncode == ExitCode.FIX and rotated["status"] == "fail", rotated
    saved = list((tmp_path / "linkedin-ads-token-checks").iterdir())
    assert len(saved) == 1 and str(saved[0]) in rotated["summary"]
    token = read_dotenv(saved[0])["LINKEDIN_REFRESH_TOKEN"]
    assert token != REFRESH_TOKEN and token.startswith("AQ") and (saved[0].stat().st_mode & 0o777) == 0o600
