"""Where to hold the phone: the flat smartphone (汎用) reader beside the kiosk, with a phone lying on it.

Drawn with QPainter (like the card on the idle screen) so it scales; the picture shows the reader to the right
of the screen, where the facility's flat reader stands, and the phone laid flat over its centre mark.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from kiosk.screens import ScreenModel
from ui.i18n import Catalogue
from ui.screens.base import Screen


class PhoneIllustration(QWidget):
    """The kiosk's screen on the left, the flat reader on the right, a phone held flat over the reader."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("phone_picture")
        self.setFixedHeight(360)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        # the kiosk's own screen, small, to place the reader relative to it
        kiosk = QRectF(w * 0.08, h * 0.18, w * 0.28, h * 0.6)
        p.setPen(QPen(QColor("#829ab1"), 4))
        p.setBrush(QColor("#f0f4f8"))
        p.drawRoundedRect(kiosk, 12, 12)
        # the flat smartphone reader, with the NFC mark at its centre
        reader = QRectF(w * 0.5, h * 0.58, w * 0.36, h * 0.3)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#334e68"))
        p.drawRoundedRect(reader, 18, 18)
        centre = reader.center()
        p.setPen(QPen(QColor("#f0b429"), 5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        for r in (14.0, 28.0, 42.0):
            p.drawArc(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r), 30 * 16, 120 * 16)
        # the phone, screen up, held just above the reader's mark
        phone = QRectF(centre.x() - w * 0.06, h * 0.04, w * 0.12, h * 0.44)
        p.setPen(QPen(QColor("#0b5cad"), 5))
        p.setBrush(QColor("#e3f2fd"))
        p.drawRoundedRect(phone, 16, 16)
        p.setBrush(QColor("#0b5cad"))
        p.drawEllipse(QPointF(phone.center().x(), phone.bottom() - 18), 6, 6)
        # the arrow: bring it down onto the mark
        p.setPen(QPen(QColor("#0b5cad"), 8))
        x, top, tip = centre.x(), phone.bottom() + 8, reader.top() + 14
        p.drawLine(QPointF(x, top), QPointF(x, tip))
        p.drawLine(QPointF(x - 20, tip - 20), QPointF(x, tip))
        p.drawLine(QPointF(x + 20, tip - 20), QPointF(x, tip))
        font = QFont(self.font())
        font.setPixelSize(max(14, int(h * 0.07)))
        p.setFont(font)
        p.setPen(QColor("#f0f4f8"))
        p.drawText(reader.adjusted(0, reader.height() * 0.55, 0, 0), Qt.AlignmentFlag.AlignHCenter, "NFC")
        p.end()


class PhoneHoldScreen(Screen):
    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(catalogue, parent)
        self.picture = PhoneIllustration()
        self.content.addStretch(1)
        self.content.addWidget(self.picture)
        self.content.addStretch(1)

    def render_content(self, model: ScreenModel) -> None:
        self.picture.setVisible(model.phone_picture)
