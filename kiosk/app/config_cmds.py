"""`myna-kiosk config check FILE`: every problem in a kiosk TOML file, each with its line number.

`kiosk.config.load_config` stops at the first problem and names it by key (`devices.camera`); an installer
editing /etc/myna-kiosk/kiosk.toml wants all of them, by line. So the file is checked section by section
(each key alone against the defaults, then the whole file for the rules that span keys) and each
key path is looked up in the text. The files the configuration names (mTLS certificate and key, CA
bundle, cameras) are checked too: a missing one is a warning here (the file may be checked on another
machine) and an error with `--strict` and in `myna-kiosk doctor`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kiosk.config import KioskConfig, config_from_mapping
from kiosk.errors import ConfigError

_MARK = "\x00"  # `where` given to config_from_mapping, so that the key path can be cut out of its messages
_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-\" ]+?)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")
_KEY_PATH = re.compile(r"[a-z_]+(?:\.[a-z_0-9]+)*")


@dataclass(frozen=True)
class ConfigProblem:
    line: int | None  # 1-based; None when the problem has no single place (file missing)
    key: str  # dotted key path, "" for the file as a whole
    message: str
    severity: str = "error"  # "error" or "warning"

    def render(self, path: Path) -> str:
        where = f"{path}:{self.line}" if self.line else str(path)
        key = f" [{self.key}]" if self.key else ""
        return f"{where}: {self.severity}{key}: {self.message}"


def key_lines(text: str) -> dict[str, int]:
    """Dotted key path (and table name) → the 1-based line that defines it. Enough TOML for a config file:
    [table] headers, bare and dotted keys; lines inside multi-line strings are not told apart."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header and not line.lstrip().startswith("[["):
            table = re.sub(r"\s*\.\s*", ".", header.group(1).replace('"', ""))
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            name = re.sub(r"\s+", "", key.group(1))
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def _split(exc: ConfigError) -> tuple[str, str]:
    """(key path, message) out of a ConfigError raised with where=_MARK."""
    text = exc.detail
    if not text.startswith(_MARK):
        return "", text
    head, _, message = text[len(_MARK):].partition(": ")
    key = head.lstrip(".")
    if not key:  # a rule across keys: "timeouts.reading_s must be positive" → its first key path
        found = _KEY_PATH.match(message)
        key = found.group(0) if found and found.group(0).split(".")[0] in _TOP_KEYS else ""
    if message.startswith("unknown key(s) "):
        names = message.removeprefix("unknown key(s) ").split(", ")
        key = f"{key}.{names[0]}" if key else names[0]
    return key, message


_TOP_KEYS = {"facility_code", "default_lang", "timeouts", "face", "certificate", "consent", "staff", "devices"}


def _line_for(key: str, lines: dict[str, int]) -> int | None:
    while key:
        if key in lines:
            return lines[key]
        key = key.rpartition(".")[0]
    return None


def check_text(text: str) -> tuple[KioskConfig | None, list[ConfigProblem]]:
    """The configuration (None if any error) and every problem found in the TOML text."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = _TOML_AT.search(str(exc))
        message = _TOML_AT.sub("", str(exc)).strip()
        return None, [ConfigProblem(int(at.group(1)) if at else None, "", f"not valid TOML: {message}")]
    lines = key_lines(text)
    problems: list[ConfigProblem] = []
    seen: set[tuple[str, str]] = set()

    def attempt(part: dict[str, Any]) -> KioskConfig | None:
        try:
            return config_from_mapping(part, where=_MARK)
        except ConfigError as exc:
            key, message = _split(exc)
            if (key, message) not in seen:
                seen.add((key, message))
                problems.append(ConfigProblem(_line_for(key, lines), key, message))
            return None

    for name, value in raw.items():  # each key alone against the defaults: one problem per key
        if isinstance(value, dict) and value:
            for key, item in value.items():
                attempt({name: {key: item}})
        else:
            attempt({name: value})
    config = attempt(raw) if not problems else None  # then the rules that span keys
    problems.sort(key=lambda p: (p.line or 0, p.key))
    return config, problems


def file_problems(config: KioskConfig, text: str) -> list[ConfigProblem]:
    """Files named by the configuration that are not there or not readable (warnings)."""
    lines = key_lines(text)
    devices = config.devices
    named = {"devices.backend_ca": devices.backend_ca, "devices.client_cert": devices.client_cert,
             "devices.client_key": devices.client_key, "devices.issuer_public_key": devices.issuer_public_key}
    for key in ("camera", "card_face_camera"):
        spec = getattr(devices, key)
        if spec and not spec.strip().isdigit():
            named[f"devices.{key}"] = spec
    problems = []
    for key, value in named.items():
        if value and not Path(value).exists():
            problems.append(ConfigProblem(_line_for(key, lines), key, f"{value} does not exist", "warning"))
    if bool(devices.client_cert) != bool(devices.client_key):
        problems.append(ConfigProblem(_line_for("devices.client_cert", lines), "devices.client_cert",
                                      "client_cert and client_key go together (mutual TLS needs both)"))
    if devices.client_cert and not devices.backend_url.startswith("https://"):
        problems.append(ConfigProblem(_line_for("devices.backend_url", lines), "devices.backend_url",
                                      "mutual TLS is configured but backend_url is not https://"))
    return problems


def check_file(path: Path, *, strict: bool = False) -> tuple[KioskConfig | None, list[ConfigProblem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [ConfigProblem(None, "", "file not found")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [ConfigProblem(None, "", f"cannot read ({exc.__class__.__name__}: {exc})")]
    config, problems = check_text(text)
    if config is not None:
        extra = file_problems(config, text)
        if strict:
            extra = [ConfigProblem(p.line, p.key, p.message, "error") for p in extra]
        problems += sorted(extra, key=lambda p: p.line or 0)
        if any(p.severity == "error" for p in extra):
            config = None
    return config, problems


def register(commands: Any) -> None:
    config = commands.add_parser("config", help="check a kiosk configuration file")
    sub = config.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    check = sub.add_parser("check", help="every problem in FILE, with its line number (exit 1 on any error)")
    check.add_argument("file", type=Path, metavar="FILE")
    check.add_argument("--strict", action="store_true", help="files the config names must exist")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.set_defaults(run=cmd_config_check)


def cmd_config_check(args: argparse.Namespace) -> int:
    config, problems = check_file(args.file, strict=args.strict)
    if args.json:
        print(json.dumps({"file": str(args.file), "valid": config is not None,
                          "problems": [asdict(p) for p in problems]}, ensure_ascii=False, indent=1))
    else:
        for problem in problems:
            print(problem.render(args.file), file=sys.stderr if problem.severity == "error" else sys.stdout)
        if config is not None:
            print(f"{args.file}: OK (facility {config.facility_code}, kiosk {config.devices.kiosk_id})")
    return 0 if config is not None else 1
