"""`myna-kiosk` command line. Each area registers its own sub-commands from its own module.

Command modules import their heavy dependencies inside the command functions, so that `myna-kiosk --help`
and every unrelated command stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

# Each module defines `register(commands, bench)` adding parsers whose defaults carry `run(args) -> int`.
COMMAND_MODULES = (
    "kiosk.app.card_cmds",
    "kiosk.app.virtual_card_cmds",
    "kiosk.app.cardface_cmds",
    "kiosk.app.face_cmds",
    "kiosk.app.verifier_cmds",
    "kiosk.app.kiosk_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="myna-kiosk", description="マイナ受付 kiosk / My Number reception kiosk")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv: debug)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    bench_parser = commands.add_parser("bench", help="benchmarks that print their figures")
    bench = bench_parser.add_subparsers(dest="bench", required=True, metavar="WHAT")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # an area that has not landed yet
            if exc.name == name:
                continue
            raise
        module.register(commands, bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    level = {0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130
