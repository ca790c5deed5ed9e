"""How a translated text is laid out for its language: dates in the local style, line breaks only between
phrases (Japanese) or words (Korean).

Qt wraps CJK text between any two characters, so 「置いて／ください」 or 「切れていま／す」 could be split over
two lines. Qt has no `word-break: keep-all`; instead every character inside a phrase is glued to the next
with U+2060 WORD JOINER (no break allowed, no width) and phrases are separated by U+200B ZERO WIDTH SPACE (a
break allowed). Japanese phrases come from BudouX (Google's phrase segmenter, on PyPI). Korean is written
with spaces between words and Qt already breaks it only there; Chinese breaks between any two characters,
which is its convention. Both are left alone.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import budoux

WORD_JOINER = "\u2060"
ZERO_WIDTH_SPACE = "\u200b"
INVISIBLE = frozenset({WORD_JOINER, ZERO_WIDTH_SPACE})
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")  # fmt: skip


@lru_cache(maxsize=1)
def _japanese_parser() -> budoux.Parser:
    return budoux.load_default_japanese_parser()


def plain(text: str) -> str:
    """The text without the invisible break marks (for comparisons and speech)."""
    return "".join(c for c in text if c not in INVISIBLE)


def _glue(phrase: str) -> str:
    # No joiner around newlines or spaces: those stay ordinary break points.
    out = []
    for i, c in enumerate(phrase):
        out.append(c)
        nxt = phrase[i + 1] if i + 1 < len(phrase) else ""
        if nxt and not c.isspace() and not nxt.isspace():
            out.append(WORD_JOINER)
    return "".join(out)


@lru_cache(maxsize=4096)
def phrase_breaks(lang: str, text: str) -> str:
    """`text` marked so that it wraps only between phrases (ja); other languages unchanged."""
    if lang == "ja":
        lines = []
        for line in text.split("\n"):
            phrases = _japanese_parser().parse(line) if line else []
            lines.append(ZERO_WIDTH_SPACE.join(_glue(p) for p in phrases))
        return "\n".join(lines)
    return text  # Korean: Qt already breaks only at its spaces; Chinese: anywhere is the convention


def local_date(lang: str, value: str) -> str:
    """An ISO date (2027-01-16) as people write it: 2027年1月16日 (ja, zh), 2027년 1월 16일, 16 January 2027."""
    match = _ISO_DATE.match(value)
    if match is None:
        return value
    d = date(int(match[1]), int(match[2]), int(match[3]))
    if lang in ("ja", "zh"):
        return f"{d.year}年{d.month}月{d.day}日"
    if lang == "ko":
        return f"{d.year}년 {d.month}월 {d.day}일"
    return f"{d.day} {_EN_MONTHS[d.month - 1]} {d.year}"


def local_param(lang: str, name: str, value: str) -> str:
    return local_date(lang, value) if name == "date" else value
