"""One contract for every command (checks/cli.py::run_command), checked as a table: each command
under each failure class, in text and in JSON mode.

    usage      a bad option                       exit 2, the usage and one `prog: error:` line
    input      a file or setting that is wrong    exit 2, one `prog: error:` line
    temporary  LinkedIn or the portal unreachable  exit 3
    bug        an exception of ours               exit 70, the traceback on stderr (secrets masked)
    ctrl-c     KeyboardInterrupt                  exit 130, one `interrupted` line

With --json, stdout holds exactly one JSON document that says the same exit code (and, for verify
and authorize, matches the published schema: run_cli checks it on every run).
"""

from __future__ import annotations

import json

import pytest

from checks.errors import ExitCode, TransientError
from tests.support.cli import run_cli
from tests.support.fake_linkedin import CLIENT_SECRET, Canned

PROGS = {"verify": "python -m checks.verify", "authorize": "python -m checks.authorize",
         "screens": "python -m checks.screens"}
# What each command runs in JSON mode; screens' JSON lives on its drift subcommand.
BASE = {"verify": [], "authorize": ["--no-browser"], "screens": ["drift"]}
# The function a test breaks to cause a bug or an interrupt in the middle of a run.
INNER = {"verify": "checks.credentials.service.verify_credentials",
         "authorize": "checks.credentials.store.check_destination",
         "screens": "checks.screens.drift.check_drift"}
CLASSES = ("usage", "input", "temporary", "bug", "ctrl-c")
EXPECTED = {"usage": ExitCode.USAGE, "input": ExitCode.USAGE, "temporary": ExitCode.TRANSIENT, "bug": ExitCode.BUG,
            "ctrl-c": ExitCode.INTERRUPTED}


def raiser(exc: BaseException):
    def broken(*args, **kwargs):
        raise exc

    return broken


def provoke(command: str, failure: str, server, monkeypatch, tmp_path) -> tuple[list[str], dict]:
    """The arguments and environment that make `command` fail with `failure`."""
    args, env = list(BASE[command]), {}
    if command == "authorize":
        env = {"LINKEDIN_REFRESH_TOKEN": None}  # authorize is how one gets it
        args += ["--env-file", str(tmp_path / ".env"), "--port", "18765"]
    if failure == "usage":
        args.append("--no-such-option")
    elif failure == "input":
        args += {"verify": ["--env-file", str(tmp_path / "missing.env")],
                 "authorize": ["--env-file", str(tmp_path)],  # a directory cannot take the token
                 "screens": ["--storage-state", str(tmp_path / "none.json"), "--base-url", "http://127.0.0.1:9"]}[command]
    elif failure == "temporary":
        if command == "verify":
            env["LINKEDIN_OAUTH_URL"] = "http://127.0.0.1:9/oauth/v2"  # nothing listens there
            args += ["--retries", "0"]
        elif command == "authorize":
            server.fake.queue("token", *[Canned(503, "<html>busy</html>")] * 3)
            monkeypatch.setattr("checks.authorize.obtain_code", lambda **kwargs: "AQTcode" + "c" * 40)
        else:
            monkeypatch.setattr(INNER[command], raiser(TransientError("could not check: LinkedIn answered HTTP 503")))
    elif failure == "bug":
        # The message carries a secret: the traceback on stderr must not.
        monkeypatch.setattr(INNER[command], raiser(RuntimeError(f"unexpected {CLIENT_SECRET}")))
    else:
        monkeypatch.setattr(INNER[command], raiser(KeyboardInterrupt()))
    return args, env


@pytest.mark.parametrize("json_mode", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("failure", CLASSES)
@pytest.mark.parametrize("command", ["verify", "authorize", "screens"])
def test_every_command_fails_the_same_way(command, failure, json_mode, server, monkeypatch, tmp_path):
    args, env = provoke(command, failure, server, monkeypatch, tmp_path)
    if json_mode:
        args.insert(len(BASE[command]), "--json")
    result = run_cli(command, *args, server=server, env=env, cwd=tmp_path, bug=failure == "bug")
    expected = EXPECTED[failure]
    assert result.returncode == expected, result.stdout + result.stderr
    prog = PROGS[command]
    errors = [line for line in result.stderr.splitlines() if line.startswith(f"{prog}: ")]
    if failure == "temporary" and command == "verify":
        assert errors == [] and "refused the connection" in result.stdout + result.stderr  # a check that failed
    else:
        assert len(errors) == 1, result.stderr
        assert ("interrupted" if failure == "ctrl-c" else ": error: ") in errors[0]
    assert ("usage: " + prog in result.stderr) == (failure == "usage")
    assert ("Traceback (most recent call last)" in result.stderr) == (failure == "bug")
    if failure == "bug":
        assert "RuntimeError: unexpected WPL" in result.stderr  # masked, and run_cli swept for the secret
    if json_mode:
        document = json.loads(result.stdout)  # exactly one document, nothing else on stdout
        assert document["exit_code"] == expected and document["ok"] is False
    elif failure in ("usage", "input"):
        assert result.stdout == "", "nothing ran: nothing on stdout"


@pytest.mark.parametrize("command", ["verify", "authorize", "screens"])
def test_an_abbreviated_option_is_refused_not_half_honoured(command, tmp_path):
    result = run_cli(command, *BASE[command], "--js", cwd=tmp_path)
    assert result.returncode == ExitCode.USAGE
    assert "unrecognized arguments: --js" in result.stderr and result.stdout == ""


def test_help_never_reads_the_environment():
    for command, args in (("verify", ["--help"]), ("authorize", ["--help"]), ("screens", ["drift", "--help"])):
        result = run_cli(command, *args, env={"LINKEDIN_FRESH_TOKEN_GRACE": "abc", "LINKEDIN_API_VERSION": "nope"})
        assert result.returncode == 0 and "usage:" in result.stdout, result.stderr


def test_a_malformed_env_default_is_a_usage_error_once_the_command_runs(server):
    result = run_cli("verify", server=server, env={"LINKEDIN_FRESH_TOKEN_GRACE": "abc"})
    assert result.returncode == ExitCode.USAGE and "LINKEDIN_FRESH_TOKEN_GRACE='abc'" in result.stderr


def test_the_docs_url_override_is_read_in_cli_setup_per_run_and_never_by_help(server):
    server.fake.refresh_token_expires_in = 5 * 86400  # a warning: its Docs: link is printed
    mirror = "http://127.0.0.1:8000/"
    result = run_cli("verify", "--json", server=server, env={"LINKEDIN_CHECKS_DOCS_URL": mirror})
    docs = [c["docs"] for c in result.json()["checks"] if c["docs"]]
    assert docs and all(d.startswith(mirror) for d in docs)
    again = run_cli("verify", "--json", server=server)  # the next run, without it: the published guide
    assert all(c["docs"].startswith("https://linkedin-ads-token-guide.github.io/") for c in again.json()["checks"] if c["docs"])
    helped = run_cli("verify", "--help", env={"LINKEDIN_CHECKS_DOCS_URL": mirror})
    assert mirror not in helped.stdout and "https://linkedin-ads-token-guide.github.io/troubleshooting/" in helped.stdout
