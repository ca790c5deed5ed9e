"""`myna-testbench`: the demo, the virtual card, the evaluations and the benchmarks.

None of this ships with the kiosk: it imports the product to exercise it, never the other way round.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

from kiosk.app.cli import command_parser, run_parsed

# Each module defines `register(commands, bench)`; `bench` is the `myna-testbench bench WHAT` group.
COMMAND_MODULES = (
    "testbench.demo_cmds",
    "testbench.virtual_card_cmds",
    "testbench.cardface_cmds",
    "testbench.face_cmds",
    "testbench.benches.bench_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    parser, commands = command_parser("myna-testbench", "マイナ受付 kiosk test bench")
    bench_parser = commands.add_parser("bench", help="benchmarks that print their figures")
    bench = bench_parser.add_subparsers(dest="bench", required=True, metavar="WHAT")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands, bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return run_parsed(build_parser().parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
