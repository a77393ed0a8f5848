"""`--from-config <(meltano config print tap-linkedin-ads)`: a config that only ever exists in a pipe is
read once, recognised and checked (the page "Connect your pipeline" recommends it for Meltano)."""

import json
import shlex
import shutil
import subprocess
import sys

import pytest

from tests.support import ROOT
from tests.support.verify_cli import fragments, verify_env


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash for <(...)")
def test_a_config_from_process_substitution(server, tmp_path):
    c = server.credentials()
    printed = tmp_path / "printed.json"  # what `meltano config print` would write on stdout
    printed.write_text(json.dumps({"client_id": c["LINKEDIN_CLIENT_ID"], "client_secret": c["LINKEDIN_CLIENT_SECRET"],
                                   "refresh_token": c["LINKEDIN_REFRESH_TOKEN"], "accounts": "516413367",
                                   "start_date": "2026-01-01T00:00:00Z", "user_agent": "tap-linkedin-ads"}))
    command = f"{shlex.quote(sys.executable)} -m checks.verify --from-config <(cat {shlex.quote(str(printed))})"
    proc = subprocess.run(["bash", "-c", command], env=verify_env(server, credentials=False), capture_output=True,
                          text=True, cwd=ROOT, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("Read /dev/fd/") and "Singer/Meltano tap-linkedin-ads config.json" in proc.stdout.splitlines()[0]
    assert "Reporting works on 1 ad account named in the config" in proc.stdout
    for piece in fragments(*c.values()):
        assert piece not in proc.stdout + proc.stderr
