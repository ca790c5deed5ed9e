"""The kiosk's translations, read straight from the Qt Linguist sources assets/i18n/kiosk_<lang>.ts.

The texts themselves are one table, kiosk.screen_texts (English source, keyed by the core's enums); the
.ts files hold their ja/zh/ko translations and stay editable with Qt Linguist (`make i18n` refreshes them
from the table). Reading the XML here, with the standard library, lets the screens and the operator
commands share one route and keeps the core free of Qt. Like lrelease, an unfinished or empty translation
counts as missing, and a missing one falls back to the English source.
"""

from __future__ import annotations

import functools
import logging
import xml.etree.ElementTree as ElementTree
from importlib import resources

log = logging.getLogger(__name__)
CONTEXT = "kiosk"
SOURCE_LANG = "en"
_NOT_RELEASED = ("unfinished", "obsolete", "vanished")  # what lrelease leaves out


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """source text → translation for `lang` (empty for English, the source language, or a missing file)."""
    if lang == SOURCE_LANG:
        return {}
    try:
        data = (resources.files("assets") / "i18n" / f"kiosk_{lang}.ts").read_bytes()
        root = ElementTree.fromstring(data)  # noqa: S314 - the package's own file, not outside input
    except (OSError, ElementTree.ParseError) as exc:
        log.warning("no translation for %s (%s); English is shown instead", lang, type(exc).__name__)
        return {}
    table: dict[str, str] = {}
    for context in root.iter("context"):
        if context.findtext("name") != CONTEXT:
            continue
        for message in context.iter("message"):
            source, translation = message.findtext("source"), message.find("translation")
            if source is None or translation is None or translation.get("type") in _NOT_RELEASED:
                continue
            if translation.text:
                table[source] = translation.text
    return table


def has_translations(lang: str) -> bool:
    return bool(catalogue(lang))


def translate(lang: str, source: str) -> str:
    return catalogue(lang).get(source, source)
