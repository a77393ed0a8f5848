"""Who decides where a secret goes, what a printed line may contain, and where a secret file may
live (issue 21): endpoints trusted only from their owner, control characters escaped, one redactor,
secret files their owner's alone."""

from __future__ import annotations

import fnmatch
import io
import os
import stat
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from dotenv import dotenv_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.credentials.inputs import (
    CLIENT_ID,
    CLIENT_SECRET,
    DEFAULT_OAUTH_URL,
    REFRESH_TOKEN,
    base_url,
    load_inputs,
    parse_dotenv_text,
    read_dotenv,
)
from checks.errors import UsageError

SECRETS = {CLIENT_ID: "86example1234a", CLIENT_SECRET: "WPL_AP1.Ex4mpleS3cretVal.ue+/==",
           REFRESH_TOKEN: "AQX" + "r" * 60 + "k9Q"}
NEW = "AQXnew" + "n" * 60 + "k9Q"


# -- endpoints ----------------------------------------------------------------------------------
def test_endpoints_in_a_file_without_the_secrets_are_ignored_with_a_warning(tmp_path):
    env = tmp_path / ".env"
    env.write_text("LINKEDIN_OAUTH_URL=http://127.0.0.1:1/oauth/v2\nLINKEDIN_API_URL=http://127.0.0.1:1/rest\n")
    inputs = load_inputs(env, environ=SECRETS, prompt=False)
    assert inputs.endpoints.oauth_url == DEFAULT_OAUTH_URL and inputs.endpoints.api_url.startswith("https://api.")
    assert any("LINKEDIN_OAUTH_URL" in w and "ignored" in w for w in inputs.warnings), inputs.warnings


def test_endpoints_in_the_file_that_holds_the_secrets_are_used(tmp_path):
    env = tmp_path / ".env"
    env.write_text("".join(f"{k}={v}\n" for k, v in SECRETS.items()) + "LINKEDIN_OAUTH_URL=http://localhost:8/o\n")
    inputs = load_inputs(env, environ={}, prompt=False)
    assert inputs.endpoints.oauth_url == "http://localhost:8/o"


def test_a_host_outside_linkedin_gets_a_warning_naming_it():
    inputs = load_inputs(None, environ={**SECRETS, "LINKEDIN_OAUTH_URL": "https://proxy.corp.example/oauth/v2"},
                         prompt=False, discover=False)
    assert any("proxy.corp.example" in w for w in inputs.warnings), inputs.warnings
    quiet = load_inputs(None, environ={**SECRETS, "LINKEDIN_API_URL": "https://api.linkedin.com/rest"},
                        prompt=False, discover=False)
    assert quiet.warnings == []


@pytest.mark.parametrize("url", ["http://linkedin.example/oauth/v2", "http://10.0.0.1/x", "http://127.0.0.2.nip.io/"])
def test_plain_http_is_refused_for_any_host_but_loopback(url):
    with pytest.raises(UsageError, match="https://"):
        base_url({"LINKEDIN_OAUTH_URL": url}, "LINKEDIN_OAUTH_URL", DEFAULT_OAUTH_URL)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/o", "http://[::1]:8080/o", "http://localhost/o"])
def test_plain_http_to_loopback_is_fine(url):
    assert base_url({"X": url}, "X", DEFAULT_OAUTH_URL) == url


@pytest.mark.parametrize("line", ["A=x${HOME}y", 'A="x${HOME}y"', "A='x${HOME}y'", "export A=x${HOME}y"])
def test_dotenv_values_are_never_interpolated(line, monkeypatch):
    monkeypatch.setenv("HOME", "/home/someone")
    assert parse_dotenv_text(line + "\n") == {"A": "x${HOME}y"}


# -- the terminal ---------------------------------------------------------------------------------
def test_control_characters_are_escaped_in_text_and_printable_text_is_kept():
    from checks.credentials.secrets import escape_controls

    assert escape_controls("Acme\x1b]0;t\x07\x9b2J\r\nok ✓ é\t") == "Acme\\x1b]0;t\\x07\\x9b2J\\r\\nok ✓ é\t"


def test_the_checklist_escapes_what_linkedin_and_files_said(clean_env):
    from checks.credentials.diagnose import FAIL, Check, Report
    from checks.credentials.inputs import Endpoints
    from checks.credentials.render import render_text
    from checks.credentials.secrets import Redactor

    check = Check("ads-api", "Advertising API", FAIL, "LinkedIn said \x1b[2Kfine\x07", details=["path /tmp/\x1b]0;x"],
                  fix_override="do \x1b[32mthis")
    report = Report(checks=[check], checked_at=datetime.now(timezone.utc))
    text = render_text(report, Endpoints(), Redactor(), colour=True)
    assert "\x07" not in text and "\\x1b[2K" in text and "\\x1b]0;x" in text and "\\x1b[32mthis" in text
    assert "\x1b[31mX\x1b[0m" in text, "the checklist's own colours stay"


