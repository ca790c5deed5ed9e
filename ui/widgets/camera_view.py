"""Live preview: paints the latest frame, the face box and the guidance text on top. Frames arrive as
PreviewFrame values through a queued signal; nothing here keeps more than the latest one."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ports import FaceBox, PreviewFrame


class CameraView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._box: FaceBox | None = None
        self._hint = ""
        self._progress = 0.0
        self.setMinimumSize(480, 360)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_frame(self, frame: PreviewFrame) -> None:
        # copy(): the QImage must own its pixels once the frame's bytes are gone
        self._image = QImage(frame.rgb, frame.width, frame.height, frame.width * 3, QImage.Format.Format_RGB888).copy()
        self.update()

    def set_overlay(self, box: FaceBox | None, hint: str, progress: float) -> None:
        self._box, self._hint, self._progress = box, hint, progress
        self.update()

    def clear(self) -> None:
        self._image = None
        self._box = None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect())
        p.fillRect(area, QColor("#1b2631"))
        if self._image is not None:
            p.drawImage(area, self._image)  # stretched to the view; the box uses the same fractions
        guide = QRectF(area.width() * 0.3, area.height() * 0.15, area.width() * 0.4, area.height() * 0.65)
        p.setPen(QPen(QColor(255, 255, 255, 160), 4, Qt.PenStyle.DashLine))
        p.drawEllipse(guide)  # where the face should be
        if self._box is not None:
            b = self._box
            rect = QRectF(area.width() * b.x, area.height() * b.y, area.width() * b.w, area.height() * b.h)
            p.setPen(QPen(QColor("#00e676"), 6))
            p.drawRect(rect)
        if self._hint:
            band = QRectF(0, area.height() - 110, area.width(), 110)
            p.fillRect(band, QColor(0, 0, 0, 170))
            p.setPen(QColor("white"))
            font = QFont(self.font())
            font.setPixelSize(30)
            p.setFont(font)
            p.drawText(band, Qt.AlignmentFlag.AlignCenter, self._hint)
        if self._progress > 0:
            p.fillRect(QRectF(0, 0, area.width() * min(self._progress, 1.0), 10), QColor("#00e676"))
        p.end()
