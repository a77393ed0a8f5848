"""checks.verify on a real terminal (a pty): hidden prompts, colour, and NO_COLOR."""

import os
import pty
import re
import select
import subprocess
import time

from tests.support.cli import argv_for, assert_no_secrets, command_env, secrets_of
from tests.support.clock import pinned_env
from tests.support.fake_linkedin import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, FakeLinkedInServer

PROMPT = re.compile(rb"(?:\(input hidden\)|Client ID): \Z")


def run_in_pty(env, answers=(), timeout=30):
    """Run verify with a pty as stdin/stdout; answer each prompt once, as it appears.

    An answer must go out only after its own prompt is on screen: getpass turns echo off (and
    restores it) with TCSAFLUSH, which discards input typed before its prompt. So answer when the
    output *ends with* a prompt not yet answered - not whenever the output, stripped of the
    prompt's trailing newline, ends with ":" (that raced the next prompt, and its answer was lost).
    """
    leader, follower = pty.openpty()
    proc = subprocess.Popen(argv_for("verify", "--retries", "0"), stdin=follower, stdout=follower,
                            stderr=follower, env=env, cwd=env["HOME"], close_fds=True)
    os.close(follower)
    output, pending, deadline = b"", list(answers), time.monotonic() + timeout
    answered_at = 0  # output before this offset holds prompts already answered
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            prompt = PROMPT.search(output)
            if pending and prompt and prompt.start() >= answered_at:
                os.write(leader, pending.pop(0).encode() + b"\n")
                answered_at = len(output)
        elif proc.poll() is not None:
            break
    proc.wait(timeout=5)
    os.close(leader)
    return proc.returncode, output.decode(errors="replace")


def base_env(server, tmp_path, **extra):
    return pinned_env(command_env({"HOME": str(tmp_path), "TERM": "xterm", **extra}, server=server, credentials=False))


def test_prompts_hide_what_is_typed_and_never_print_it(tmp_path):
    with FakeLinkedInServer() as server:
        env = base_env(server, tmp_path, LINKEDIN_CLIENT_ID=CLIENT_ID)
        code, out = run_in_pty(env, answers=[CLIENT_SECRET, REFRESH_TOKEN])
        assert_no_secrets(out, secrets_of(env, server))  # the typed ones are the fake's own
    assert code == 0, out
    assert "Primary Client Secret (input hidden):" in out and "Refresh token (input hidden):" in out
    assert CLIENT_SECRET not in out and REFRESH_TOKEN[:20] not in out, "typed secrets must not echo or print"
    assert "Refresh token AQX…k9Q (prompt)" in out.replace("\x1b[0m", "")
    assert "\x1b[32m✓\x1b[0m" in out, "colour on a terminal"


def test_no_color_turns_colour_off_on_a_terminal(tmp_path):
    with FakeLinkedInServer() as server:
        env = base_env(server, tmp_path, NO_COLOR="1", **server.credentials())
        code, out = run_in_pty(env)
        assert_no_secrets(out, secrets_of(env, server))
    assert code == 0 and "✓ Scopes" in out and "\x1b[" not in out
