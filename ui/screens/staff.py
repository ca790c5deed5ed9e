"""Staff panel and self-test. Counts only: nothing on these screens identifies a patient."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.screen_texts import UI_LABELS
from kiosk.screens import ScreenModel
from ui.i18n import Catalogue
from ui.screens.base import Screen
from ui.widgets.basic import label


class StaffScreen(Screen):
    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(catalogue, parent)
        self.table = QGridLayout()
        self.content.addLayout(self.table)
        self.content.addStretch(1)

    def render_content(self, model: ScreenModel) -> None:
        while self.table.count():
            item = self.table.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        row = 0
        left, right = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
        for name, ok, detail in model.self_test:
            self.table.addWidget(label("body", ("✔ " if ok else "✘ ") + self._label(model, name), left), row, 0)
            self.table.addWidget(label("body2", detail, right), row, 1)
            row += 1
        if model.counts:
            self.table.addWidget(label("body", self._label(model, "counts"), left), row, 0)
            summary = "  ".join(f"{self._label(model, m)} {n}" for m, n in model.counts)
            self.table.addWidget(label("body", summary, right), row, 1)
            row += 1
        if model.self_test:
            self.table.addWidget(label("body", self._label(model, "last_errors"), left), row, 0)
            self.table.addWidget(label("body2", ", ".join(model.last_errors) or "—", right), row, 1)

    def _label(self, model: ScreenModel, key: str) -> str:
        return self.cat.tr(model.lang, UI_LABELS.get(key, key))
