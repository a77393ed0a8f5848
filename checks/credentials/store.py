"""The one writer for credentials: update a dotenv file so the next run reads exactly what was saved,
and never lose a token.

- Symlinks are followed: the file the link points to is updated, the link stays a link; except a
  symlink as the last component in a sticky directory every user can write (/tmp), which is never
  followed (anyone could have planted it, as Linux's fs.protected_symlinks assumes).
- The file and its directory are their owner's alone: a file another user owns, or a directory
  another user owns or can write (not sticky), is refused (UsageError before a flow starts,
  the fallback file during a save); when a file is read, the same is a warning.
- The line python-dotenv reads (the last definition of a key) is rewritten in place, keeping
  `export`, the quote style, an inline comment and the line ending; earlier definitions are
  commented out so no reader can pick a stale value.
- Every value reads back unchanged through python-dotenv (not interpolated, as
  `checks.credentials.inputs.read_dotenv` reads) AND through a POSIX shell (`set -a; . ./.env`):
  plain values bare, others in single quotes, or double quotes when they hold `'` or a backslash; a value
  no quoting reads the same in both is refused. A token outside LinkedIn's alphabet is never saved.
- The file keeps its encoding and line endings; its mode becomes 0600 (a group- or other-readable
  file is tightened, and `notes` says so). Writes are atomic: a temp file in the same directory
  (named `.env.tmp-*.env`, so `.env*` and `*.env` ignore rules cover a leftover), mode set on the
  open descriptor, fsync, rename, fsync of the directory. A replaced secret is first backed up byte
  for byte into the tool's 0700 config directory (the last BACKUPS_KEPT per file are kept).
- When the destination cannot be written, the values go to a 0600 file in the user's config
  directory and `SavedElsewhere` (exit 1) says where: a token is never only in memory.

`write_private` is the atomic private writer every module uses (also checks/screens/login.py).
"""

from __future__ import annotations

import contextlib
import errno
import glob
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

    Temp file in the same directory (so the rename is atomic; named so `.env*` and `*.env` ignore
    rules match it), mode set on the open descriptor (no path to swap meanwhile), fsync, rename,
    then fsync the directory so the rename survives a crash. On any failure, the temp file is
    removed and `path` is untouched. Ctrl-C waits for it when the command's `guard` is given
    (checks/interrupts.py).
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with (guard or InterruptGuard()).protect():
        fd, tmp = tempfile.mkstemp(prefix=".env.tmp-", suffix=".env", dir=path.parent)  # 0600, O_EXCL
        try:
            with os.fdopen(fd, "wb") as handle:
                if hasattr(os, "fchmod"):
                    os.fchmod(handle.fileno(), mode)
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            if not hasattr(os, "fchmod"):  # Windows before Python 3.13: no POSIX modes to speak of
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
def _is_sticky(directory: Path) -> bool:
    try:
        return bool(os.stat(directory).st_mode & stat.S_ISVTX)
    except OSError:
        return False


def planted_link(path: str | os.PathLike) -> bool:
    """True for a symlink as the last component inside a sticky directory: never followed."""
    path = Path(path)
    return path.is_symlink() and _is_sticky(path.parent if str(path.parent) else Path("."))


@contextlib.contextmanager
def open_no_planted_link(path: str | os.PathLike, flags: int = os.O_RDONLY):
    """Open `path` for reading in binary; in a sticky directory without following a final
    symlink (O_NOFOLLOW: OSError ELOOP)."""
    path = Path(path)
    if _is_sticky(path.parent):
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        yield handle


# POSIX owners and modes; on Windows, ACLs decide and these checks do not apply.
POSIX = os.name == "posix"


def _foreign(uid: int) -> bool:
    """Owned by someone other than this user or root (root can read everything anyway)."""
    return POSIX and uid not in (os.geteuid(), 0)


def _others_can_write(info: os.stat_result) -> bool:
    """Write permission for someone else: `other`, or a group with other members. A user's private
    group (Debian and Ubuntu give each user one, and umask 002 makes files group-writable) is
    the user alone; macOS's `staff` holds every local user."""
    if not POSIX:
        return False
    if info.st_mode & 0o002:
        return True
    if not info.st_mode & 0o020:
        return False
    try:
        import grp
        import pwd

        me = pwd.getpwuid(os.geteuid()).pw_name
        group = grp.getgrgid(info.st_gid)
        others = {m for m in group.gr_mem if m != me}
        others |= {u.pw_name for u in pwd.getpwall() if u.pw_gid == info.st_gid and u.pw_name != me}
        return bool(others) or group.gr_name != me
    except (ImportError, KeyError, OSError):
        return True


