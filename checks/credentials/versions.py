"""When each `LinkedIn-Version` stops being served, and which one to move to.

LinkedIn serves each monthly Marketing API version for at least a year, then retires it (a 426
`NONEXISTENT_VERSION`, no warning header: notice comes by e-mail). For versions whose retirement
LinkedIn has announced, the date is in RETIREMENTS; for any other version the earliest possible
retirement is the first day of its release month plus 12 months.
Sources: Microsoft Learn "Marketing API versioning"
(https://learn.microsoft.com/en-us/linkedin/marketing/versioning) and "Marketing API migrations"
(https://learn.microsoft.com/en-us/linkedin/marketing/integrations/migrations).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from checks.credentials.inputs import DEFAULT_API_VERSION

# Announced retirement dates, as printed on LinkedIn's migrations page.
RETIREMENTS: dict[str, date] = {
    "202410": date(2025, 10, 15),
    "202411": date(2025, 11, 17),
    "202502": date(2026, 2, 16),
    "202601": date(2027, 1, 15),
    "202603": date(2027, 3, 16),
}
# Versions this tool knows exist: the announced ones and the tool's default pin.
KNOWN_VERSIONS: tuple[str, ...] = tuple(sorted({*RETIREMENTS, DEFAULT_API_VERSION}))
VERSION_RE = re.compile(r"^(20\d\d)(0[1-9]|1[0-2])(?:\.(\d\d))?$")


@dataclass(frozen=True)
class VersionLife:
    version: str
    retires_on: date
    announced: bool  # False: the earliest possible date (release month + 12 months)
    days_left: int  # negative once past

    @property
    def retired(self) -> bool:
        return self.days_left < 0

    def describe(self) -> str:
        """`retires on 2027-01-15 (47 days left; announced by LinkedIn)`"""
        how = "announced by LinkedIn" if self.announced else "earliest possible: released + 12 months"
        if self.retired:
            verb = "retired on" if self.announced else "may have retired on"
            return f"{verb} {self.retires_on.isoformat()} ({how})"
        verb = "retires on" if self.announced else "served until at least"
        days = f"{self.days_left} day{'s' if self.days_left != 1 else ''} left"
        return f"{verb} {self.retires_on.isoformat()} ({days}; {how})"


def parse_version(version: str) -> tuple[int, int, int]:
    """`202508` -> (2025, 8, 0); `202508.02` -> (2025, 8, 2). ValueError when not a version."""
    match = VERSION_RE.match(version.strip())
    if not match:
        raise ValueError(f"{version!r} is not a LinkedIn-Version (YYYYMM or YYYYMM.NN)")
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def version_from_message(message: str) -> str | None:
    """LinkedIn's 426 writes the version as YYYYMMDD: `Requested version 20250201 is not active`."""
    match = re.search(r"version (20\d\d(?:0[1-9]|1[0-2]))\d\d\b", message)
    return match.group(1) if match else None


def retirement(version: str) -> tuple[date, bool]:
    """(retirement date, announced?) of a version; point versions retire with their month."""
    year, month, _ = parse_version(version)
    month_version = f"{year}{month:02d}"
    if month_version in RETIREMENTS:
        return RETIREMENTS[month_version], True
    return date(year + 1, month, 1), False


def lifecycle(version: str, today: date) -> VersionLife:
    retires_on, announced = retirement(version)
    return VersionLife(version, retires_on, announced, (retires_on - today).days)


def newest_known() -> str:
    """The newest version this tool knows exists (what a 426 or a warning tells people to use)."""
    return max(KNOWN_VERSIONS, key=parse_version)


def move_to(version: str, today: date, warn_days: int) -> str | None:
    """The version to move to: the newest known one, when it is newer and not itself retiring soon."""
    candidate = newest_known()
    if parse_version(candidate) <= parse_version(version):
        return None
    if lifecycle(candidate, today).days_left <= warn_days:
        return None
    return candidate


# -- the maintainers' alarm (the scheduled version-freshness workflow runs it) -------------------
FRESHNESS_PROG = "python -m checks.credentials.versions"
FRESHNESS_DAYS = 90


def default_is_fresh(today: date, days: int = FRESHNESS_DAYS) -> tuple[bool, str]:
    """Whether the default LinkedIn-Version is served for more than `days` days after `today`,
    and a sentence saying so (the issue the workflow opens quotes it)."""
    life = lifecycle(DEFAULT_API_VERSION, today)
    fresh = life.days_left > days
    sentence = f"The default LinkedIn-Version {DEFAULT_API_VERSION} {life.describe()}."
    if not fresh:
        sentence += (f" That is within {days} days: move DEFAULT_API_VERSION in checks/credentials/inputs.py to a "
                     "newer version (LinkedIn's Marketing API versioning page lists them), add it to RETIREMENTS "
                     "when LinkedIn announces a date, and release.")
    return fresh, sentence


def _freshness_parser():
    import argparse

    from checks.cli import SafeArgumentParser, non_negative_int

    parser = SafeArgumentParser(prog=FRESHNESS_PROG, description="For maintainers: fail while the default "
                                "LinkedIn-Version is within DAYS days of its retirement.",
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="exit codes: 0 fresh · 1 renew the default now · 2 usage error\n")
    parser.add_argument("--days", type=non_negative_int, default=FRESHNESS_DAYS, metavar="DAYS",
                        help="how long before the retirement to start failing (default: %(default)s)")
    return parser


def _freshness(args, ctx) -> int:
    from checks.errors import ExitCode

    fresh, sentence = default_is_fresh(ctx.clock().date(), args.days)
    print(sentence, flush=True)
    return ExitCode.OK if fresh else ExitCode.FIX


def freshness_main(argv: list[str] | None = None, *, env=None, guard=None) -> int:
    """Exit 1 when the default LinkedIn-Version retires within --days days (default 90), else 0."""
    from checks.cli import run_command

    return run_command(_freshness_parser, _freshness, argv, prog=FRESHNESS_PROG, env=env, guard=guard)


if __name__ == "__main__":
    from checks.cli import main_entry

    main_entry(freshness_main, prog=FRESHNESS_PROG)
