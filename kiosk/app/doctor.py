"""`myna-kiosk doctor [--json]`: the installer's one command. One line per check, each failure with its fix.

The checks themselves are in doctor_checks.py; this module holds the result type, runs the checks (a check
that crashes is a failure of that check, never of the doctor), prints them and sets the exit status:
0 when nothing failed (warnings allowed), 1 otherwise. Nothing personal is read or printed: readers by
name and ATR, cameras by size and rate, the outbox by counts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

DEFAULT_CONFIG = Path("/etc/myna-kiosk/kiosk.toml")
KIOSK_USER = "myna-kiosk"


class Status(Enum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""  # what the installer should do; empty when there is nothing to do

    def render(self) -> str:
        mark = {Status.OK: "OK  ", Status.WARN: "WARN", Status.FAIL: "FAIL"}[self.status]
        fix = f"  → {self.fix}" if self.fix and self.status is not Status.OK else ""
        return f"{mark} {self.name:<14} {self.detail}{fix}"

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "status": self.status.value, "detail": self.detail, "fix": self.fix}


@dataclass
class DoctorContext:
    """What every check may look at. `config` is None when the file is missing or invalid (the config
    check says why; the others then use the defaults)."""

    config_path: Path
    config: Any  # kiosk.config.KioskConfig (imported lazily)
    kiosk_user: str = KIOSK_USER
    camera_seconds: float = 1.5
    notes: list[str] = field(default_factory=list)


CheckFn = Callable[[DoctorContext], list[Check]]


def run_checks(context: DoctorContext, checks: Sequence[tuple[str, CheckFn]]) -> list[Check]:
    results: list[Check] = []
    for name, check in checks:
        try:
            results.extend(check(context))
        except Exception as exc:  # a broken check must not hide the others
            results.append(Check(name, Status.FAIL, f"check crashed: {type(exc).__name__}: {exc}",
                                 "report this with `myna-kiosk -vv doctor` output"))
    return results


def register(commands: Any) -> None:
    doctor = commands.add_parser("doctor", help="check this kiosk's hardware, verifier, files and config")
    doctor.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help=f"kiosk TOML (default {DEFAULT_CONFIG})")
    doctor.add_argument("--json", action="store_true", help="machine-readable output")
    doctor.add_argument("--only", action="append", default=[], metavar="CHECK",
                        help="run only this check (repeatable): " + ", ".join(_names()))
    doctor.add_argument("--user", default=KIOSK_USER, help="the kiosk's system user (access checks)")
    doctor.set_defaults(run=cmd_doctor)


def _names() -> list[str]:
    from kiosk.app.doctor_checks import CHECKS

    return [name for name, _ in CHECKS]


def cmd_doctor(args: argparse.Namespace) -> int:
    from kiosk.app.config_cmds import check_file
    from kiosk.app.doctor_checks import CHECKS
    from kiosk.config import KioskConfig

    config, _ = check_file(args.config)  # missing files named in it are the config line's failure, not a reason
    # to ignore its settings
    unknown = sorted(set(args.only) - set(_names()))
    if unknown:
        print(f"unknown check(s): {', '.join(unknown)}; known: {', '.join(_names())}", file=sys.stderr)
        return 2
    context = DoctorContext(args.config, config if config is not None else KioskConfig(), kiosk_user=args.user)
    context.notes.append("" if config is not None else "config invalid: other checks use the defaults")
    chosen = [(name, fn) for name, fn in CHECKS if not args.only or name in args.only]
    results = run_checks(context, chosen)
    failed = any(r.status is Status.FAIL for r in results)
    if args.json:
        print(json.dumps({"ok": not failed, "config": str(args.config), "checks": [r.as_json() for r in results]},
                         ensure_ascii=False, indent=1))
    else:
        for result in results:
            print(result.render())
        print(f"{'FAILED' if failed else 'all checks passed'}: {sum(r.status is Status.FAIL for r in results)} "
              f"failed, {sum(r.status is Status.WARN for r in results)} warnings, {len(results)} checks")
    return 1 if failed else 0