def ownership_problems(path: str | os.PathLike) -> list[str]:
    """Why another user could read or change the secrets in `path` (empty when only its owner can)."""
    from checks.credentials.secrets import escape_controls

    path = Path(path)
    found = []
    try:
        info = os.stat(path)
    except OSError:
        return []
    if not stat.S_ISREG(info.st_mode):
        return []  # a pipe or /dev/fd/N: nothing stays on disk
    shown = escape_controls(str(path))
    if _foreign(info.st_uid):
        found.append(f"Warning: {shown} is owned by another user (uid {info.st_uid}): they can change its secrets "
                     "and endpoints.")
    elif _others_can_write(info):
        found.append(f"Warning: other users can change {shown} (mode {stat.S_IMODE(info.st_mode):04o}): "
                     "chmod 600 it.")
    directory = Path(os.path.realpath(path)).parent
    try:
        dinfo = os.stat(directory)
    except OSError:
        return found
    if _foreign(dinfo.st_uid):
        found.append(f"Warning: the directory {escape_controls(str(directory))} is owned by another user "
                     f"(uid {dinfo.st_uid}): they can replace {shown}.")
    elif _others_can_write(dinfo) and not dinfo.st_mode & stat.S_ISVTX:
        found.append(f"Warning: other users can write the directory {escape_controls(str(directory))} "
                     f"(mode {stat.S_IMODE(dinfo.st_mode):04o}): they can replace {shown}.")
    return found


def _write_refusal(path: str | os.PathLike, target: Path) -> str | None:
    """Why the secrets must not be written to `path` (really `target`), or None."""
    if planted_link(path):
        return ("it is a symlink in a directory every user can write (sticky, like /tmp): not followed; "
                "name the file it points to")
    if target.exists() and _foreign(target.stat().st_uid):
        return f"it is owned by another user (uid {target.stat().st_uid})"
    try:
        dinfo = os.stat(target.parent)
    except OSError:
        return None
    if _foreign(dinfo.st_uid):
        return f"its directory {target.parent} is owned by another user (uid {dinfo.st_uid})"
    if _others_can_write(dinfo) and not dinfo.st_mode & stat.S_ISVTX:
        return (f"other users can write its directory {target.parent} (mode {stat.S_IMODE(dinfo.st_mode):04o}): "
                "they could replace the file")
    return None


def resolve_target(path: str | os.PathLike) -> Path:
    """The file that will really be written: symlinks (also dangling ones) followed."""
    return Path(os.path.realpath(path))


def check_destination(path: str | os.PathLike, *, label: str = "--env-file") -> Path:
    """Raise UsageError (exit 2) when `path` cannot be saved into; return the real target.

    Called before anything irreversible (authorize: before the browser opens and a one-time code
    is spent), so a typo costs nothing.
    """
    from checks.credentials.secrets import escape_controls

    target = resolve_target(path)
    shown = escape_controls(f"{label} {path}" + (f" (-> {target})" if str(target) != os.path.abspath(path) else ""))
    if planted_link(path) or target.exists() and _foreign(target.stat().st_uid):
        raise UsageError(f"{shown}: the token will not be written there: {escape_controls(_write_refusal(path, target) or '')}")
    if target.is_dir():
        raise UsageError(f"{shown} is a directory: name a file in it, e.g. {Path(path) / '.env'}")
    if target.exists() and not target.is_file():
        raise UsageError(f"{shown} is not a regular file (a pipe or device): the token cannot be saved there; "
                         "name a file")
    if not target.parent.is_dir():
        raise UsageError(f"{shown}: the directory {target.parent} does not exist: create it (mkdir -p {target.parent})")
    refusal = _write_refusal(path, target)
    if refusal:
        raise UsageError(f"{shown}: the token will not be written there: {escape_controls(refusal)}")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise UsageError(f"{shown}: cannot create files in {target.parent} (permission denied)")
    if target.exists() and not os.access(target, os.W_OK):
        raise UsageError(f"{shown} is read-only: make it writable (chmod u+w) or name another file")
    return target


def fallback_directory() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".config") / APP_DIR


def _private_directory(directory: Path) -> Path:
    """`directory`, created 0700 (and tightened to 0700 when it exists): only its owner looks in."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not POSIX:
        return directory
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != 0o700:
            os.fchmod(fd, 0o700)
    finally:
        os.close(fd)
    return directory


# Backups of a file that held a secret: the newest few are kept, older ones deleted.
BACKUPS_KEPT = 5


def backup_directory() -> Path:
    return fallback_directory() / "backups"


def write_backup(target: Path, data: bytes, *, clock: Clock = system_clock, guard: InterruptGuard | None = None) -> Path:
    """Keep `data` (the previous file) in the private backup directory; prune all but the newest
    BACKUPS_KEPT backups of the same file. Never next to the file, where `git add .` finds it."""
    import hashlib

    _private_directory(fallback_directory())
    directory = _private_directory(backup_directory())
    tag = f"{target.name}.{hashlib.sha256(str(target).encode()).hexdigest()[:8]}.bak-"
    backup = directory / f"{tag}{_utc_stamp(clock)}.env"
    write_private(backup, data, guard=guard)
    for old in sorted(directory.glob(f"{glob.escape(tag)}*.env"))[:-BACKUPS_KEPT]:
        with contextlib.suppress(OSError):
            old.unlink()
    return backup


def _utc_stamp(clock: Clock = system_clock) -> str:
    return clock().astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def save_fallback(updates: dict[str, str], *, intended: Path, clock: Clock = system_clock,
                  guard: InterruptGuard | None = None) -> Path:
    """Write `updates` to a new 0600 file in the user's config directory; return its path."""
    directory = _private_directory(fallback_directory())
    path = directory / f"{intended.name or 'credentials'}.unsaved-{_utc_stamp(clock)}.env"
    lines = [f"# Could not be written to {intended}: move these lines there.\n"]
    lines += [format_assignment(key, value) + "\n" for key, value in updates.items()]
    write_private(path, "".join(lines), guard=guard)
    return path


