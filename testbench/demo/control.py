"""The GUI demo: the kiosk window plus a small control window to place/take the simulated card and to
choose what the simulated devices do (PIN-less card, certificate dates, face verdicts, backend outage)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from testbench.demo.fakes import FakeBackend, FakeCard, FakeScanner, ScriptedFaceVerifier
from testbench.demo.scenarios import DEMO_STAFF_PIN, DemoEnvironment, FakeEnvironment, demo_config, fake_probes

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from kiosk.config import KioskConfig


def run_gui_demo(label: str) -> int:
    from PySide6.QtWidgets import QCheckBox, QComboBox, QPushButton

    from kiosk.runtime_jobs import Devices
    from ui.application import make_application

    app = make_application()
    card, backend = FakeCard(delay_s=0.2), FakeBackend(delay_s=0.3)
    scanner, face = FakeScanner(delay_s=0.5), ScriptedFaceVerifier(frame_s=0.4)
    env = FakeEnvironment(Devices(card, scanner, face, backend), fake_probes())

    pin_less = QCheckBox("PIN-less card (顔認証マイナンバーカード)")
    pin_less.toggled.connect(lambda on: setattr(card, "pin", None if on else "1234"))
    unsupported = QCheckBox("not a My Number card")
    unsupported.toggled.connect(lambda on: setattr(card, "supported", not on))
    unregistered = QCheckBox("not registered for insurance use")
    unregistered.toggled.connect(lambda on: setattr(backend, "registered", not on))
    down = QCheckBox("backend down")
    down.toggled.connect(lambda on: setattr(backend, "down", on))
    unreadable = QCheckBox("card front unreadable")
    unreadable.toggled.connect(lambda on: setattr(scanner, "fail", on))
    cert = QComboBox()
    for text, days in [("certificate valid", 1500), ("expires in 40 days", 40), ("expired 10 days ago", -10),
                       ("expired 200 days ago", -200)]:  # fmt: skip
        cert.addItem(text, days)
    cert.currentIndexChanged.connect(lambda _: setattr(card, "cert_days_left", int(cert.currentData())))
    verdict = QComboBox()
    verdict.addItems(["accept", "retry", "reject", "liveness_failed"])
    verdict.currentTextChanged.connect(lambda v: setattr(face, "verdicts", [v]))
    tries = QPushButton("reset PIN tries to 3")
    tries.clicked.connect(lambda: setattr(card, "pin_tries", 3))
    return _run_with_control(app, demo_config(), env, "demo control (FAKE devices)", label,
                             [pin_less, unsupported, unregistered, down, unreadable, cert, verdict, tries])  # fmt: skip


def run_real_gui_demo(label: str) -> int:
    """The kiosk on the real parts, with a control window: place/take the virtual card, pick the card
    profile and the camera video, take the verification service down."""
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPushButton

    from testbench.demo.bench import VIDEOS, DemoBench
    from testbench.demo.real import RealEnvironment
    from testbench.virtualcard.profile import Variant
    from ui.application import make_application

    app = make_application()
    bench = DemoBench(demo_config())
    bench.real.warm_up.start()  # the face models load while the window comes up
    profile = QComboBox()
    profile.addItems([v.value for v in Variant])
    profile.currentTextChanged.connect(lambda v: setattr(bench, "variant", v))
    video = QComboBox()
    video.addItems(list(VIDEOS))
    video.currentTextChanged.connect(lambda v: setattr(bench, "video", v))
    down = QCheckBox("verification service down")
    down.toggled.connect(lambda on: bench.set_verifier_running(not on))
    reset = QPushButton("reset all card counters")
    reset.clicked.connect(bench.reset_cards)
    from testbench.virtualcard.phone import PhoneVariant

    phone = QComboBox()
    phone.addItems([v.value for v in PhoneVariant])
    hold = QPushButton("Hold phone / スマホをかざす")
    hold.clicked.connect(lambda: bench.hold_phone(phone.currentText()))
    take = QPushButton("Take phone away / スマホを離す")
    take.clicked.connect(bench.take_phone)
    try:
        return _run_with_control(
            app,
            bench.config,
            RealEnvironment(bench),
            "demo control",
            f"{label}\ncard PIN: 1234",
            [QLabel("card profile"), profile, QLabel("camera video"), video, down, reset,
             QLabel("phone on the smartphone reader (Android PIN: 1234)"), phone, hold, take],
        )
    finally:
        bench.close()


def _run_with_control(
    app: QApplication, config: KioskConfig, env: DemoEnvironment, title: str, label: str, controls: list[QWidget]
) -> int:
    """The kiosk window on `env`'s devices and card slot, and a control window: the label, place/take card
    buttons, then `controls`; runs the Qt loop until the windows close."""
    from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

    from kiosk.consent import load_catalogue
    from ui.application import build_kiosk
    from ui.sound import WavSpeaker

    speaker = WavSpeaker()
    kiosk = build_kiosk(config, load_catalogue(), env.devices, speaker, probes=env.probes)
    kiosk.runtime.watch_presence(env)
    if hasattr(env, "subscribe_phone"):  # the real bench's smartphone reader
        from testbench.demo.scenarios import PhoneSlot

        kiosk.runtime.watch_phone_presence(PhoneSlot(env))

    control = QWidget()
    control.setWindowTitle(title)
    layout = QVBoxLayout(control)
    layout.addWidget(QLabel(f"{label}\nstaff PIN: {DEMO_STAFF_PIN} (tap the top-left corner 5 times)"))
    insert, remove = QPushButton("Place card / カードを置く"), QPushButton("Take card / カードを取る")
    insert.clicked.connect(lambda: env.insert())
    remove.clicked.connect(lambda: env.remove())
    for widget in (insert, remove, *controls):
        layout.addWidget(widget)
    _fit_to_screen(app, kiosk.window, control)
    control.show()
    wake = quit_on_signals(app)
    app.setQuitOnLastWindowClosed(True)  # the demo, unlike the kiosk, ends when its windows are closed
    try:
        return int(app.exec())
    finally:
        app.setQuitOnLastWindowClosed(False)
        wake.stop()
        speaker.close()
        kiosk.close()


def _fit_to_screen(app: QApplication, window: QWidget, control: QWidget) -> None:
    """The portrait kiosk window scaled down to fit the screen (800×1280 does not fit a 1080p one), at the
    screen's left edge; the control window to its right, never over the staff corner (top left)."""
    from ui.theme import KIOSK_SIZE

    screen = app.primaryScreen().availableGeometry()
    width, height = KIOSK_SIZE
    scale = min(1.0, screen.height() * 0.92 / height, screen.width() * 0.65 / width)
    window.resize(int(width * scale), int(height * scale))
    window.move(screen.x(), screen.y())
    control.adjustSize()
    control.move(screen.x() + window.frameGeometry().width() + 16, screen.y())


def quit_on_signals(app: QApplication) -> QTimer:
    """Ctrl-C and SIGTERM end the Qt loop, so that every `finally` runs (pcscd, the verifier and the virtual
    card are stopped). Python runs signal handlers only between bytecodes, and inside app.exec() none run:
    a timer wakes the interpreter five times a second. Keep the returned timer."""
    import signal

    from PySide6.QtCore import QTimer

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: app.quit())
    timer = QTimer()
    timer.timeout.connect(lambda: None)
    timer.start(200)
    return timer
