"""Load steps.yaml, validated against one schema, into typed objects.

Every key is declared here (pydantic, extra="forbid"): a typo such as `higlight:` or a missing
`path:` fails at load with the file, the screen id and the key, instead of quietly checking less.
Element specs are normalised once, into `ElementSpec`, so no other module re-reads raw YAML.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from checks.errors import UsageError
from checks.screens.example import load_example

STEPS_FILE = Path(__file__).parent / "steps.yaml"
SUPPORTED_VERSIONS = (1,)
ROLES = ("button", "link", "tab", "menuitem", "checkbox", "radio", "heading", "textbox", "region",
         # containers a screenshot is framed around (`frame:`)
         "dialog", "main", "complementary", "group", "article", "form", "list", "listitem")


class StepsError(UsageError):
    pass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _pattern(value: str | None) -> re.Pattern | None:
    """A value written /like this/ is a regular expression."""
    if isinstance(value, str) and len(value) > 2 and value.startswith("/") and value.endswith("/"):
        return re.compile(value[1:-1])
    return None


class ElementSpec(_Strict):
    """What the reader looks for: a kind of thing (role) with a label (name), or a bare text.

    `role` may be one role or a list; by default each role stands for its family (a tab may be
    marked up as a link); `strict: true` matches the written roles only. `near: TEXT` picks the
    match inside the smallest block that also holds TEXT.
    """

    role: tuple[Literal[ROLES], ...] = ()  # type: ignore[valid-type]
    name: str | None = None
    text: str | None = None
    exact: bool = True
    near: str | None = None
    strict: bool = False

    @field_validator("role", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else tuple(value) if isinstance(value, list) else value

    @model_validator(mode="after")
    def _role_or_text(self) -> ElementSpec:
        if bool(self.role) == bool(self.text):
            raise ValueError("an element is {role, name} or {text}")
        for value in (self.name, self.text):
            if value is not None:
                try:
                    _pattern(value)
                except re.error as exc:
                    raise ValueError(f"{value!r} is not a valid regular expression: {exc}") from None
        return self

    @property
    def name_pattern(self) -> re.Pattern | None:
        return _pattern(self.name)

    @property
    def text_pattern(self) -> re.Pattern | None:
        return _pattern(self.text)

    @property
    def wanted(self) -> str:
        """The label as the guide writes it (without regex slashes): for look-alike scoring."""
        return str(self.name or self.text or "").strip("/")

    def get(self, key: str, default: Any = None) -> Any:
        """Dict-style read, for callers written when specs were plain dicts."""
        value = getattr(self, key, default)
        if key == "role":
            return list(value) if len(value) > 1 else (value[0] if value else default)
        return default if value is None else value

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __getitem__(self, key: str) -> Any:
        if key not in self:
            raise KeyError(key)
        return self.get(key)


class Action(_Strict):
    """One thing the reader does before the screen is shown: click, check or fill an element."""

    click: ElementSpec | None = None
    check: ElementSpec | None = None
    fill: ElementSpec | None = None
    value: str | None = None
    changes_account: bool = False

    @model_validator(mode="after")
    def _exactly_one(self) -> Action:
        if sum(x is not None for x in (self.click, self.check, self.fill)) != 1:
            raise ValueError("an action is exactly one of click, check, fill")
        return self

    @property
    def kind(self) -> str:
        return "click" if self.click else "check" if self.check else "fill"

    @property
    def spec(self) -> ElementSpec:
        return self.click or self.check or self.fill  # type: ignore[return-value]


class Expect(_Strict):
    """Checkbox states asserted in the DOM before a shot (accessible names)."""

    checked: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()

    @field_validator("checked", "unchecked", mode="before")
    @classmethod
    def _listed(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value


class Clip(_Strict):
    height: int | None = None
    width: int | None = None
    focus: Literal["top", "target"] | None = None  # None: capture frames around the target
    margin: int | None = None
    snap: bool = True  # move edges outward until none cuts through text or a control (edges.py)

    def get(self, key: str, default: Any = None) -> Any:
        value = getattr(self, key, None)
        return default if value is None else value


class Screen(_Strict):
    id: str
    guide_step: int
    title: str = ""
    site: Literal["www", "developer"] | None = None
    path: str
    login: bool | None = None
    target: ElementSpec
    image: str
    labels: tuple[str, ...] = ()
    highlight: tuple[ElementSpec, ...] = ()  # absent: the target
    secrets: tuple[ElementSpec, ...] = ()
    actions: tuple[Action, ...] = ()
    model_state: str | None = None
    clip: Clip = Field(default_factory=Clip)
    expect: Expect = Field(default_factory=Expect)
    frame: ElementSpec | None = None
    frame_also: tuple[ElementSpec, ...] = ()  # more the picture must hold, not ringed (a page heading)

    @field_validator("labels", "highlight", "secrets", "actions", "frame_also", mode="before")
    @classmethod
    def _listed(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    @property
    def changes_account(self) -> bool:
        return any(a.changes_account for a in self.actions)


class Defaults(_Strict):
    site: Literal["www", "developer"] = "www"
    login: bool = True
    mask_color: str = "#5b6570"


class Viewport(_Strict):
    width: int = 1280
    height: int = 900

    def __getitem__(self, key: str) -> int:  # callers index it like the dict it used to be
        return getattr(self, key)


class Steps(_Strict):
    version: int
    viewport: Viewport = Field(default_factory=Viewport)
    scale: int = 1
    defaults: Defaults = Field(default_factory=Defaults)
    placeholders: dict[str, str] = Field(default_factory=dict)
    consent_path: str | None = None  # only a YAML anchor the screens share
    screens: tuple[Screen, ...]

    @field_validator("screens", mode="before")
    @classmethod
    def _listed(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    @field_validator("version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value not in SUPPORTED_VERSIONS:
            raise ValueError(f"version {value} is unknown; this code reads version {', '.join(map(str, SUPPORTED_VERSIONS))}")
        return value

    @model_validator(mode="after")
    def _resolve(self) -> Steps:
        seen: set[str] = set()
        resolved = []
        for screen in self.screens:
            if screen.id in seen:
                raise ValueError(f"duplicate screen id {screen.id}")
            seen.add(screen.id)
            resolved.append(screen.model_copy(update={
                "title": screen.title or screen.id,
                "site": screen.site or self.defaults.site,
                "login": self.defaults.login if screen.login is None else screen.login,
                "highlight": screen.highlight if "highlight" in screen.model_fields_set else (screen.target,),
            }))
        object.__setattr__(self, "screens", tuple(resolved))
        return self

    @property
    def mask_color(self) -> str:
        return self.defaults.mask_color

    def get(self, screen_id: str) -> Screen:
        return next(s for s in self.screens if s.id == screen_id)


def _where(raw: Any, loc: tuple) -> str:
    """`screen "app-name": key "higlight"` from pydantic's location ('screens', 1, 'higlight')."""
    parts = []
    rest = list(loc)
    if len(rest) >= 2 and rest[0] == "screens" and isinstance(rest[1], int):
        screens = raw.get("screens") if isinstance(raw, dict) else None
        item = screens[rest[1]] if isinstance(screens, list) and rest[1] < len(screens) else None
        sid = item.get("id") if isinstance(item, dict) else None
        parts.append(f'screen "{sid}"' if sid else f"screen #{rest[1] + 1}")
        rest = rest[2:]
    # Drop pydantic's internal union/function tags; keep keys and list positions.
    keys = [str(p) for p in rest if not (isinstance(p, str) and ("[" in p or p.startswith("function-")))]
    if keys:
        parts.append(f'key "{".".join(keys)}"')
    return ", ".join(parts) or "top level"


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key (a typo?)"
    if kind == "missing":
        return "missing"
    if kind == "literal_error":
        return error["msg"].replace("Input should be", "must be")
    return error["msg"].removeprefix("Value error, ")


def load_steps(path: Path | None = None) -> Steps:
    path = Path(path or STEPS_FILE)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise StepsError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise StepsError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(raw, dict):
        raise StepsError(f"{path}: expected a mapping with `version` and `screens`")
    # The app id, Client ID and ad account the screens use are the one set of example values.
    raw.setdefault("placeholders", load_example().placeholders())
    try:
        return Steps.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        shown = [f"{_where(raw, e['loc'])}: {_message(e)}" for e in errors[:3]]
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise StepsError(f"{path.name}: " + "; ".join(shown) + more) from None


def describe(spec: ElementSpec) -> str:
    """How a person would name the element: button "Create app"."""
    if spec.text is not None:
        return f'text "{spec.text}"'
    near = f' near "{spec.near}"' if spec.near else ""
    return f'{"/".join(spec.role)} "{spec.name or ""}"{near}'