def test_the_error_line_of_every_command_escapes_control_characters(capsys):
    import argparse

    from checks.cli import run_command
    from checks.errors import CredentialsError

    def command(args, ctx):
        raise CredentialsError("cannot read /tmp/\x1b]0;owned\x07.env")

    assert run_command(argparse.ArgumentParser, command, [], prog="prog") == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]0;owned\\x07" in err


# -- one redactor ---------------------------------------------------------------------------------
def test_url_credentials_are_rebuilt_from_host_and_port():
    from checks.credentials.secrets import display_url, strip_url_credentials

    assert strip_url_credentials("via https://user:p@ss@proxy.example:3128/o ok") == "via https://proxy.example:3128/o ok"
    assert display_url("https://user:p@ss@proxy.example:3128/oauth/v2?x=1") == "https://proxy.example:3128/oauth/v2"


def test_the_browser_gets_no_url_credentials():
    from checks.credentials.oauth import authorization_url

    url = authorization_url("https://user:p@ss@proxy.example/oauth/v2", "cid", "http://127.0.0.1:8765/callback",
                            ("r_ads",), "st")
    assert url.startswith("https://proxy.example/oauth/v2/authorization?") and "p@ss" not in url


def test_state_is_compared_in_constant_time(monkeypatch):
    import hmac

    from checks.credentials import oauth

    compared = []
    real = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(oauth.hmac, "compare_digest", spy)
    assert oauth.parse_callback("http://127.0.0.1/callback?code=AQTabc&state=s3cr3t", "s3cr3t").code == "AQTabc"
    with pytest.raises(oauth.StateMismatch):
        oauth.parse_callback("http://127.0.0.1/callback?code=AQTabc&state=other", "s3cr3t")
    assert len(compared) == 2


def test_the_shared_redactor_masks_the_code_and_escapes():
    from checks.credentials.secrets import Redactor

    redactor = Redactor()
    redactor.add("AQTcode-0123456789abcdef")
    assert redactor.clean("code=AQTcode-0123456789abcdef\x1b[2K") == "code=AQT…def\\x1b[2K"


# -- secret files ---------------------------------------------------------------------------------
@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "linkedin-ads-token-checks"


def test_a_group_readable_file_is_tightened_to_0600_and_the_user_told(tmp_path, config):
    from checks.credentials.store import save_values

    env = tmp_path / ".env"
    env.write_text(f"{REFRESH_TOKEN}=AQXold\n")
    env.chmod(0o640)
    notes: list[str] = []
    save_values(env, {REFRESH_TOKEN: NEW}, notes=notes)
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    assert any("0640" in n and "0600" in n for n in notes), notes


def test_backups_go_to_the_private_config_directory_and_only_the_last_few_are_kept(tmp_path, config):
    from checks.credentials import store

    env = tmp_path / ".env"
    env.write_text(f"{REFRESH_TOKEN}=AQXold0\n")
    for i in range(1, store.BACKUPS_KEPT + 3):
        backup = store.save_values(env, {REFRESH_TOKEN: f"AQXold{i}"}, backup_keys=(REFRESH_TOKEN,))
        assert backup is not None and backup.parent.parent == config
    kept = sorted(backup.parent.iterdir())
    assert len(kept) == store.BACKUPS_KEPT and f"AQXold{store.BACKUPS_KEPT + 1}" in kept[-1].read_text()
    assert "AQXold0\n" not in "".join(p.read_text() for p in kept), "the oldest are pruned"
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700 and all(
        stat.S_IMODE(p.stat().st_mode) == 0o600 for p in kept)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env", "config"], "nothing new beside the file"


def test_temp_files_carry_a_name_that_env_ignore_patterns_match(tmp_path, monkeypatch):
    from checks.credentials import store

    seen = []
    real = os.replace

    def spy(src, dst):
        seen.append(Path(src).name)
        return real(src, dst)

    monkeypatch.setattr(store.os, "replace", spy)
    store.write_private(tmp_path / "linkedin.env", "A=1\n")
    assert seen and all(fnmatch.fnmatch(n, "*.env") and fnmatch.fnmatch(n, ".env*") for n in seen), seen


def test_the_mode_is_set_on_the_open_descriptor_not_the_path(tmp_path, monkeypatch):
    from checks.credentials import store

    def no_path_chmod(*args, **kwargs):
        raise AssertionError("chmod by path races with a swapped file")

    monkeypatch.setattr(store.os, "chmod", no_path_chmod)
    store.write_private(tmp_path / "a.env", "A=1\n")
    assert stat.S_IMODE((tmp_path / "a.env").stat().st_mode) == 0o600


@pytest.fixture
def sticky_dir():
    path = Path(tempfile.mkdtemp(prefix="i21-sticky-"))
    path.chmod(0o1777)
    yield path
    subprocess.run(["rm", "-rf", str(path)], check=False)