# -- formatting ----------------------------------------------------------------------------------
# Bare in python-dotenv and in a shell alike (no ~: a shell expands it in an assignment).
_PLAIN = re.compile(r"[A-Za-z0-9._+/=:@,%-]+")


def _double_quoted(value: str) -> str:
    # Inside "...", python-dotenv and a shell both turn \\ into \ and \" into ", and keep ' as is.
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_value(value: str, style: str = "") -> str:
    """`value` as dotenv text that python-dotenv (not interpolating) and a POSIX shell both read back
    exactly: in `style` ("", "'" or '"') when that works, else the first quoting that does.

    Raises ValueError when none does (a value holding ' or a backslash, and also $ or `): never
    written half-right, because a shell that sources the file could run part of it.
    """
    single = "'" not in value and "\\" not in value
    double = "$" not in value and "`" not in value
    if style == "" and _PLAIN.fullmatch(value):
        return value
    if style == '"' and double:
        return _double_quoted(value)
    if single:
        return f"'{value}'"
    if double:
        return _double_quoted(value)
    raise ValueError("the value holds ' or a backslash, and also $ or `: no quoting reads the same in "
                     "python-dotenv and a shell")


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
# LinkedIn's tokens are URL-safe (A-Z a-z 0-9 - _ . ~, and base64's + / =). Anything else in a
# token is not LinkedIn's, and a quote or $ in it could run code in a shell that sources the file.
TOKEN_ALPHABET = re.compile(r"[A-Za-z0-9._~+/=-]+")
TOKEN_NAMES = ("LINKEDIN_REFRESH_TOKEN", "LINKEDIN_ACCESS_TOKEN")


def save_values(path: str | os.PathLike, updates: dict[str, str], *, backup_keys: tuple[str, ...] = (),
                notes: list[str] | None = None, guard: InterruptGuard | None = None) -> Path | None:
    """Set `updates` in the dotenv file at `path` (created 0600 if absent); return the backup's path.

    The file ends up 0600: a file group or others could read is tightened, and `notes` (if given)
    says so. When a key in `backup_keys` already holds a different value, the previous file is
    first copied byte for byte into the private backup directory (mode 0600).
    Raises CredentialsError (exit 1, nothing saved) for a token outside LinkedIn's alphabet, and
    SavedElsewhere (exit 1) after saving to the fallback file when `path` cannot or must not be written.
    Ctrl-C waits for the whole save (backup and file) when the command's `guard` is given.
    """
    for key, value in updates.items():
        if key in TOKEN_NAMES and not TOKEN_ALPHABET.fullmatch(value):
            raise CredentialsError(f"the {key} LinkedIn sent holds characters no LinkedIn token has (quotes, $, "
                                   "spaces or controls): not saved. Create a new token (guide Step 4)")
        try:
            format_value(value)
        except ValueError as exc:
            raise CredentialsError(f"{key} not saved: {exc}") from None
    guard = guard or InterruptGuard()
    with guard.protect():
        return _save_values(path, updates, backup_keys, notes, guard)


def _save_values(path: str | os.PathLike, updates: dict[str, str], backup_keys: tuple[str, ...],
                 notes: list[str] | None, guard: InterruptGuard) -> Path | None:
    from checks.credentials.inputs import decode_env_bytes, parse_dotenv_text

    target = resolve_target(path)
    try:
        refusal = _write_refusal(path, target)
        if refusal:
            raise OSError(errno.EPERM, refusal)
        if Path(path).exists() and not Path(path).is_file() or target.exists() and not target.is_file():
            raise OSError(errno.EINVAL, "not a regular file")
        old_bytes = b""
        if target.exists():
            with open_no_planted_link(target) as handle:
                old_bytes = handle.read()
        text, encoding = decode_env_bytes(old_bytes, str(path)) if old_bytes else ("", "utf-8")
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o600
        if mode & 0o077 and notes is not None:
            notes.append(f"{path} was open to other users (mode {mode:04o}): now 0600, its owner's alone")
        backup: Path | None = None
        if old_bytes:
            old = parse_dotenv_text(text)
            if any(old.get(k) and old.get(k) != updates.get(k) for k in backup_keys if k in updates):
                backup = write_backup(target, old_bytes, guard=guard)
        write_private(target, update_text(text, updates).encode(encoding), mode=0o600, guard=guard)
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
