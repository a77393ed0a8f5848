"""Where credentials come from, and what their shape says before any request."""

import os

import pytest

from checks.credentials.inputs import Source, load_inputs
from checks.credentials.secrets import Redactor, mask
from checks.credentials.shape import check_shape
from checks.credentials.store import save_values
from checks.errors import UsageError


def test_environment_wins_over_the_dotenv_file_and_sources_are_named(tmp_path):
    (tmp_path / ".env").write_text("LINKEDIN_CLIENT_ID=fromfile123456\nLINKEDIN_CLIENT_SECRET=filesecret123456\n")
    inputs = load_inputs(environ={"LINKEDIN_CLIENT_ID": "fromenv1234567"}, cwd=tmp_path, prompt=False)
    assert inputs.values["LINKEDIN_CLIENT_ID"].value == "fromenv1234567"
    assert inputs.values["LINKEDIN_CLIENT_ID"].source is Source.ENVIRONMENT
    assert inputs.values["LINKEDIN_CLIENT_SECRET"].source is Source.FILE
    assert inputs.values["LINKEDIN_CLIENT_SECRET"].path == tmp_path / ".env"
    assert inputs.values["LINKEDIN_REFRESH_TOKEN"].source is Source.MISSING


def test_prompt_fills_only_missing_values_and_hides_secrets(tmp_path):
    asked = []

    def ask(label, hidden):
        asked.append((label, hidden))
        return "typed-value-123456"

    inputs = load_inputs(environ={"LINKEDIN_CLIENT_ID": "86example1234a"}, cwd=tmp_path, prompt=True, ask=ask)
    assert asked == [("Primary Client Secret", True), ("Refresh token", True)]
    assert inputs.values["LINKEDIN_REFRESH_TOKEN"].source is Source.PROMPT


def test_no_prompt_without_a_terminal(tmp_path, monkeypatch):
    with open(os.devnull) as no_terminal:
        monkeypatch.setattr("sys.stdin", no_terminal)
        inputs = load_inputs(environ={}, cwd=tmp_path, ask=lambda *a: pytest.fail("must not ask"))
    assert inputs.get("LINKEDIN_CLIENT_ID") is None


def test_endpoints_from_env_file_and_bad_version(tmp_path):
    env = tmp_path / "x.env"
    # A file may name the endpoints when it also holds the secrets (issue 21: its owner chose both).
    secrets = "LINKEDIN_CLIENT_ID=86example1234a\nLINKEDIN_CLIENT_SECRET=s3cr3t\nLINKEDIN_REFRESH_TOKEN=AQXt\n"
    env.write_text(secrets + "LINKEDIN_API_URL=http://127.0.0.1:9/rest/\nLINKEDIN_API_VERSION=202611\n")
    inputs = load_inputs(env, environ={}, prompt=False)
    assert inputs.endpoints.api_url == "http://127.0.0.1:9/rest" and inputs.endpoints.api_version == "202611"
    with pytest.raises(UsageError, match="YYYYMM"):
        load_inputs(environ={"LINKEDIN_API_VERSION": "v2"}, cwd=tmp_path, prompt=False)
    with pytest.raises(UsageError, match="no such file"):
        load_inputs(tmp_path / "absent.env", environ={}, prompt=False)


@pytest.mark.parametrize("raw,issue", [
    ("  AQX" + "a" * 300 + "\n", "spaces or line breaks around it"),
    ("'AQX" + "a" * 300 + "'", "wrapped in quotes"),
    ("Bearer AQX" + "a" * 300, "starts with 'Bearer '"),
    ("AQX" + "a" * 150 + "\n" + "b" * 150, "copied across lines"),
    ("AQXshort", "looks like a Client ID"),
    ("AQX" + "a" * 40, "looks truncated"),
    ("WPL_AP1.abcdefghijklmnop.qrstuv==", "looks like a client secret"),
])
def test_refresh_token_shape_problems_are_named(raw, issue):
    report = check_shape("LINKEDIN_REFRESH_TOKEN", raw)
    assert any(issue in i for i in report.issues), report.issues


def test_cleaned_value_drops_the_wrapping():
    assert check_shape("LINKEDIN_REFRESH_TOKEN", '"Bearer AQX' + "a" * 200 + '"').cleaned == "AQX" + "a" * 200


def test_clean_values_have_no_issues():
    assert check_shape("LINKEDIN_CLIENT_ID", "86example1234a").issues == []
    assert check_shape("LINKEDIN_CLIENT_SECRET", "WPL_AP1.Ex4mpleS3cret.ue+/==").issues == []
    assert check_shape("LINKEDIN_REFRESH_TOKEN", "AQX" + "a1-_" * 100).issues == []


def test_mask_and_redactor():
    assert mask("AQXabcdefghijk9Q") == "AQX…k9Q"
    assert mask("short") == "…"
    redactor = Redactor()
    redactor.add("WPL_AP1.secret+/==value")
    text = "body: client_secret=WPL_AP1.secret%2B%2F%3D%3Dvalue and raw WPL_AP1.secret+/==value"
    assert "secret" not in redactor.redact(text).replace("client_secret", "")


def test_save_values_creates_private_file_and_quotes_odd_values(tmp_path):
    path = tmp_path / "new.env"
    assert save_values(path, {"A": "plain", "B": 'has space "and quote"'}) is None
    assert path.read_text() == "A=plain\nB='has space \"and quote\"'\n"
    assert path.stat().st_mode & 0o777 == 0o600
    from checks.credentials.inputs import read_dotenv

    assert read_dotenv(path)["B"] == 'has space "and quote"'
