"""QApplication setup and the wiring of window, runtime and controller for one kiosk.

Kiosk hardening lives here: full screen, hidden cursor, no context menus. Fonts: the Japanese face by
default (Qt would otherwise pick a Chinese face for some kanji); ui.theme picks each language's face."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QMessageLogContext, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QCursor, QFont, QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.config import KioskConfig
from kiosk.consent import ConsentCatalogue
from kiosk.flow import initial_state
from kiosk.flow_effects import Effect
from kiosk.flow_events import Event
from kiosk.flow_types import FlowState, Settings
from kiosk.runtime import KioskController, Probe, Runtime, Speaker
from kiosk.runtime_jobs import Devices
from kiosk.screens import ScreenModel
from kiosk.staff import DailyCounts, StaffGate, staff_state_path
from ui.i18n import Catalogue
from ui.main_window import MainWindow
from ui.qt_runtime import Poster, QtTimers, connect_window
from ui.theme import font_family


def _quiet_offscreen(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if "propagateSizeHints" in message:  # the offscreen plugin says this for every window; it means nothing
        return
    sys.stderr.write(message + "\n")


def make_application(argv: list[str] | None = None) -> QApplication:
    qInstallMessageHandler(_quiet_offscreen)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    # The kiosk ends on SIGTERM (systemd) or its own shutdown, never because a window closed: Qt's automatic
    # Quit, posted when the last window goes, would arrive after app.exec() had ended and leave every later
    # event loop of the process returning at once (the test bench runs many kiosks in one process).
    app.setQuitOnLastWindowClosed(False)
    app.setFont(QFont(font_family("ja"), 12))  # each screen then sets its language's face (ui.theme)
    return app


@dataclass
class KioskUi:
    window: MainWindow
    runtime: Runtime
    controller: KioskController
    poster: Poster
    timers: QtTimers

    def dispatch(self, event: Event) -> None:
        self.controller.dispatch(event)

    def close(self) -> None:
        self.runtime.shutdown()
        self.timers.cancel_all()
        self.poster.close()
        self.window.close()


def build_kiosk(
    config: KioskConfig,
    consents: ConsentCatalogue,
    devices: Devices,
    speaker: Speaker,
    probes: Mapping[str, Probe] | None = None,
    on_step: Callable[[Event, FlowState, list[Effect]], None] | None = None,
    on_render: Callable[[ScreenModel], None] | None = None,
    full_screen: bool = False,
) -> KioskUi:
    """Everything for one kiosk on the GUI thread; call `make_application()` first."""
    catalogue = Catalogue()
    window = MainWindow(catalogue)
    holder: list[KioskController] = []
    poster = Poster(lambda event: holder[0].dispatch(event))
    timers = QtTimers(poster.post)
    staff_gate = StaffGate(config.staff.pin_hash, config.staff.max_failures, config.staff.lockout_s,
                           state_path=staff_state_path(config.devices.data_dir))
    runtime = Runtime(
        devices, consents, poster.post, timers, speaker, staff_gate,
        counts=DailyCounts(), probes=probes, preview=poster.post_frame,
    )  # fmt: skip
    window.photo_source = runtime.chip_photo_preview
    state = initial_state(Settings(config=config, consents=consents))

    def render(model: ScreenModel) -> None:
        window.show_model(model)
        if on_render is not None:
            on_render(model)

    controller = KioskController(state, runtime, render, on_step)
    holder.append(controller)
    connect_window(window, controller.dispatch, poster)
    window.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    if full_screen:
        QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
        window.showFullScreen()
    else:
        window.show()
    controller.start()
    return KioskUi(window, runtime, controller, poster, timers)
