"""`myna-kiosk` command line: the kiosk itself and the installer's checks. Each area registers its sub-commands.

Command modules import their heavy dependencies inside the command functions, so that `myna-kiosk --help`
and every unrelated command stay fast. The test bench's commands are `myna-testbench`; the verifier's,
`myna-verifier`.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import Any

# Each module defines `register(commands)` adding parsers whose defaults carry `run(args) -> int`.
COMMAND_MODULES = (
    "kiosk.app.kiosk_cmds",
    "kiosk.app.card_cmds",
    "kiosk.app.cardface_cmds",
    "kiosk.app.config_cmds",
    "kiosk.app.doctor",
    "kiosk.app.enroll_cmds",
)


def command_parser(prog: str, description: str) -> tuple[argparse.ArgumentParser, Any]:
    """The top-level parser with `-v` and its sub-command group (shared with the test bench's command line)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv: debug)")
    return parser, parser.add_subparsers(dest="command", required=True, metavar="COMMAND")


def build_parser() -> argparse.ArgumentParser:
    parser, commands = command_parser("myna-kiosk", "マイナ受付 kiosk / My Number reception kiosk")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def run_parsed(args: argparse.Namespace) -> int:
    """Set up logging from `-v` and run the chosen command (shared with the test bench's command line)."""
    level = {0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    return run_parsed(build_parser().parse_args(argv))
