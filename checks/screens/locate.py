"""Turn element specs from steps.yaml into Playwright locators, and name look-alikes when one is missing."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROLE_SELECTOR_JS = """
(roles) => {
  const byRole = {
    button: 'button, [role=button], input[type=submit], input[type=button]',
    link: 'a[href], [role=link]',
    tab: '[role=tab]',
    checkbox: 'input[type=checkbox], [role=checkbox]',
    heading: 'h1, h2, h3, h4, h5, h6, [role=heading]',
    textbox: 'input[type=text], input[type=password], input:not([type]), textarea, [role=textbox]',
    region: 'section[aria-label], section[aria-labelledby], [role=region]',
  };
  const nameOf = (el) => {
    // Never read a form control's value: it may hold a secret.
    if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
    if (el.getAttribute('aria-labelledby')) {
      const ref = document.getElementById(el.getAttribute('aria-labelledby'));
      if (ref) return ref.innerText;
    }
    if (el.id) { const l = document.querySelector(`label[for="${el.id}"]`); if (l) return l.innerText; }
    if (el.matches('input, textarea')) return el.getAttribute('placeholder') || '';
    return el.innerText || '';
  };
  const out = [];
  for (const role of roles) {
    for (const el of document.querySelectorAll(byRole[role] || `[role=${role}]`)) {
      const name = nameOf(el).replace(/\\s+/g, ' ').trim();
      if (name && name.length < 120) out.push([role, name]);
    }
  }
  return out;
}
"""
COMMON_ROLES = ["button", "link", "tab", "checkbox", "heading", "textbox"]


def _name(value: str | None):
    if isinstance(value, str) and len(value) > 2 and value.startswith("/") and value.endswith("/"):
        return re.compile(value[1:-1])
    return value


def all_matches(root, spec: dict):
    """Every element matching a spec (masks cover all of them), within `root`."""
    exact = spec.get("exact", True)
    if "text" in spec:
        text = _name(spec["text"])
        return root.get_by_text(text, exact=exact if isinstance(text, str) else None)
    roles = spec["role"] if isinstance(spec["role"], list) else [spec["role"]]
    name = _name(spec.get("name"))
    kwargs = {"name": name} if name is not None else {}
    if isinstance(name, str):
        kwargs["exact"] = exact
    locator = None
    for role in roles:
        one = root.get_by_role(role, **kwargs)
        locator = one if locator is None else locator.or_(one)
    return locator


def locate(page: Page, spec: dict):
    """The locator for a spec; with `near`, the match inside the smallest block that has that text."""
    if spec.get("near"):
        inner = {k: v for k, v in spec.items() if k != "near"}
        container = page.locator("*").filter(has_text=spec["near"]).filter(has=all_matches(page, inner)).last
        return all_matches(container, inner).first
    return all_matches(page, spec).first


def label_spec(label: str) -> dict:
    """A bare label from `labels:` matches a whole visible text, allowing a required-field `*`
    or a trailing colon as LinkedIn writes them ("App name*", "Select scopes:")."""
    if label.startswith("/"):
        return {"text": label}
    return {"text": "/^\\s*" + re.escape(label) + "[\\s*:]*$/"}


def find_label(page: Page, label: str, timeout: float = 0) -> bool:
    candidates = [all_matches(page, label_spec(label))]
    name = _name(label)
    if isinstance(name, str):
        name = re.compile("^\\s*" + re.escape(label) + "[\\s*:]*$")
    for role in COMMON_ROLES:
        candidates.append(page.get_by_role(role, name=name))  # type: ignore[arg-type]  # ARIA role names as str
    return any(c.count() > 0 for c in candidates)


def look_alikes(page: Page, spec: dict, limit: int = 3) -> list[str]:
    """Elements whose name resembles the one expected: a renamed button gets named, not just missed."""
    wanted = str(spec.get("name") or spec.get("text") or "").strip("/")
    roles = COMMON_ROLES
    if "role" in spec:
        own = spec["role"] if isinstance(spec["role"], list) else [spec["role"]]
        roles = own + [r for r in COMMON_ROLES if r not in own]
    try:
        found = page.evaluate(ROLE_SELECTOR_JS, roles)
    except Exception:
        return []
    labels = {f'{role} "{name}"': name for role, name in found}
    scored = sorted(
        ((difflib.SequenceMatcher(None, wanted.lower(), name.lower()).ratio(), label) for label, name in labels.items()),
        reverse=True,
    )
    close = [label for score, label in scored if score >= 0.5][:limit]
    if close or "role" not in spec:
        return close
    # Nothing with a similar name: list what the page offers in the same role (a renamed button).
    own = spec["role"] if isinstance(spec["role"], list) else [spec["role"]]
    return [label for label in labels if label.split(" ", 1)[0] in own][:limit + 2]
