"""The screens' translations: kiosk.translations (the .ts files of the one text table), per language.

The kiosk shows two languages at once (the patient's, and English or Japanese beside it), so instead of
installing a single application translator and waiting for LanguageChange, each screen asks this catalogue
for the text in the language it needs. The source text (English) is the fallback for a missing entry.
"""

from __future__ import annotations

import logging

from kiosk import translations
from kiosk.config import LANGUAGES
from kiosk.screens import Text

log = logging.getLogger(__name__)


class Catalogue:
    def __init__(self, languages: tuple[str, ...] = LANGUAGES) -> None:
        self._languages = tuple(
            lang for lang in languages if lang != translations.SOURCE_LANG and translations.has_translations(lang)
        )
        for lang in set(languages) - set(self._languages) - {translations.SOURCE_LANG}:
            log.warning("no translation for %s; English is shown instead", lang)

    @property
    def languages(self) -> tuple[str, ...]:
        return (translations.SOURCE_LANG, *self._languages)

    def tr(self, lang: str, key: str) -> str:
        return translations.translate(lang, key)

    def text(self, lang: str, text: Text) -> str:
        out = self.tr(lang, text.key)
        for name, value in text.params:
            out = out.replace("{" + name + "}", value)
        return out


LANGUAGE_NAMES = {"ja": "日本語", "en": "English", "zh": "中文", "ko": "한국어"}
