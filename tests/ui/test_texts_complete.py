"""Every patient text exists in every language and every character of it is in the face chosen for it.

Two ways a screen goes unreadable without any other test noticing: a string nobody translated (the screen
silently shows English or Japanese) and a character the chosen font lacks (Qt draws ☒, or falls back to a face
with the wrong glyph forms). Both are checked on the real translation files and the real installed fonts.
"""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QRawFont

from kiosk import screen_texts
from kiosk.consent import load_catalogue
from kiosk.screen_texts import (
    BUTTON_LABELS,
    CHOICE_LABELS,
    ERROR_TEXTS,
    FACE_HINTS,
    NOTICE_TEXTS,
    PHASE_TEXTS,
    STAFF_LABELS,
    VERDICT_TEXTS,
)
from ui.i18n import LANGUAGE_NAMES, Catalogue
from ui.textfmt import INVISIBLE, local_date, phrase_breaks
from ui.theme import FONT_FAMILIES, font_family
from ui.widgets.keypad import KEY_LABELS

pytestmark = pytest.mark.ui
LANGS = ("ja", "en", "zh", "ko")
SAME_EVERYWHERE = {"OK", "Android", "iPhone"}  # the same in Japanese as in English (brand names too)


def _keys() -> list[str]:
    keys = [t for texts in PHASE_TEXTS.values() for t in texts]
    for table in (ERROR_TEXTS, NOTICE_TEXTS, FACE_HINTS, BUTTON_LABELS, CHOICE_LABELS, STAFF_LABELS, VERDICT_TEXTS):
        keys += list(table.values())  # type: ignore[attr-defined]
    keys += [v for name, v in vars(screen_texts).items() if name.isupper() and isinstance(v, str)]
    return list(dict.fromkeys(keys))


def patient_strings(catalogue: Catalogue, lang: str) -> list[str]:
    """Everything a screen in `lang` can show in that language."""
    out = [catalogue.raw(lang, k) for k in _keys()]
    for item in load_catalogue().items.values():
        out += [item.title(lang), item.text(lang)]
    out += [*KEY_LABELS[lang], local_date(lang, "2027-01-16"), *LANGUAGE_NAMES.values()]
    return out


def translation_gaps(catalogue: Catalogue, lang: str) -> list[str]:
    """Texts of `lang` that are empty or read as the Japanese or English ones (so: not translated)."""
    gaps = []
    for key in _keys():
        text, ja = catalogue.raw(lang, key), catalogue.raw("ja", key)
        if lang == "en":
            bad = not text
        elif lang == "ja":
            bad = not text or (text == key and key not in SAME_EVERYWHERE)
        else:
            bad = not text or (text in (key, ja) and key not in SAME_EVERYWHERE)
        if bad:
            gaps.append(key)
    for item in load_catalogue().items.values():
        for part, table in (("title", item.titles), ("text", item.texts)):
            text = table.get(lang, "")
            if not text.strip() or (lang in ("zh", "ko") and text in (table.get("ja"), table.get("en"))):
                gaps.append(f"{item.item_id}.{part}")
    return gaps


def missing_glyphs(family: str, strings: list[str]) -> set[str]:
    font = QFont(family)
    font.setPixelSize(32)
    raw = QRawFont.fromFont(font)
    assert raw.isValid() and raw.familyName() == family, f"font {family} is not installed (make apt)"
    missing = set()
    for text in strings:
        for ch in text:
            if ch.isspace() or ch in INVISIBLE or unicodedata.category(ch) in ("Cc", "Cf"):
                continue
            # Both ways: the cmap has the character, and shaping it yields a real glyph (index 0 is the box).
            if not raw.supportsCharacter(ord(ch)) or 0 in raw.glyphIndexesForString(ch):
                missing.add(ch)
    return missing


def test_every_string_is_translated_in_every_language(catalogue: Catalogue) -> None:
    total = len(_keys()) + 2 * len(load_catalogue().items)
    report = {lang: translation_gaps(catalogue, lang) for lang in LANGS}
    for lang, gaps in report.items():
        print(f"strings {lang}: {total - len(gaps)}/{total} translated")
    assert not any(report.values()), {lang: gaps[:6] for lang, gaps in report.items() if gaps}


@pytest.mark.parametrize("lang", LANGS)
def test_chosen_font_has_every_glyph(catalogue: Catalogue, lang: str) -> None:
    family = font_family(lang)
    assert family == FONT_FAMILIES[lang][0], f"{lang}: {FONT_FAMILIES[lang][0]} missing, fell back to {family}"
    secondary = "ja" if lang == "en" else "en"  # shown beside the patient's language in the same face
    strings = patient_strings(catalogue, lang) + patient_strings(catalogue, secondary)
    missing = missing_glyphs(family, strings)
    print(f"missing glyphs {lang} ({family}): {len(missing)}")
    assert not missing, f"{family} lacks {''.join(sorted(missing))} ({lang})"


def test_the_missing_glyph_check_can_fail(qapp: object) -> None:
    """IPA Gothic (Japanese only) has no Simplified Chinese 这/们 nor Hangul: the check must see that."""
    if "IPAPGothic" not in QFontDatabase.families():
        pytest.fail("fonts-ipafont-gothic is part of the set-up (make apt)")
    assert {"这", "们"} <= missing_glyphs("IPAPGothic", ["这是我们的"])


def test_japanese_wraps_between_phrases_only() -> None:
    marked = phrase_breaks("ja", "カードはそのまま置いておいてください。")
    breaks = [i for i, c in enumerate(marked) if c == "\u200b"]
    assert breaks, "BudouX found no phrases"
    assert "置\u2060い\u2060て" in marked, "no break inside 置いて"
    assert phrase_breaks("zh", "请取回您的卡。") == "请取回您的卡。"


def test_dates_in_each_language() -> None:
    assert local_date("ja", "2027-01-16") == "2027年1月16日"
    assert local_date("ko", "2027-01-16") == "2027년 1월 16일"
    assert local_date("en", "2027-01-16") == "16 January 2027"
