"""Translations through Qt Linguist: one QTranslator per language, loaded from assets/i18n/kiosk_<lang>.qm.

The kiosk shows two languages at once (the patient's, and English or Japanese beside it), so instead of
installing a single application translator and waiting for LanguageChange, each screen asks this catalogue
for the text in the language it needs. The source text (English) is the fallback for a missing entry.
"""

from __future__ import annotations

import logging
from importlib import resources

from PySide6.QtCore import QTranslator

from kiosk.config import LANGUAGES
from kiosk.screens import Text
from ui.textfmt import local_param, phrase_breaks

log = logging.getLogger(__name__)
CONTEXT = "kiosk"


class Catalogue:
    def __init__(self, languages: tuple[str, ...] = LANGUAGES) -> None:
        self._translators: dict[str, QTranslator] = {}
        folder = resources.files("assets") / "i18n"
        for lang in languages:
            if lang == "en":
                continue  # English is the source language
            translator = QTranslator()
            with resources.as_file(folder / f"kiosk_{lang}.qm") as path:
                loaded = path.is_file() and translator.load(str(path))
            if loaded:
                self._translators[lang] = translator
            else:
                log.warning("no translation for %s; English is shown instead", lang)

    @property
    def languages(self) -> tuple[str, ...]:
        return ("en", *self._translators)

    def raw(self, lang: str, key: str) -> str:
        """The translation as written (no layout marks): for comparisons and speech."""
        translator = self._translators.get(lang)
        if translator is None:
            return key
        return translator.translate(CONTEXT, key) or key

    def tr(self, lang: str, key: str) -> str:
        return phrase_breaks(lang, self.raw(lang, key))

    def text(self, lang: str, text: Text) -> str:
        out = self.raw(lang, text.key)
        for name, value in text.params:
            out = out.replace("{" + name + "}", local_param(lang, name, value))
        return phrase_breaks(lang, out)


LANGUAGE_NAMES = {"ja": "日本語", "en": "English", "zh": "中文", "ko": "한국어"}
