"""Run one of the workflows' github-script files (.github/scripts/*.js) under node against a fake
`github` client, as actions/github-script would, and return the issues it left behind."""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

# `script` is the module under test; `run` one entry of the runs given on the command line.
_HARNESS = textwrap.dedent("""
    const script = require(process.argv[2]);
    const issues = [];
    const github = { rest: { issues: {
      listForRepo: async ({ labels, state }) => ({ data: issues.filter((i) => i.state === state && i.labels.includes(labels)) }),
      create: async ({ title, body, labels }) => { const i = { number: issues.length + 1, title, body, labels, state: "open", comments: [] }; issues.push(i); return { data: i }; },
      update: async ({ issue_number, ...rest }) => { Object.assign(issues[issue_number - 1], rest); },
      createComment: async ({ issue_number, body }) => { issues[issue_number - 1].comments.push(body); },
    } } };
    const context = { serverUrl: "https://github.com", repo: { owner: "o", repo: "r" }, runId: 7 };
    (async () => {
      for (const run of JSON.parse(process.argv[3])) await CALL;
      console.log(JSON.stringify(issues));
    })().catch((e) => { console.error(e.message); process.exit(2); });
""")


def run_script(tmp_path: Path, script: Path, runs: list, call: str) -> subprocess.CompletedProcess:
    """`call` is the JS expression that calls `script` for one `run`, e.g.
    `script({ github, context, outcome: run[0], report: run[1] })`."""
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed")
    path = tmp_path / "harness.js"
    path.write_text(_HARNESS.replace("CALL", call))
    return subprocess.run([node, str(path), str(script), json.dumps(list(runs))], capture_output=True, text=True)


def issues_after(tmp_path: Path, script: Path, runs: list, call: str) -> list[dict]:
    proc = run_script(tmp_path, script, runs, call)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
