"""`myna-kiosk cardface read`: 照合番号B from a picture of the card front (an installer's check of the camera)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError


def register(commands: Any) -> None:
    cardface = commands.add_parser("cardface", help="read 照合番号B from a picture of the card front (OCR)")
    sub = cardface.add_subparsers(dest="cardface_command", required=True, metavar="ACTION")
    read = sub.add_parser("read", help="read one picture; prints 照合番号B masked unless --reveal")
    read.add_argument("image", type=Path)
    read.add_argument("--json", action="store_true", help="machine-readable output")
    read.add_argument("--reveal", action="store_true", help="print 照合番号B in full (it opens the chip photo)")
    read.add_argument("--today", type=date.fromisoformat, help="judge expiry against this day (YYYY-MM-DD)")
    read.add_argument("--gate", type=float, help="lowest character confidence accepted, 0..1")
    read.set_defaults(run=cardface_read)


def cardface_read(args: argparse.Namespace) -> int:
    from drivers.cardface.reader import CardFrontReader, ReaderConfig

    config = ReaderConfig() if args.gate is None else ReaderConfig(gate=args.gate)
    try:
        reading = CardFrontReader(config).read(args.image, today=args.today)
    except KioskError as exc:
        print(f"エラー / error: {exc.message()}\n  ({exc.code}: {exc.detail})", file=sys.stderr)
        return 2
    shown = reading.verification_b if args.reveal else (reading.masked() if reading.verification_b else None)
    if args.json:
        out = {"verification_b": shown, "masked": not args.reveal, "confidence": round(reading.confidence, 3),
               "rescan": reading.rescan, "reason": reading.reason}  # fmt: skip
        print(json.dumps(out, ensure_ascii=False))
    elif reading.rescan:
        print(f"再読み取りが必要です / re-scan needed: {reading.reason} (confidence {reading.confidence:.2f})")
    else:
        print(f"照合番号B / verification B: {shown} (confidence {reading.confidence:.2f})")
    return 0 if not reading.rescan else 1
