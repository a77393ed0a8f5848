"""Several credential sets in one run: --env-file repeated or a directory of *.env files."""

import json

import pytest

from checks.credentials.service import expand_env_files, load_credential_sets, worst_exit_code
from checks.errors import ExitCode, UsageError
from tests.support.cli import run_verify
from tests.support.fake_linkedin import FakeLinkedInServer
from tests.support.published_schema import validate, validate_many

REVOKED_TOKEN = "AQX" + "v" * 400 + "REV"


@pytest.fixture
def server():
    with FakeLinkedInServer() as s:
        yield s


def write_set(path, server, refresh_token=None):
    values = {**server.credentials(), **({"LINKEDIN_REFRESH_TOKEN": refresh_token} if refresh_token else {})}
    path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    return path


def test_two_files_one_good_one_revoked_exit_1_and_both_named(server, tmp_path):
    good = write_set(tmp_path / "acme.env", server)
    bad = write_set(tmp_path / "globex.env", server, REVOKED_TOKEN)
    proc = run_verify(server, "--env-file", str(good), "--env-file", str(bad), credentials=False,
                      extra_secrets=(REVOKED_TOKEN,))
    assert proc.returncode == ExitCode.FIX
    assert f"== {good} ==" in proc.stdout and f"== {bad} ==" in proc.stdout
    summary = proc.stdout.split("Summary of 2 credential sets (exit 1):")[1].splitlines()
    assert any(str(good) in line and "works (exit 0)" in line for line in summary)
    assert any(str(bad) in line and "needs fixing (exit 1): invalid-refresh-token" in line for line in summary)


def test_json_is_one_document_per_set(server, tmp_path):
    good = write_set(tmp_path / "acme.env", server)
    bad = write_set(tmp_path / "globex.env", server, REVOKED_TOKEN)
    proc = run_verify(server, "--json", "--env-file", str(good), "--env-file", str(bad), credentials=False,
                      extra_secrets=(REVOKED_TOKEN,))
    docs = json.loads(proc.stdout)
    validate_many(docs)
    assert [(d["env_file"], d["exit_code"]) for d in docs] == [(str(good), 0), (str(bad), 1)]
    assert proc.returncode == ExitCode.FIX


def test_one_set_keeps_the_single_document(server, tmp_path):
    good = write_set(tmp_path / "acme.env", server)
    proc = run_verify(server, "--json", "--env-file", str(good), credentials=False)
    doc = json.loads(proc.stdout)
    assert isinstance(doc, dict) and "env_file" not in doc
    validate(doc)


def test_a_directory_is_every_env_file_in_it(server, tmp_path):
    clients = tmp_path / "clients"
    clients.mkdir()
    for name in ("b.env", "a.env", "c.env"):
        write_set(clients / name, server)
    (clients / "notes.txt").write_text("not a credential set")
    proc = run_verify(server, "--json", "--env-file", str(clients), credentials=False)
    docs = json.loads(proc.stdout)
    validate_many(docs)
    assert [d["env_file"] for d in docs] == [str(clients / n) for n in ("a.env", "b.env", "c.env")]
    assert proc.returncode == ExitCode.OK and server.fake.calls("token") == 3


def test_rotated_token_is_saved_into_the_file_it_came_from(server, tmp_path):
    server.fake.rotate_refresh_token = True
    good = write_set(tmp_path / "acme.env", server)
    bad = write_set(tmp_path / "globex.env", server, REVOKED_TOKEN)
    bad_before = bad.read_text()
    proc = run_verify(server, "--env-file", str(good), "--env-file", str(bad), credentials=False,
                      extra_secrets=(REVOKED_TOKEN,))
    assert proc.returncode == ExitCode.FIX  # the revoked set
    assert f"LINKEDIN_REFRESH_TOKEN={server.fake.refresh_token}\n" in good.read_text()
    assert bad.read_text() == bad_before


