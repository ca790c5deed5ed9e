"""`myna-kiosk card info|photo`: an installer's look at the card in the reader."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError

REFUSE_AT_TRIES = 1  # never spend the last 照合番号B try from a command line


def register(commands: Any) -> None:
    card = commands.add_parser("card", help="read a My Number card in a PC/SC reader")
    sub = card.add_subparsers(dest="card_command", required=True, metavar="ACTION")
    info = sub.add_parser("info", help="reader, ATR, applications, auth certificate and tries left (spends no try)")
    info.add_argument("--reader", help="reader name or prefix (default: the first reader)")
    info.add_argument("--json", action="store_true", help="machine-readable output")
    info.set_defaults(run=card_info)
    photo = sub.add_parser("photo", help="write the chip photo (JPEG 2000) after VERIFY 照合番号B")
    photo.add_argument("--verification-b", required=True, metavar="DIGITS", help="照合番号B (14 digits)")
    photo.add_argument("--out", required=True, type=Path, help="file to write the JPEG 2000 photo to")
    photo.add_argument("--reader")
    photo.set_defaults(run=card_photo)


def fail(exc: KioskError) -> int:
    print(f"エラー / error: {exc.message()}\n  ({exc.code}: {exc.detail})", file=sys.stderr)
    return 2


def card_info(args: argparse.Namespace) -> int:
    from drivers.card.service import MyNumberCardService

    try:
        summary = MyNumberCardService(args.reader).read_summary()
    except KioskError as exc:
        return fail(exc)
    cert = summary.auth_certificate
    now = datetime.now(UTC)
    report = {
        "reader": summary.reader,
        "atr": summary.atr.hex(" ").upper(),
        "applications": list(summary.applications),
        "auth_certificate": {"identifier": cert.subject_id, "serial": f"{cert.serial:X}", "issuer": cert.issuer,
                             "not_before": cert.not_before.isoformat(), "not_after": cert.not_after.isoformat(),
                             "days_to_expiry": cert.days_to_expiry(now)},
        "tries_left": {"auth_pin": summary.tries.auth_pin, "verification_b": summary.tries.verification_b},
        "pin_less": summary.pin_less,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    pin = "未設定 / not set (顔認証マイナンバーカード)" if summary.pin_less else str(summary.tries.auth_pin)
    print(f"リーダー / reader        : {summary.reader}\nATR                     : {report['atr']}\n"
          f"アプリ / applications   : {', '.join(summary.applications)}\n"
          f"利用者証明用電子証明書 / auth certificate\n"
          f"  識別子 / identifier   : {cert.subject_id}\n  シリアル / serial     : {cert.serial:X}\n"
          f"  発行者 / issuer       : {cert.issuer}\n"
          f"  有効期間 / validity   : {cert.not_before:%Y-%m-%d} – {cert.not_after:%Y-%m-%d} "
          f"(残り / days left: {cert.days_to_expiry(now)})\n"
          f"残り回数 / tries left\n  暗証番号 / auth PIN   : {pin}\n"
          f"  照合番号B             : {summary.tries.verification_b}")
    return 0


def card_photo(args: argparse.Namespace) -> int:
    from drivers.card.service import MyNumberCardService

    digits = args.verification_b
    if len(digits) != 14 or not digits.isdigit():
        print("照合番号B は14桁の数字です / 照合番号B is 14 digits", file=sys.stderr)
        return 2
    service = MyNumberCardService(args.reader)
    try:
        tries = service.verification_b_tries_left()
        if tries <= REFUSE_AT_TRIES:
            print(f"照合番号B の残り回数が {tries} 回のため中止しました（最後の1回は使いません）/ "
                  f"refused: 照合番号B has {tries} tries left and the last one is never spent", file=sys.stderr)
            return 3
        face = service.read_chip_front(digits)
    except KioskError as exc:
        return fail(exc)
    args.out.write_bytes(face.photo_jp2)
    print(f"写真を書き出しました / photo written: {args.out} ({len(face.photo_jp2)} bytes)")
    return 0
