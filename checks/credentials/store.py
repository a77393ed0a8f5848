"""The one writer for credentials: update a dotenv file so the next run reads exactly what was saved,
and never lose a token.

- Symlinks are followed: the file the link points to is updated, the link stays a link.
- The line python-dotenv reads (the last definition of a key) is rewritten in place, keeping
  `export`, the quote style, an inline comment and the line ending; earlier definitions are
  commented out so no reader can pick a stale value.
- Every value reads back unchanged through `checks.credentials.inputs.read_dotenv`: values that are
  not plain are written in single quotes, which that reader takes literally (no `${VAR}` expansion).
- The file keeps its encoding, line endings and mode (new files: 0600). Writes are atomic: a temp
  file in the same directory, fsync, rename, fsync of the directory. A replaced secret is first
  backed up byte for byte.
- When the destination cannot be written, the values go to a 0600 file in the user's config
  directory and `SavedElsewhere` (exit 1) says where: a token is never only in memory.

`write_private` is the atomic private writer every module uses (also checks/screens/login.py).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from datetime import timezone
from pathlib import Path

from checks.clock import Clock, system_clock
from checks.errors import CredentialsError, UsageError
from checks.interrupts import InterruptGuard

APP_DIR = "linkedin-ads-token-checks"
_PLAIN = re.compile(r"[A-Za-z0-9._~+/=:@,%-]*")


class SavedElsewhere(CredentialsError):
    """The destination could not be written; the values were saved to `fallback` instead (exit 1)."""

    def __init__(self, message: str, fallback: Path):
        super().__init__(message)
        self.fallback = fallback


# -- the atomic writer ---------------------------------------------------------------------------
def write_private(path: str | os.PathLike, data: str | bytes, *, mode: int = 0o600,
                  guard: InterruptGuard | None = None) -> None:
    """Atomically replace `path` with `data` (str is written as UTF-8) and give it `mode`.

    Temp file in the same directory (so the rename is atomic), fsync, chmod, rename, then fsync
    the directory so the rename survives a crash. On any failure, the temp file is removed and
    `path` is untouched. Ctrl-C waits for it when the command's `guard` is given (checks/interrupts.py).
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with (guard or InterruptGuard()).protect():
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on a directory; the rename itself is done
    finally:
        os.close(fd)


# -- where the values go -------------------------------------------------------------------------
def resolve_target(path: str | os.PathLike) -> Path:
    """The file that will really be written: symlinks (also dangling ones) followed."""
    return Path(os.path.realpath(path))


def check_destination(path: str | os.PathLike, *, label: str = "--env-file") -> Path:
    """Raise UsageError (exit 2) when `path` cannot be saved into; return the real target.

    Called before anything irreversible (authorize: before the browser opens and a one-time code
    is spent), so a typo costs nothing.
    """
    target = resolve_target(path)
    shown = f"{label} {path}" + (f" (-> {target})" if str(target) != os.path.abspath(path) else "")
    if target.is_dir():
        raise UsageError(f"{shown} is a directory: name a file in it, e.g. {Path(path) / '.env'}")
    if target.exists() and not target.is_file():
        raise UsageError(f"{shown} is not a regular file (a pipe or device): the token cannot be saved there; "
                         "name a file")
    if not target.parent.is_dir():
        raise UsageError(f"{shown}: the directory {target.parent} does not exist: create it (mkdir -p {target.parent})")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise UsageError(f"{shown}: cannot create files in {target.parent} (permission denied)")
    if target.exists() and not os.access(target, os.W_OK):
        raise UsageError(f"{shown} is read-only: make it writable (chmod u+w) or name another file")
    return target


def fallback_directory() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".config") / APP_DIR


def _utc_stamp(clock: Clock = system_clock) -> str:
    return clock().astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def save_fallback(updates: dict[str, str], *, intended: Path, clock: Clock = system_clock,
                  guard: InterruptGuard | None = None) -> Path:
    """Write `updates` to a new 0600 file in the user's config directory; return its path."""
    directory = fallback_directory()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / f"{intended.name or 'credentials'}.unsaved-{_utc_stamp(clock)}.env"
    lines = [f"# Could not be written to {intended}: move these lines there.\n"]
    lines += [format_assignment(key, value) + "\n" for key, value in updates.items()]
    write_private(path, "".join(lines), guard=guard)
    return path


