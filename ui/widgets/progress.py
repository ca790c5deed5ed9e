"""Progress for waits: an animated busy bar (Qt animates an indeterminate QProgressBar) and a stage label."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar, QVBoxLayout, QWidget

from ui.widgets.basic import label


class BusyIndicator(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.stage = label("body2")
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.stage)

    def set_state(self, busy: bool, step: tuple[int, int] | None) -> None:
        self.setVisible(busy or step is not None)
        if busy:
            self.bar.setRange(0, 0)  # indeterminate: the style animates it
        elif step is not None:
            self.bar.setRange(0, step[1])
            self.bar.setValue(step[0])
        self.stage.setText(f"{step[0]} / {step[1]}" if step else "")
