"""The macOS / Linux commands on the site work as shown, in a fresh virtual environment on Linux:
the install blocks run line by line in bash (the project's GitHub address is redirected by git to a
copy of this checkout, so the very command on the page runs offline), then every `python -m
checks.…` module the pages name answers `--help` in the activated environment, and the verifier without credentials says what is
missing. Nothing reaches LinkedIn: both endpoints point at a closed local port. pip's own cache is
used, so only the first run downloads the dependencies."""

import os
import shutil
import subprocess

import pytest

from tests.support import ROOT
from tests.support.docs_commands import all_tab_sets

pytestmark = pytest.mark.slow

REPO_URL = "https://github.com/linkedin-ads-token-guide/linkedin-ads-token-guide"
CLOSED_PORT = "http://127.0.0.1:9"


def checkout_copy(dest):
    """This working tree (tracked and new files, as `git status` sees them) as a one-commit repository."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    for cmd in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "copy"]):
        subprocess.run([*git, *cmd], cwd=dest, check=True)


def reader_env(repo_copy):
    """A reader's shell: no virtual environment active, no PYTHONPATH, LinkedIn unreachable, and git
    fetching the project's address from the local copy."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PIP_REQUIRE_VIRTUALENV") and not k.startswith("LINKEDIN_")}
    venv_bin = os.environ.get("VIRTUAL_ENV")
    if venv_bin:  # the test's own environment is not the reader's: take it off PATH
        env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if not p.startswith(venv_bin))
    env.update({
        "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.file://{repo_copy}.insteadOf", "GIT_CONFIG_VALUE_0": REPO_URL,
        "LINKEDIN_OAUTH_URL": CLOSED_PORT, "LINKEDIN_API_URL": CLOSED_PORT, "NO_COLOR": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    })
    return env


def bash(lines, cwd, env, timeout=600):
    script = "set -e\n" + "\n".join(lines) + "\n"
    return subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def test_the_macos_linux_commands_work_as_shown_in_a_fresh_venv(tmp_path):
    if not shutil.which("python3") or not shutil.which("git"):
        pytest.skip("needs python3 and git on PATH, as the page says")
    repo = tmp_path / "repo"
    repo.mkdir()
    checkout_copy(repo)
    env = reader_env(repo)
    sets = [s.tabs["macOS / Linux"] for s in all_tab_sets()]
    installs = {tuple(lines) for lines in sets if any("pip install" in line for line in lines)}
    assert len(installs) >= 2, "the pages show the no-clone install and the clone install"
    modules = sorted({line.split()[2] for lines in sets for line in lines if line.startswith("python -m checks.")})
    assert modules == ["checks.authorize", "checks.verify"], modules

    for n, install in enumerate(sorted(installs)):
        home = tmp_path / f"reader-{n}"
        home.mkdir()
        # The install as shown, then in the same shell (the environment active) each module's --help,
        # and the verifier with nothing configured.
        after = [line for line in install if line.startswith("cd ")][:1]  # the clone install works inside the clone
        proc = bash([*install, *(f"python -m {m} --help > /dev/null" for m in modules)], home, env)
        assert proc.returncode == 0, f"{install} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
        workdir = home / after[0][3:] if after else home
        assert (workdir / ".venv/bin/python").exists(), "the commands made the .venv they activate"
        run = bash(["source .venv/bin/activate", "python -m checks.verify"], workdir, env, timeout=120)
        assert run.returncode == 1, run.stdout + run.stderr
        assert "are not set" in run.stdout and "Traceback" not in run.stderr
        version = bash(["source .venv/bin/activate", "python -m checks.verify --version"], workdir, env, timeout=60)
        assert version.returncode == 0 and version.stdout.strip(), version.stderr
        # The package came from the pages' install, not from this checkout.
        where = bash([f". {workdir}/.venv/bin/activate", "python3 -c 'import checks; print(checks.__file__)'"], tmp_path, env, timeout=60)
        assert str(ROOT) not in where.stdout and "site-packages" in where.stdout, where.stdout + where.stderr
