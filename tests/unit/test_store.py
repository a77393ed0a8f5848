"""The one credentials writer (checks/credentials/store.py): what the next run reads is what was saved,
and a token is never lost, whatever the file looks like or however it fails."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from dotenv import dotenv_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.credentials.inputs import parse_dotenv_text, read_dotenv
from checks.credentials.store import SavedElsewhere, check_destination, save_values, update_text, write_private
from checks.errors import ExitCode, UsageError
from tests.support.users import NOBODY, run_as_nobody

KEY = "LINKEDIN_REFRESH_TOKEN"
NEW = "AQXnew" + "n" * 60 + "k9Q"


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    """Backups and fallback files go to the tool's config directory: a fresh one per test."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "linkedin-ads-token-checks"


def test_duplicate_key_the_line_dotenv_reads_is_updated_and_earlier_ones_commented_out(tmp_path):
    env = tmp_path / ".env"
    env.write_text(f"{KEY}=AQXfirst\nOTHER=1\n{KEY}=AQXsecond\n")
    save_values(env, {KEY: NEW})
    assert dotenv_values(env)[KEY] == NEW, "python-dotenv itself must read the new token"
    assert read_dotenv(env)[KEY] == NEW
    text = env.read_text()
    assert "AQXfirst" in text and f"# {KEY}=AQXfirst" in text, "earlier definitions are commented out, not lost"
    assert "OTHER=1" in text


def test_symlink_is_followed_and_stays_a_link(tmp_path, private_config):
    real = tmp_path / "real"
    real.mkdir()
    (real / "linkedin.env").write_text(f"{KEY}=AQXold\n")
    link = tmp_path / ".env"
    link.symlink_to("real/linkedin.env")
    backup = save_values(link, {KEY: NEW}, backup_keys=(KEY,))
    assert link.is_symlink(), "the link must not be replaced by a regular file"
    assert read_dotenv(real / "linkedin.env")[KEY] == NEW
    # The backup goes to the private config directory (issue 21), not beside the file.
    assert backup is not None and backup.parent == private_config / "backups"
    assert backup.read_text() == f"{KEY}=AQXold\n" and backup.name.startswith("linkedin.env.")


def test_export_quotes_comment_crlf_are_kept_the_mode_tightened_and_backup_is_byte_identical(tmp_path):
    env = tmp_path / ".env"
    original = f'# creds\r\nexport {KEY}="AQXold"  # from step 5\r\nexport LINKEDIN_CLIENT_ID=abc\r\n'.encode()
    env.write_bytes(original)
    env.chmod(0o640)
    backup = save_values(env, {KEY: NEW}, backup_keys=(KEY,))
    assert env.read_bytes() == original.replace(b"AQXold", NEW.encode())
    assert stat.S_IMODE(env.stat().st_mode) == 0o600, "a file holding a secret is its owner's alone (issue 17)"
    assert backup is not None and backup.read_bytes() == original
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_new_keys_follow_the_files_line_endings_and_export_style(tmp_path):
    env = tmp_path / ".env"
    env.write_bytes(b"export A=1\r\nexport B=2")
    save_values(env, {KEY: NEW})
    assert env.read_bytes() == f"export A=1\r\nexport B=2\r\nexport {KEY}={NEW}\r\n".encode()


def test_new_file_is_private(tmp_path):
    env = tmp_path / "new.env"
    assert save_values(env, {KEY: NEW}) is None
    assert stat.S_IMODE(env.stat().st_mode) == 0o600 and read_dotenv(env) == {KEY: NEW}


def test_utf16_file_is_updated_in_its_encoding(tmp_path):
    env = tmp_path / ".env"
    env.write_bytes(f"{KEY}=AQXold\r\nA=é\r\n".encode("utf-16"))
    save_values(env, {KEY: NEW})
    assert env.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert read_dotenv(env) == {KEY: NEW, "A": "é"}


def test_dollar_braces_are_not_expanded_on_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", "/home/someone")
    env = tmp_path / ".env"
    save_values(env, {"A": "ab${HOME}cd", "B": "$HOME"})
    assert read_dotenv(env) == {"A": "ab${HOME}cd", "B": "$HOME"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40),
       style=st.sampled_from(["A=x", "A='x'", 'A="x"', "export A=x  # note"]))
def test_any_value_round_trips_through_the_reader(value, style):
    try:
        text = update_text(f"{style}\nB=keep\n", {"A": value})
    except ValueError:  # refused: no quoting reads the same in python-dotenv and a shell (issue 21)
        assert ("'" in value or "\\" in value) and ("$" in value or "`" in value), value
        return
    values = parse_dotenv_text(text)
    assert values.get("A", "") == value and values["B"] == "keep", text


@settings(max_examples=200, deadline=None)
@given(value=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF, blacklist_characters="\\'"), max_size=40))
def test_python_dotenv_itself_reads_the_value_back_when_it_holds_no_variable(value):
    """python-dotenv expands ${VAR} even in single quotes; anything else it reads exactly as written."""
    if "${" in value:
        return
    import io

    text = update_text("", {"A": value})
    assert dotenv_values(stream=io.StringIO(text)).get("A") == value, text


