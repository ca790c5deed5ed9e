"""A consent screen: the facility's text, where the patient is among the questions ("Question 2 of 5", in both
languages), the choices below it. The text's id and version go into the result, not onto the screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from kiosk.screens import ScreenModel
from ui.i18n import Catalogue
from ui.screens.base import Screen
from ui.textfmt import phrase_breaks
from ui.widgets.basic import label


class ConsentScreen(Screen):
    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(catalogue, parent)
        self.item_title = label("title")
        self.item_title2 = label("title2")
        self.text = label("consent", align=Qt.AlignmentFlag.AlignLeft)
        self.text2 = label("body2", align=Qt.AlignmentFlag.AlignLeft)
        self.meta = label("meta", align=Qt.AlignmentFlag.AlignRight)
        inner = QWidget()
        box = QVBoxLayout(inner)
        for widget in (self.item_title, self.item_title2, self.text, self.text2, self.meta):
            box.addWidget(widget)
        box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.viewport().setAutoFillBackground(False)
        inner.setAutoFillBackground(False)
        scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        self.content.addWidget(scroll, 1)

    def render_content(self, model: ScreenModel) -> None:
        view = model.consent
        if view is None:
            return
        self.title.setVisible(False)
        self.title2.setVisible(False)
        self.item_title.setText(phrase_breaks(view.lang_shown, view.title))
        self.text.setText(phrase_breaks(view.lang_shown, view.text))
        second = view.lang_shown != "en" and view.text_en != view.text
        self.item_title2.setText(view.title_en if second else "")
        self.text2.setText(view.text_en if second else "")
        self.item_title2.setVisible(second)
        self.text2.setVisible(second)
        self.meta.setText(f"{self.t(view.step)} / {self.t2(view.step)}")
