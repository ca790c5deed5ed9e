"""Staff panel and self-test. Counts only: nothing on these screens identifies a patient."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.screens import ScreenModel
from ui.i18n import Catalogue
from ui.screens.base import Screen
from ui.widgets.basic import clear_widgets, label


class StaffScreen(Screen):
    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(catalogue, parent)
        self.table = QGridLayout()
        self.content.addLayout(self.table)
        self.content.addStretch(1)

    def render_content(self, model: ScreenModel) -> None:
        clear_widgets(self.table)
        left, right = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
        for row, line in enumerate(model.staff_rows):
            mark = "" if line.ok is None else "✔ " if line.ok else "✘ "
            value = line.value
            if line.status is not None:
                value = f"{self.t(line.status)}  {value}".strip()
            if line.counts:
                value = "  ".join(f"{self.t(method)} {n}" for method, n in line.counts)
            self.table.addWidget(label("body", mark + self.t(line.label), left), row, 0)
            self.table.addWidget(label("body2" if line.counts == () else "body", value, right), row, 1)
