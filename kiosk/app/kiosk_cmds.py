"""`myna-kiosk run` (the kiosk on the hardware named in its config) and `myna-kiosk staff-pin-hash`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    run = commands.add_parser("run", help="run the kiosk on the real hardware described by a config file")
    run.add_argument("--config", required=True, type=Path, help="kiosk TOML file")
    run.add_argument("--windowed", action="store_true", help="not full screen (for a desk test)")
    run.set_defaults(run=cmd_run)

    pin = commands.add_parser("staff-pin-hash", help="hash a staff PIN for [staff] pin_hash in the config")
    pin.set_defaults(run=cmd_staff_pin_hash)


# --- run ----------------------------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    from kiosk.config import load_config
    from kiosk.consent import load_catalogue
    from kiosk.errors import ConfigError, KioskError

    try:
        config = load_config(args.config)
        consents = load_catalogue()
    except ConfigError as exc:
        print(f"{exc.message()}\n{exc.detail}", file=sys.stderr)
        return 2
    from kiosk.app import wiring
    from ui.application import build_kiosk, make_application
    from ui.sound import WavSpeaker

    app = make_application()
    try:
        devices, presence, probes = wiring.build_devices(config)
    except KioskError as exc:  # no reader, camera missing, bad key file …: say so, do not start half a kiosk
        print(f"{exc.message()}\n{exc.detail}", file=sys.stderr)
        return 2
    speaker = WavSpeaker()
    kiosk = build_kiosk(config, consents, devices, speaker, probes=probes, full_screen=not args.windowed)
    kiosk.runtime.watch_presence(presence)
    try:
        return int(app.exec())
    finally:
        speaker.close()
        kiosk.close()


# --- staff PIN ----------------------------------------------------------------------------------------------


def cmd_staff_pin_hash(args: argparse.Namespace) -> int:
    import getpass

    from kiosk.staff import STAFF_PIN_LENGTHS, hash_pin

    pin = getpass.getpass("staff PIN: ") if sys.stdin.isatty() else sys.stdin.readline().strip()
    shortest, longest = STAFF_PIN_LENGTHS
    if not pin.isdigit() or not shortest <= len(pin) <= longest:
        print("the staff PIN must be 4 to 8 digits", file=sys.stderr)
        return 2
    print(f'[staff]\npin_hash = "{hash_pin(pin)}"')
    return 0