def test_environment_credentials_do_not_override_the_files(server, tmp_path):
    good = write_set(tmp_path / "acme.env", server)
    other = write_set(tmp_path / "other.env", server)
    proc = run_verify(server, "--json", "--env-file", str(good), "--env-file", str(other),
                      env_extra={"LINKEDIN_REFRESH_TOKEN": REVOKED_TOKEN}, extra_secrets=(REVOKED_TOKEN,))
    assert proc.returncode == ExitCode.OK, proc.stdout
    assert all(d["inputs"]["LINKEDIN_REFRESH_TOKEN"]["source"] == d["env_file"] for d in json.loads(proc.stdout))


def test_sets_run_concurrently(server, tmp_path):
    """Ten sets, each request held 0.3 s: the token exchanges of the sets overlap at LinkedIn."""
    server.fake.latency = 0.3
    for i in range(10):
        write_set(tmp_path / f"client{i:02d}.env", server)
    proc = run_verify(server, "--json", "--env-file", str(tmp_path), credentials=False)
    assert proc.returncode == ExitCode.OK and len(json.loads(proc.stdout)) == 10
    assert server.fake.calls("token") == 10 and server.fake.peak_in_flight >= 5


def test_empty_directory_and_missing_file_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="no \\*.env files"):
        expand_env_files([tmp_path])
    with pytest.raises(UsageError, match="no such file"):
        expand_env_files([tmp_path / "missing.env"])


def test_same_file_twice_is_one_set(tmp_path):
    path = tmp_path / "a.env"
    path.write_text("LINKEDIN_CLIENT_ID=x\n")
    assert expand_env_files([path, tmp_path]) == [path]


def test_load_sets_ignores_credentials_from_the_environment_but_keeps_endpoints(tmp_path):
    path = tmp_path / "a.env"
    path.write_text("LINKEDIN_CLIENT_ID=fromfile1234\n")
    [(label, inputs)] = load_credential_sets([path], environ={"LINKEDIN_CLIENT_ID": "fromenv", "LINKEDIN_API_VERSION": "202603"})
    assert label == str(path) and inputs.get("LINKEDIN_CLIENT_ID") == "fromfile1234"
    assert inputs.endpoints.api_version == "202603"


@pytest.mark.parametrize("codes,worst", [
    ([ExitCode.OK, ExitCode.OK], ExitCode.OK),
    ([ExitCode.OK, ExitCode.WARNING], ExitCode.WARNING),
    ([ExitCode.WARNING, ExitCode.TRANSIENT], ExitCode.TRANSIENT),
    ([ExitCode.TRANSIENT, ExitCode.FIX, ExitCode.WARNING], ExitCode.FIX),
])
def test_exit_code_is_the_worst_sets(codes, worst):
    assert worst_exit_code(codes) == worst


def test_runnable_fix_names_the_file_of_that_set(server, tmp_path):
    bad = write_set(tmp_path / "globex.env", server, REVOKED_TOKEN)
    good = write_set(tmp_path / "acme.env", server)
    proc = run_verify(server, "--json", "--env-file", str(good), "--env-file", str(bad), credentials=False,
                      extra_secrets=(REVOKED_TOKEN,))
    failed = next(d for d in json.loads(proc.stdout) if d["env_file"] == str(bad))
    refresh = next(c for c in failed["checks"] if c["id"] == "refresh")
    assert refresh["run"] == f"python -m checks.authorize --env-file {bad}"


def test_a_malformed_setting_in_one_file_names_that_file(tmp_path):
    good = tmp_path / "a.env"
    good.write_text("LINKEDIN_CLIENT_ID=x\n")
    bad = tmp_path / "b.env"
    bad.write_text("LINKEDIN_API_VERSION=2026-07\n")
    with pytest.raises(UsageError, match=f"^{bad}: LINKEDIN_API_VERSION"):
        load_credential_sets([good, bad], environ={})