def test_destination_is_validated(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        check_destination(tmp_path / "secrets" / "linkedin.env")
    with pytest.raises(UsageError, match="is a directory"):
        check_destination(tmp_path)
    assert check_destination(tmp_path / "ok.env") == tmp_path / "ok.env"


def test_atomic_writer_leaves_no_temp_file_and_sets_the_mode(tmp_path):
    target = tmp_path / "state.json"
    write_private(target, "{}")
    write_private(target, b"[]", mode=0o600)
    assert target.read_text() == "[]" and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_not_a_regular_file_falls_back_to_the_config_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    read, write = os.pipe()
    os.close(write)
    try:
        with pytest.raises(SavedElsewhere) as caught:
            save_values(f"/dev/fd/{read}", {KEY: NEW})
    finally:
        os.close(read)
    fallback = caught.value.fallback
    assert fallback.parent == tmp_path / "config" / "linkedin-ads-token-checks"
    assert read_dotenv(fallback)[KEY] == NEW and stat.S_IMODE(fallback.stat().st_mode) == 0o600
    assert str(fallback) in str(caught.value) and caught.value.exit_code == ExitCode.FIX




@pytest.fixture
def shared_dir():
    """A directory an unprivileged user can traverse (pytest's tmp_path is root-only)."""
    path = Path(tempfile.mkdtemp(prefix="i14-store-"))
    path.chmod(0o755)
    yield path
    subprocess.run(["rm", "-rf", str(path)], check=False)


def test_read_only_directory_saves_to_the_fallback_and_says_where(shared_dir):
    locked = shared_dir / "locked"
    locked.mkdir(mode=0o755)
    env = locked / ".env"
    env.write_text(f"{KEY}=AQXold\n")
    env.chmod(0o666)  # the file is writable, its directory is not: no temp file, no rename
    home = shared_dir / "home"
    home.mkdir()
    os.chown(home, NOBODY, NOBODY)
    code = f"""
import json, sys
from checks.credentials.store import SavedElsewhere, save_values
try:
    open({str(locked / 'probe')!r}, 'w')
    print(json.dumps({{"privileged": True}})); sys.exit(0)
except PermissionError:
    pass
try:
    save_values({str(env)!r}, {{{KEY!r}: {NEW!r}}}, backup_keys=({KEY!r},))
except SavedElsewhere as exc:
    print(json.dumps({{"message": str(exc), "fallback": str(exc.fallback), "exit": int(exc.exit_code)}}))
"""
    proc = run_as_nobody(code, HOME=str(home))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    if result.get("privileged"):
        pytest.skip("the unprivileged user can still write the locked directory (capabilities kept)")
    fallback = Path(result["fallback"])
    assert fallback.is_relative_to(home / ".config" / "linkedin-ads-token-checks")
    assert read_dotenv(fallback)[KEY] == NEW and stat.S_IMODE(fallback.stat().st_mode) == 0o600
    assert result["fallback"] in result["message"] and "Permission denied" in result["message"]
    assert result["exit"] == ExitCode.FIX
    assert read_dotenv(env)[KEY] == "AQXold" and sorted(p.name for p in locked.iterdir()) == [".env"]


def test_destination_check_catches_an_unwritable_directory(shared_dir):
    locked = shared_dir / "locked"
    locked.mkdir(mode=0o755)
    code = f"""
from checks.credentials.store import check_destination
from checks.errors import UsageError
try:
    check_destination({str(locked / '.env')!r})
except UsageError as exc:
    print(exc)
"""
    proc = run_as_nobody(code)
    assert proc.returncode == 0, proc.stderr
    assert "permission denied" in proc.stdout


def test_login_session_goes_through_the_atomic_private_writer(tmp_path):
    from checks.screens.login import save_private

    target = tmp_path / "new" / "state.json"
    save_private(target, '{"cookies": []}')
    assert json.loads(target.read_text()) == {"cookies": []} and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["state.json"]


def test_ctrl_c_during_a_save_comes_after_it(tmp_path, monkeypatch):
    """The SIGINT handler main_entry installs asks the command's guard first (the same guard the
    writer was given): mid-save, the save completes (backup and file), then KeyboardInterrupt is
    raised - never a backup without the new token."""
    import checks.credentials.store as store
    from checks.interrupts import InterruptGuard

    env = tmp_path / ".env"
    env.write_text(f"{KEY}=AQXold\n")
    real_update = store.update_text
    guard = InterruptGuard()

    def interrupted_update(text, updates):
        assert guard.defer(), "a save in progress defers the interrupt"
        return real_update(text, updates)

    monkeypatch.setattr(store, "update_text", interrupted_update)
    with pytest.raises(KeyboardInterrupt):
        save_values(env, {KEY: NEW}, backup_keys=(KEY,), guard=guard)
    assert read_dotenv(env)[KEY] == NEW and len(list((tmp_path / "config").rglob(".env.*.bak-*"))) == 1
    assert not guard.defer(), "outside a save, Ctrl-C is raised at once"
