"""`myna-testbench cardface eval|testset`: the card-face reader's figures on generated card pictures."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(commands: Any, bench: Any) -> None:
    cardface = commands.add_parser("cardface", help="card-face OCR evaluation on generated card pictures")
    sub = cardface.add_subparsers(dest="cardface_command", required=True, metavar="ACTION")
    ev = sub.add_parser("eval", help="exact %%, re-scan %%, wrong accepted and ms/card on the generated test set")
    ev.add_argument("--n", type=int, default=200, help="number of generated cards (default 200)")
    ev.add_argument("--seed", type=int, default=0)
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--second-look", action="store_true",
                    help="with the reader's second look on (off in the product: one wrong code on a held-out set)")
    ev.set_defaults(run=cardface_eval)
    ts = sub.add_parser("testset", help="write the generated test pictures and labels.json to a directory")
    ts.add_argument("directory", type=Path)
    ts.add_argument("--n", type=int, default=200)
    ts.add_argument("--seed", type=int, default=0)
    ts.set_defaults(run=cardface_testset)


def cardface_eval(args: argparse.Namespace) -> int:
    from drivers.cardface.reader import CardFrontReader, ReaderConfig
    from testbench.cardface.evaluate import evaluate

    report = evaluate(args.n, args.seed, CardFrontReader(ReaderConfig(second_look=args.second_look)))
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print(report.summary())
        for reason, count in sorted(report.reasons.items(), key=lambda kv: -kv[1]):
            print(f"  re-scan: {reason}: {count}")
    return 0 if report.wrong_accepted == 0 else 1


def cardface_testset(args: argparse.Namespace) -> int:
    from testbench.cardface.augment import write_testset

    labels = write_testset(args.directory, args.n, args.seed)
    print(f"{args.n} pictures and {labels}")
    return 0