# -- formatting ----------------------------------------------------------------------------------
def _single_quoted(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def format_value(value: str, style: str = "") -> str:
    """`value` as dotenv text in `style` ("", "'" or '"') when that style reads back exactly, else quoted."""
    if style == "" and value and _PLAIN.fullmatch(value):
        return value
    if style == '"' and "$" not in value and "\r" not in value:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return _single_quoted(value)


def format_assignment(key: str, value: str, *, export: bool = False) -> str:
    return ("export " if export else "") + f"{key}={format_value(value)}"


# One binding as python-dotenv's parser hands it over: prefix, value, then spaces/comment, line end.
_ASSIGNMENT = re.compile(
    r"""^(?P<prefix>\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)\s*=[ \t]*)
        (?P<value>'(?:\\'|[^'])*'|"(?:\\"|[^"])*"|[^\r\n]*?)
        (?P<rest>[ \t]+\#[^\r\n]*|[ \t]*)
        (?P<end>\r?\n)?$""",
    re.VERBOSE | re.DOTALL,
)


def _rewrite(chunk: str, key: str, value: str) -> str:
    match = _ASSIGNMENT.match(chunk)
    if not match:
        end = "\r\n" if chunk.endswith("\r\n") else "\n"
        return format_assignment(key, value) + end
    old = match.group("value")
    style = old[0] if old[:1] in ("'", '"') else ""
    return match.group("prefix") + format_value(value, style) + match.group("rest") + (match.group("end") or "")


def _comment_out(chunk: str) -> str:
    return "".join(f"# {line}" for line in chunk.splitlines(keepends=True))


def update_text(text: str, updates: dict[str, str]) -> str:
    """`text` with every key of `updates` set: last definition rewritten, earlier ones commented out."""
    import io

    from dotenv.parser import parse_stream

    chunks: list[tuple[str | None, str]] = [
        (b.key if not b.error else None, b.original.string) for b in parse_stream(io.StringIO(text))
    ]
    if "".join(c for _, c in chunks) != text:  # the parser skipped something: never drop user text
        chunks = [(None, text)]
    newline = "\r\n" if "\r\n" in text else "\n"
    last = {key: i for i, (key, _) in enumerate(chunks) if key in updates}
    out = []
    for i, (key, chunk) in enumerate(chunks):
        if key in updates:
            out.append(_rewrite(chunk, key, updates[key]) if last[key] == i else _comment_out(chunk))
        else:
            out.append(chunk)
    result = "".join(out)
    new_keys = [k for k in updates if k not in last]
    if new_keys:
        keys = [k for k, _ in chunks if k]
        export = bool(keys) and all(re.match(r"\s*export\s", c) for k, c in chunks if k)
        if result and not result.endswith(("\n", "\r")):
            result += newline
        result += "".join(format_assignment(k, updates[k], export=export) + newline for k in new_keys)
    return result


# -- the one entry point -------------------------------------------------------------------------
def save_values(path: str | os.PathLike, updates: dict[str, str], *, backup_keys: tuple[str, ...] = (),
                notes: list[str] | None = None, guard: InterruptGuard | None = None) -> Path | None:
    """Set `updates` in the dotenv file at `path` (created 0600 if absent); return the backup's path.

    The file keeps its mode, except that others (not owner, not group) lose access to a file that
    now holds a secret; that change is described in `notes`, if given.

    When a key in `backup_keys` already holds a different value, the previous file is first copied
    byte for byte to `<name>.bak-<UTC timestamp>` (mode 0600) next to the real file.
    Raises SavedElsewhere (exit 1) after saving to the fallback file when `path` cannot be written.
    Ctrl-C waits for the whole save (backup and file) when the command's `guard` is given.
    """
    guard = guard or InterruptGuard()
    with guard.protect():
        return _save_values(path, updates, backup_keys, notes, guard)


def _save_values(path: str | os.PathLike, updates: dict[str, str], backup_keys: tuple[str, ...],
                 notes: list[str] | None, guard: InterruptGuard) -> Path | None:
    from checks.credentials.inputs import decode_env_bytes, parse_dotenv_text

    target = resolve_target(path)
    try:
        if Path(path).exists() and not Path(path).is_file() or target.exists() and not target.is_file():
            raise OSError(errno.EINVAL, "not a regular file")
        old_bytes = target.read_bytes() if target.exists() else b""
        text, encoding = decode_env_bytes(old_bytes, str(path)) if old_bytes else ("", "utf-8")
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o600
        if mode & 0o007:
            if notes is not None:
                notes.append(f"{path} was readable by every user on this machine (mode {mode:04o}): "
                             f"now {mode & ~0o007:04o}")
            mode &= ~0o007
        backup: Path | None = None
        if old_bytes:
            old = parse_dotenv_text(text)
            if any(old.get(k) and old.get(k) != updates.get(k) for k in backup_keys if k in updates):
                backup = target.with_name(f"{target.name}.bak-{_utc_stamp()}")
                write_private(backup, old_bytes, guard=guard)
        write_private(target, update_text(text, updates).encode(encoding), mode=mode, guard=guard)
        return backup
    except (OSError, UsageError, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        try:
            fallback = save_fallback(updates, intended=target, guard=guard)
        except OSError as again:
            raise CredentialsError(
                f"could not save {', '.join(updates)} to {path} ({reason}) nor to {fallback_directory()} "
                f"({again.strerror}): nothing was saved; fix the permissions and run again"
            ) from None
        raise SavedElsewhere(
            f"could not write {path} ({reason}). {', '.join(updates)} {'was' if len(updates) == 1 else 'were'} "
            f"saved to {fallback} (mode 0600) instead: move {'it' if len(updates) == 1 else 'them'} into {path}",
            fallback,
        ) from None
