"""The out-of-service screen: shown instead of the kiosk while an essential device is missing.

The patient reads a calm notice; the reason for staff (which device, what is wrong) is in small text below.
Nothing here is personal: the reasons come from kiosk.app.health's probes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

PATIENT_TEXT = ("ただいま休止中です。受付窓口にお越しください。\n"
                "This kiosk is out of service. Please go to the reception desk.")


class OutOfServiceWindow(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("マイナ受付 — 休止中 / out of service")
        self.setObjectName("out_of_service")
        layout = QVBoxLayout(self)
        self.notice = QLabel(PATIENT_TEXT)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.setWordWrap(True)
        font = self.notice.font()
        font.setPointSize(28)
        self.notice.setFont(font)
        self.staff = QLabel("")
        self.staff.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.staff.setWordWrap(True)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addStretch(1)
        layout.addWidget(self.staff)

    def show_reasons(self, reasons: list[str], *, full_screen: bool) -> None:
        self.staff.setText("職員向け / for staff:\n" + "\n".join(f"・{r}" for r in reasons))
        if full_screen:
            self.showFullScreen()
        else:
            self.show()
        self.raise_()


def every(parent: QWidget, seconds: float, tick: Callable[[], None]) -> QTimer:
    """A repeating timer owned by `parent` (the health watch on the attract screen)."""
    timer = QTimer(parent)
    timer.timeout.connect(tick)
    timer.start(int(seconds * 1000))
    return timer
