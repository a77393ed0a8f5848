"""Find what a step names the way a reader does, and name look-alikes when it is missing.

A reader sees a label and a kind of thing, not markup: a tab may be a link, a label may end
in LinkedIn's ":" or "*", case and spacing vary. So by default a role stands for its family and a
name matches loosely; `strict: true` on a spec asks for the written role itself.
"""

from __future__ import annotations

import difflib
import re

from checks.screens.steps import ElementSpec

# What counts as the same kind of thing to a reader. A tab is usually something to click too.
ROLE_FAMILIES = {
    "button": ("button", "link", "tab", "menuitem"),
    "link": ("link", "button", "tab", "menuitem"),
    "tab": ("tab", "link", "button", "menuitem"),
    "menuitem": ("menuitem", "button", "link", "tab"),
    "checkbox": ("checkbox", "switch", "menuitemcheckbox"),
    "radio": ("radio", "menuitemradio"),
    "textbox": ("textbox", "searchbox"),
    "heading": ("heading",),
    "region": ("region", "group"),
}
# A stand-in for a tab must not be the site's top bar ("Products" there is another thing).
NOT_IN_BANNER = ":not(header *):not([role=banner] *)"

ROLE_SELECTOR_JS = """
(roles) => {
  const byRole = {
    button: 'button, [role=button], input[type=submit], input[type=button]',
    link: 'a[href], [role=link]',
    tab: '[role=tab]',
    menuitem: '[role=menuitem]',
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
    const wrapping = el.closest('label');
    if (wrapping && el.matches('input, textarea')) return wrapping.innerText;
    if (el.matches('input, textarea')) return el.getAttribute('placeholder') || '';
    return el.innerText || '';
  };
  const out = [];
  for (const role of roles) {
    for (const el of document.querySelectorAll(byRole[role] || `[role=${role}]`)) {
      if (el.closest('[aria-hidden=true]')) continue;
      const name = nameOf(el).replace(/\\s+/g, ' ').trim();
      if (name && name.length < 120) out.push([role, name]);
    }
  }
  return out;
}
"""
COMMON_ROLES = ["button", "link", "tab", "checkbox", "heading", "textbox"]
_TRAILING = r"[\s:*]*"  # LinkedIn writes "Client ID:" and "App name*"


def reader_pattern(label: str, exact: bool = True) -> re.Pattern:
    """A label as a reader reads it: any case and spacing, with or without a trailing ':' or '*'."""
    words = [re.escape(w) for w in label.rstrip(":* ").split()]
    body = r"\s+".join(words)
    return re.compile(rf"^\s*{body}{_TRAILING}$" if exact else body, re.IGNORECASE)


def roles_for(spec: ElementSpec) -> tuple[str, ...]:
    if spec.strict:
        return spec.role
    family: list[str] = []
    for role in spec.role:
        family += [r for r in ROLE_FAMILIES.get(role, (role,)) if r not in family]
    return tuple(family)


def _name_matcher(spec: ElementSpec):
    if spec.name is None:
        return None
    return spec.name_pattern or reader_pattern(spec.name, spec.exact)


def all_matches(root, spec: ElementSpec):
    """Every element matching a spec (masks cover all of them), within `root`."""
    if spec.text is not None:
        return root.get_by_text(spec.text_pattern or reader_pattern(spec.text, spec.exact))
    name = _name_matcher(spec)
    kwargs = {"name": name} if name is not None else {}
    locator = None
    for role in roles_for(spec):
        one = root.get_by_role(role, **kwargs)
        if role not in spec.role and "tab" in spec.role:
            one = one.and_(root.locator(NOT_IN_BANNER))
        locator = one if locator is None else locator.or_(one)
    return locator


def locate(page, spec: ElementSpec):
    """The locator for a spec; with `near`, the match inside the smallest block that has that text."""
    if spec.near:
        inner = spec.model_copy(update={"near": None})
        container = page.locator("*").filter(has_text=spec.near).filter(has=all_matches(page, inner)).last
        return all_matches(container, inner).first
    return all_matches(page, spec).first


def label_spec(label: str) -> ElementSpec:
    """A bare label from `labels:` matches a whole visible text (or a /regex/)."""
    return ElementSpec(text=label)


def find_label(page, label: str) -> bool:
    spec = label_spec(label)
    name = spec.text_pattern or reader_pattern(label)
    candidates = [all_matches(page, spec)] + [page.get_by_role(role, name=name) for role in COMMON_ROLES]
    return any(c.count() > 0 for c in candidates)


def look_alikes(page, spec: ElementSpec, limit: int = 3) -> list[str]:
    """Elements whose name resembles the one expected: a renamed button gets named, not just missed."""
    from playwright.sync_api import Error as PlaywrightError

    wanted = spec.wanted.rstrip(":* ")
    own = list(roles_for(spec)) if spec.role else []
    roles = own + [r for r in COMMON_ROLES if r not in own]
    try:
        found = page.evaluate(ROLE_SELECTOR_JS, roles)
    except PlaywrightError:  # the page went away while we looked: nothing to suggest
        return []
    labels: dict[str, str] = {}
    for role, name in found:  # one entry per name, in the expected role when it has one
        if name not in labels.values():
            labels[f'{role} "{name}"'] = name
    scored = sorted(
        ((difflib.SequenceMatcher(None, wanted.lower(), name.lower()).ratio(), label) for label, name in labels.items()),
        reverse=True,
    )
    close = [label for score, label in scored if score >= 0.5][:limit]
    if close or not spec.role:
        return close
    # Nothing with a similar name: list what the page offers in the same role (a renamed button).
    return [label for label in labels if label.split(" ", 1)[0] in spec.role][:limit + 2]
