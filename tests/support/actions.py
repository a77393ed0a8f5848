"""Run a composite action's `run:` steps the way a GitHub runner does, without GitHub.

Per step: a fresh GITHUB_OUTPUT, GITHUB_ENV and GITHUB_PATH file, read back after the step (outputs
become `steps.<id>.outputs.*`, env lines reach the later steps); one GITHUB_STEP_SUMMARY per step,
appended to the job's. `${{ inputs.* }}`, `${{ github.action_path }}`, `${{ runner.temp }}` and
`${{ steps.<id>.outputs.* }}` are substituted; any other expression fails the run, so the action
cannot silently depend on something this harness does not provide. Workflow commands
(`::error ...::`, `::warning ...::`, `::add-mask::`) are collected from stdout and stderr.
https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
COMMAND = re.compile(r"^::([a-z-]+)(?: ([^:]*))?::(.*)$")


def unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


@dataclass
class Annotation:
    kind: str  # error, warning, notice
    title: str
    message: str


@dataclass
class StepRun:
    id: str | None
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]


@dataclass
class ActionRun:
    steps: list[StepRun] = field(default_factory=list)
    summary: str = ""
    env: dict[str, str] = field(default_factory=dict)  # from GITHUB_ENV, for the steps that follow
    path: list[str] = field(default_factory=list)  # from GITHUB_PATH

    @property
    def code(self) -> int:
        """The failing step's exit status, or 0: what decides whether the action failed."""
        return next((s.code for s in self.steps if s.code), 0)

    @property
    def log(self) -> str:
        return "".join(s.stdout + s.stderr for s in self.steps)

    def commands(self) -> list[tuple[str, str, str]]:
        found = []
        for line in self.log.splitlines():
            match = COMMAND.match(line)
            if match:
                found.append(match.groups(default=""))
        return found

    def annotations(self, kind: str) -> list[Annotation]:
        out = []
        for name, props, data in self.commands():
            if name == kind:
                title = next((unescape(p.split("=", 1)[1]) for p in props.split(",") if p.startswith("title=")), "")
                out.append(Annotation(kind, title, unescape(data)))
        return out

    def masks(self) -> list[str]:
        return [unescape(data) for name, _, data in self.commands() if name == "add-mask"]


def read_outputs(path: Path) -> dict[str, str]:
    """`name=value` lines and `name<<DELIMITER` blocks, as the runner reads GITHUB_OUTPUT and GITHUB_ENV."""
    values: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            values[name] = "\n".join(lines[i + 1:end])
            i = end + 1
            continue
        if line:
            name, value = line.split("=", 1)
            values[name] = value
        i += 1
    return values


class CompositeAction:
    def __init__(self, action_dir: Path):
        self.dir = action_dir
        self.spec = yaml.safe_load((action_dir / "action.yml").read_text(encoding="utf-8"))
        assert self.spec["runs"]["using"] == "composite"

    def defaults(self) -> dict[str, str]:
        return {name: str(spec.get("default", "")) for name, spec in self.spec.get("inputs", {}).items()}

    def outputs(self, run: ActionRun) -> dict[str, str]:
        """The action's outputs, from their `value:` expressions."""
        context = self._context({}, run, Path("."))
        return {name: self._substitute(spec["value"], context) for name, spec in self.spec.get("outputs", {}).items()}

    def run(self, inputs: dict[str, str], *, workdir: Path, env: dict[str, str], only: set[str] | None = None,
            previous: ActionRun | None = None) -> ActionRun:
        """Run the steps (those with an id in `only`, when given), in `workdir`, after `previous`."""
        unknown = set(inputs) - set(self.defaults())
        assert not unknown, f"the action has no inputs {unknown}"
        values = {**self.defaults(), **inputs}
        run = ActionRun(env=dict(previous.env) if previous else {}, path=list(previous.path) if previous else [])
        run.steps = list(previous.steps) if previous else []
        temp = workdir / "runner-temp"
        temp.mkdir(exist_ok=True)
        for index, step in enumerate(self.spec["runs"]["steps"]):
            if only is not None and step.get("id") not in only:
                continue
            assert "run" in step and step.get("shell") == "bash", "this harness runs bash `run:` steps only"
            assert "if" not in step, "step conditions are not modelled here"
            files = {name: workdir / f"{name.lower()}-{index}" for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH")}
            for path in files.values():
                path.write_text("")
            summary = workdir / f"summary-{index}.md"
            summary.write_text("")
            context = self._context(values, run, temp)
            step_env = {**env, **run.env, **{k: self._substitute(str(v), context) for k, v in (step.get("env") or {}).items()}}
            step_env.update({k: str(v) for k, v in files.items()})
            step_env.update(GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTION_PATH=str(self.dir), GITHUB_ACTIONS="true",
                            CI="true", RUNNER_TEMP=str(temp))
            if run.path:
                step_env["PATH"] = os.pathsep.join([*reversed(run.path), step_env.get("PATH", "")])
            script = workdir / f"step-{index}.sh"
            script.write_text(self._substitute(step["run"], context))
            # GitHub's `shell: bash`: bash --noprofile --norc -eo pipefail {0}
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workdir,
                                  env=step_env, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
            run.steps.append(StepRun(step.get("id"), proc.returncode, proc.stdout, proc.stderr,
                                     read_outputs(files["GITHUB_OUTPUT"])))
            run.env.update(read_outputs(files["GITHUB_ENV"]))
            run.path += [p for p in files["GITHUB_PATH"].read_text().splitlines() if p]
            run.summary += summary.read_text(encoding="utf-8")
            if proc.returncode:
                break  # later steps are skipped, as on a runner
        return run

    def _context(self, inputs: dict[str, str], run: ActionRun, temp: Path) -> dict[str, str]:
        context = {f"inputs.{k}": v for k, v in inputs.items()}
        context["github.action_path"] = str(self.dir)
        context["runner.temp"] = str(temp)
        for step in run.steps:
            if step.id:
                context.update({f"steps.{step.id}.outputs.{k}": v for k, v in step.outputs.items()})
        return context

    @staticmethod
    def _substitute(text: str, context: dict[str, str]) -> str:
        def one(match: re.Match) -> str:
            expr = match.group(1)
            if expr in context:
                return context[expr]
            if expr.startswith("steps.") and ".outputs." in expr:
                return ""  # an output a step did not set is empty
            raise AssertionError(f"unsupported expression in the action: ${{{{ {expr} }}}}")

        return EXPRESSION.sub(one, text)
