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
    from kiosk.errors import ConfigError

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
    from ui.out_of_service import OutOfServiceWindow
    from ui.sound import WavSpeaker

    app = make_application()
    full_screen = not args.windowed
    out_of_service = OutOfServiceWindow()
    built = _build_until_ready(wiring, config, out_of_service, app.processEvents, full_screen)
    if built is None:
        return 2
    devices, presence, probes, warm_up, watch = built
    out_of_service.hide()
    speaker = WavSpeaker()
    watchdog = KioskWatchdog(SystemdNotifier())  # systemd: READY=1 at the attract screen, WATCHDOG=1 per beat
    metrics = KioskMetrics()  # counts only, for the clinic's IT (node_exporter textfile)

    def on_render(model: ScreenModel) -> None:
        watchdog.on_render(model)
        metrics.on_render(model)

    kiosk = build_kiosk(config, consents, devices, speaker, probes=probes, full_screen=full_screen,
                        on_render=on_render)
    kiosk.poster.frame.connect(metrics.on_frame)
    writer = MetricsWriter(metrics, Path(config.devices.data_dir), kiosk.runtime.counts.snapshot).start()
    warm_up.start()  # the attract screen is up: load the face models off the GUI thread before a patient comes
    kiosk.runtime.watch_presence(presence)
    phone_presence = wiring.phone_presence_source(config)
    if phone_presence is not None:  # presence on either reader starts a reception
        kiosk.runtime.watch_phone_presence(phone_presence)
    _watch_while_idle(kiosk, watch, out_of_service, full_screen)
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


RECHECK_S = 10.0  # out of service: how often to look again
IDLE_CHECK_S = 60.0  # in service: how often the attract screen re-runs the essential probes


def _build_until_ready(wiring: Any, config: Any, screen: Any, pump: Any, full_screen: bool) -> Any:
    """Build the devices and pass the essential probes; until then show the out-of-service screen with the
    reason and try again every RECHECK_S (a plugged-in reader or a started pcscd brings the kiosk up).
    Returns None only when interrupted."""
    import time

    from kiosk.app.health import HealthWatch
    from kiosk.errors import KioskError

    built = None
    while True:
        try:
            if built is None:
                built = wiring.build_devices(config)
            watch = HealthWatch(built[2])
            reasons = watch.wait(30.0, pump) or []
        except KioskError as exc:  # unwritable data dir, bad key file …: say so, never a traceback
            reasons = [f"{exc.code}: {exc.detail}" if exc.detail else exc.code]
        if not reasons and built is not None:
            return (*built, watch)
        print("休止中 / out of service: " + "; ".join(reasons), file=sys.stderr)
        screen.show_reasons(reasons, full_screen=full_screen)
        until = time.monotonic() + RECHECK_S
        try:
            while time.monotonic() < until:
                pump()
                time.sleep(0.05)
        except KeyboardInterrupt:
            return None


def _watch_while_idle(kiosk: Any, watch: Any, screen: Any, full_screen: bool) -> None:
    """On the attract screen, re-run the essential probes now and then; cover the kiosk with the
    out-of-service screen while one fails, and take it away once all pass."""
    import time

    from kiosk.flow_types import Phase
    from ui.out_of_service import every

    last = [time.monotonic()]

    def tick() -> None:
        if watch.running:
            return
        reasons = watch.reasons
        if reasons:
            screen.show_reasons(reasons, full_screen=full_screen)
        elif screen.isVisible():
            screen.hide()
        due = time.monotonic() - last[0] >= IDLE_CHECK_S
        if reasons or (due and kiosk.controller.state.phase is Phase.ATTRACT):
            last[0] = time.monotonic()
            watch.start()

    kiosk.window.health_timer = every(kiosk.window, RECHECK_S, tick)  # kept alive with the window


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
