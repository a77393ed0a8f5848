"""Load and validate steps.yaml into plain objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from checks.errors import UsageError

STEPS_FILE = Path(__file__).parent / "steps.yaml"
_SPEC_KEYS = {"role", "name", "exact", "text", "near", "strict"}


class StepsError(UsageError):
    pass


@dataclass
class Action:
    kind: str  # click | check | fill
    spec: dict
    value: str | None = None
    changes_account: bool = False


@dataclass
class Screen:
    id: str
    guide_step: int
    title: str
    site: str
    path: str
    login: bool
    target: dict
    image: str
    labels: list = field(default_factory=list)
    highlight: list = field(default_factory=list)
    secrets: list = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    model_state: str | None = None
    clip: dict = field(default_factory=dict)
    frame: dict | None = None  # what the shot is framed around (default: the target)
    expect: dict = field(default_factory=dict)  # {checked: [names], unchecked: [names]}

    @property
    def changes_account(self) -> bool:
        return any(a.changes_account for a in self.actions)


@dataclass
class Steps:
    screens: list[Screen]
    viewport: dict
    placeholders: dict
    mask_color: str
    scale: int = 1  # device scale factor of captures

    def get(self, screen_id: str) -> Screen:
        return next(s for s in self.screens if s.id == screen_id)


def _check_spec(spec, where: str) -> dict:
    if not isinstance(spec, dict) or not spec.keys() <= _SPEC_KEYS or not ({"role", "text"} & spec.keys()):
        raise StepsError(f"{where}: an element is {{role, name}} or {{text}} (got {spec!r})")
    return spec


def load_steps(path: Path | None = None) -> Steps:
    data = yaml.safe_load(Path(path or STEPS_FILE).read_text(encoding="utf-8"))
    defaults = data.get("defaults", {})
    screens: list[Screen] = []
    seen: set[str] = set()
    for raw in data["screens"]:
        sid = raw["id"]
        if sid in seen:
            raise StepsError(f"duplicate screen id {sid}")
        seen.add(sid)
        actions = []
        for i, act in enumerate(raw.get("actions", [])):
            kind = next((k for k in ("click", "check", "fill") if k in act), None)
            if not kind:
                raise StepsError(f"{sid}: action {i} is none of click, check, fill")
            actions.append(Action(kind, _check_spec(act[kind], f"{sid} action {i}"), act.get("value"),
                                  bool(act.get("changes_account"))))
        target = _check_spec(raw["target"], f"{sid} target")
        screens.append(
            Screen(
                id=sid,
                guide_step=int(raw["guide_step"]),
                title=raw.get("title", sid),
                site=raw.get("site", defaults.get("site", "www")),
                path=raw["path"],
                login=bool(raw.get("login", defaults.get("login", True))),
                target=target,
                image=raw["image"],
                labels=list(raw.get("labels", [])),
                highlight=[_check_spec(h, f"{sid} highlight") for h in raw.get("highlight", [target])],
                secrets=[_check_spec(s, f"{sid} secrets") for s in raw.get("secrets", [])],
                actions=actions,
                model_state=raw.get("model_state"),
                clip=dict(raw.get("clip", {})),
                frame=_check_spec(raw["frame"], f"{sid} frame") if raw.get("frame") else None,
                expect={k: list(raw.get("expect", {}).get(k, [])) for k in ("checked", "unchecked")},
            )
        )
    return Steps(screens, dict(data.get("viewport", {"width": 1280, "height": 900})),
                 dict(data.get("placeholders", {})), defaults.get("mask_color", "#5b6570"),
                 int(data.get("scale", 1)))


def describe(spec: dict) -> str:
    """How a person would name the element: button "Create app"."""
    if "text" in spec:
        return f'text "{spec["text"]}"'
    roles = spec["role"] if isinstance(spec["role"], list) else [spec["role"]]
    near = f' near "{spec["near"]}"' if spec.get("near") else ""
    return f'{"/".join(roles)} "{spec.get("name", "")}"{near}'
