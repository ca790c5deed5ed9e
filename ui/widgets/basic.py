"""Small constructors so every label and button gets its style name the same way."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy


def label(name: str, text: str = "", align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(name)
    widget.setAlignment(align)
    widget.setWordWrap(True)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)  # no selection on a kiosk
    return widget


def button(text: str = "", name: str = "", role: str = "") -> QPushButton:
    widget = QPushButton(text)
    if name:
        widget.setObjectName(name)
    if role:
        widget.setProperty("role", role)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return widget
