"""`myna-kiosk run` (the kiosk on the hardware named in its config) and `myna-kiosk staff-pin-hash`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.screens import ScreenModel


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
    from kiosk.app.metrics import KioskMetrics, MetricsWriter
    from kiosk.app.sdnotify import SystemdNotifier
    from kiosk.app.watchdog import KioskWatchdog
    from ui.application import build_kiosk, make_application
    from ui.heartbeat import start_heartbeat
    from ui.sound import WavSpeaker

    app = make_application()
    try:
        devices, presence, probes = wiring.build_devices(config)
    except KioskError as exc:  # no reader, camera missing, bad key file …: say so, do not start half a kiosk
        print(f"{exc.message()}\n{exc.detail}", file=sys.stderr)
        return 2
    speaker = WavSpeaker()
    watchdog = KioskWatchdog(SystemdNotifier())  # systemd: READY=1 at the attract screen, WATCHDOG=1 per beat
    metrics = KioskMetrics()  # counts only, for the clinic's IT (node_exporter textfile)

    def on_render(model: ScreenModel) -> None:
        watchdog.on_render(model)
        metrics.on_render(model)

    kiosk = build_kiosk(config, consents, devices, speaker, probes=probes, full_screen=not args.windowed,
                        on_render=on_render)
    kiosk.poster.frame.connect(metrics.on_frame)
    writer = MetricsWriter(metrics, Path(config.devices.data_dir), kiosk.runtime.counts.snapshot).start()
    kiosk.runtime.watch_presence(presence)
    heartbeat = start_heartbeat(watchdog.interval_s, watchdog.beat) if watchdog.enabled else None
    try:
        return int(app.exec())
    finally:
        watchdog.stopping()
        writer.stop()
        if heartbeat is not None:
            heartbeat.stop()
        speaker.close()
        kiosk.close()


# --- staff PIN ----------------------------------------------------------------------------------------------


def cmd_staff_pin_hash(args: argparse.Namespace) -> int:
    import getpass

    from kiosk.staff import hash_pin

    pin = getpass.getpass("staff PIN: ") if sys.stdin.isatty() else sys.stdin.readline().strip()
    if not pin.isdigit() or not 4 <= len(pin) <= 8:
        print("the staff PIN must be 4 to 8 digits", file=sys.stderr)
        return 2
    print(f'[staff]\npin_hash = "{hash_pin(pin)}"')
    return 0
