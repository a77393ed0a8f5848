"""Write values into a dotenv file without losing anything: atomic, mode 0600, other lines kept,
a replaced secret backed up first.

python-dotenv's `set_key` reads well but writes through a temporary file in the system temp
directory (not atomic across filesystems) and makes no backup, so writing is done here.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from checks.credentials.inputs import read_dotenv

_LINE_KEY = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")


def _format(key: str, value: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9._~+/=:@-]*", value):
        return f"{key}={value}"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{key}="{escaped}"'


def _write_private(path: Path, text: str) -> None:
    """Atomically replace `path` with `text`, readable by the owner only."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mkstemp: mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_values(path: str | os.PathLike, updates: dict[str, str], *, backup_keys: tuple[str, ...] = ()) -> Path | None:
    """Set `updates` in the dotenv file at `path`, creating it if needed.

    When a key in `backup_keys` already holds a different value, the whole previous file is
    copied to `<name>.bak-<UTC timestamp>` (mode 0600) first; that path is returned.
    """
    path = Path(path)
    old_text = path.read_text(encoding="utf-8") if path.exists() else ""
    backup: Path | None = None
    if old_text:
        old = read_dotenv(path)
        if any(old.get(k) and old.get(k) != updates.get(k) for k in backup_keys if k in updates):
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
            backup = path.with_name(f"{path.name}.bak-{stamp}")
            _write_private(backup, old_text)

    lines = old_text.splitlines()
    pending = dict(updates)
    for i, line in enumerate(lines):
        match = _LINE_KEY.match(line)
        if match and match.group(1) in pending:
            key = match.group(1)
            lines[i] = _format(key, pending.pop(key))
    lines += [_format(k, v) for k, v in pending.items()]
    _write_private(path, "\n".join(lines) + "\n")
    return backup
