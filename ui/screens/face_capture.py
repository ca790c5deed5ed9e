"""Face capture: the live preview with the face box and the guidance text over it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.ports import PreviewFrame
from kiosk.screens import ScreenModel
from ui.i18n import Catalogue
from ui.screens.base import Screen
from ui.widgets.camera_view import CameraView


class FaceCaptureScreen(Screen):
    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(catalogue, parent)
        self.camera = CameraView()
        self.content.addWidget(self.camera, 1)

    def render_content(self, model: ScreenModel) -> None:
        hint = f"{self.t(model.face_hint)}\n{self.t2(model.face_hint)}" if model.face_hint else ""
        self.camera.set_overlay(model.face_box, hint, model.face_progress)
        if not model.camera:
            self.camera.clear()

    def show_frame(self, frame: PreviewFrame) -> None:
        if self.isVisible():
            self.camera.show_frame(frame)