def test_a_symlink_planted_in_a_sticky_directory_is_not_followed(sticky_dir, tmp_path, config):
    from checks.credentials.store import SavedElsewhere, check_destination, save_values

    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    victim.chmod(0o664)
    link = sticky_dir / "linkedin.env"
    link.symlink_to(victim)
    with pytest.raises(UsageError, match="symlink"):
        check_destination(link)
    with pytest.raises(SavedElsewhere):
        save_values(link, {REFRESH_TOKEN: NEW})
    assert victim.read_text() == "keep me\n" and stat.S_IMODE(victim.stat().st_mode) == 0o664
    with pytest.raises(UsageError, match="symlink"):
        read_dotenv(link)


def test_a_file_another_user_owns_is_refused_for_writing_and_warned_about_for_reading(tmp_path, config):
    from checks.credentials.store import check_destination

    if os.geteuid() != 0:
        pytest.skip("needs root to give a file to another user")
    env = tmp_path / ".env"
    env.write_text("".join(f"{k}={v}\n" for k, v in SECRETS.items()))
    os.chown(env, 65534, 65534)
    with pytest.raises(UsageError, match="another user"):
        check_destination(env)
    inputs = load_inputs(env, environ={}, prompt=False)
    assert any("another user" in w for w in inputs.warnings), inputs.warnings


def test_a_file_others_can_write_is_warned_about_when_read(tmp_path):
    env = tmp_path / ".env"
    env.write_text("".join(f"{k}={v}\n" for k, v in SECRETS.items()))
    env.chmod(0o666)
    inputs = load_inputs(env, environ={}, prompt=False)
    assert any("other users can change" in w for w in inputs.warnings), inputs.warnings


def test_a_token_outside_linkedins_alphabet_is_refused_not_saved(tmp_path, config):
    from checks.credentials.store import save_values
    from checks.errors import CredentialsError

    env = tmp_path / ".env"
    env.write_text(f"{REFRESH_TOKEN}=AQXold\n")
    with pytest.raises(CredentialsError, match="not saved"):
        save_values(env, {REFRESH_TOKEN: "AQX'; touch /tmp/pwned; '"})
    assert read_dotenv(env)[REFRESH_TOKEN] == "AQXold" and not list(config.rglob("*.env"))


def _shell_reads(text: str) -> str:
    proc = subprocess.run(["sh", "-c", 'set -a; . "$1"; printf %s "$A"', "sh", "/dev/stdin"], input=text,
                          capture_output=True, text=True, timeout=10)
    assert proc.returncode == 0 and proc.stderr == "", (text, proc.stderr)
    return proc.stdout


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.text(alphabet=st.one_of(st.characters(min_codepoint=32, max_codepoint=0x2FF), st.sampled_from("\n\t")),
                     max_size=30),
       style=st.sampled_from(["A=x", "A='x'", 'A="x"', "export A=x  # note"]))
def test_what_is_written_reads_back_the_same_in_python_dotenv_and_a_posix_shell(value, style):
    from checks.credentials.store import update_text

    try:
        text = update_text(f"{style}\nB=keep\n", {"A": value})
    except ValueError:  # no way to write it that both read the same: refused, never written half-right
        assert ("'" in value or "\\" in value) and ("$" in value or "`" in value), value
        return
    assert dotenv_values(stream=io.StringIO(text), interpolate=False).get("A") == value, text
    assert _shell_reads(text) == value, text


def test_screens_print_through_the_shared_redactor(monkeypatch, capsys, tmp_path):
    """`python -m checks.screens` passes its output through the same redaction as verify."""
    from checks.screens import __main__ as screens

    secret = "WPL_AP1.Ex4mpleS3cretVal.ue+/=="
    monkeypatch.setenv("LINKEDIN_CLIENT_SECRET", secret)

    def noisy(args, ctx):
        print(f"portal said: {secret} \x1b]0;title\x07")
        return 0

    monkeypatch.setattr(screens, "_guarded", noisy)
    assert screens.main(["scan", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert secret not in out and "WPL…/==" in out and "\x1b" not in out and "\\x1b]0;title\\x07" in out


@pytest.fixture
def shared_parent():
    path = Path(tempfile.mkdtemp(prefix="i21-shared-"))
    yield path
    subprocess.run(["rm", "-rf", str(path)], check=False)


def test_a_directory_other_users_can_write_is_refused_for_the_token(shared_parent, config):
    from checks.credentials.store import SavedElsewhere, check_destination, save_values

    shared_parent.chmod(0o777)  # world-writable, not sticky: anyone can swap the file
    env = shared_parent / ".env"
    with pytest.raises(UsageError, match="other users can write its directory"):
        check_destination(env)
    with pytest.raises(SavedElsewhere) as caught:
        save_values(env, {REFRESH_TOKEN: NEW})
    assert not env.exists() and read_dotenv(caught.value.fallback)[REFRESH_TOKEN] == NEW
