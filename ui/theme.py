"""Stylesheets: the normal kiosk look and a high-contrast, large-text one. Sizes are for touch (≥ 88 px)."""

from __future__ import annotations

from functools import lru_cache

KIOSK_SIZE = (800, 1280)  # portrait, like a 10-inch kiosk panel; the offscreen tests use the same

# The face each language is set in, best first (Debian fonts-noto-cjk, then fonts-ipafont-gothic / fonts-nanum).
# Han characters are drawn differently in Japan, China and Korea, so one "CJK" face cannot serve all three:
# Chinese in a Japanese face shows Japanese glyph forms, and IPA Gothic has no Simplified Chinese at all (☒).
# English screens carry Japanese beside them, so English uses the Japanese face (its Latin letters are fine).
FONT_FAMILIES: dict[str, tuple[str, ...]] = {
    "ja": ("Noto Sans CJK JP", "IPAPGothic", "IPAGothic"),
    "en": ("Noto Sans CJK JP", "IPAPGothic", "IPAGothic"),
    "zh": ("Noto Sans CJK SC",),
    "ko": ("Noto Sans CJK KR", "NanumGothic", "NanumBarunGothic"),
}


@lru_cache(maxsize=8)
def font_family(lang: str) -> str:
    """The installed family for `lang` (Qt must be running); the first choice if none is installed."""
    from PySide6.QtGui import QFontDatabase  # here, so that the stylesheets stay importable without a display

    installed = set(QFontDatabase.families())
    choices = FONT_FAMILIES.get(lang, FONT_FAMILIES["ja"])
    return next((family for family in choices if family in installed), choices[0])


_BASE = """
* {{ font-family: "{family}"; }}
QWidget#kiosk {{ background: {bg}; }}
QLabel {{ color: {fg}; }}
QLabel#title {{ font-size: {title}px; font-weight: bold; }}
QLabel#title2 {{ font-size: {title2}px; color: {muted}; }}
QLabel#body {{ font-size: {body}px; }}
QLabel#body2 {{ font-size: {body2}px; color: {muted}; }}
QLabel#notice {{ font-size: {body}px; background: {notice_bg}; color: {notice_fg}; padding: 16px;
    border-radius: 12px; }}
QLabel#alarm {{ font-size: {title}px; font-weight: bold; background: #c62828; color: white; padding: 24px; }}
QLabel#banner {{ font-size: {body2}px; background: #6a1b9a; color: white; padding: 10px; }}
QLabel#consent {{ font-size: {body}px; background: {panel}; padding: 18px; border-radius: 12px; }}
QLabel#meta {{ font-size: 14px; color: {muted}; }}
QPushButton {{ font-size: {button}px; min-height: 88px; border-radius: 16px; padding: 8px 18px;
    background: {btn}; color: {btn_fg}; border: 3px solid {btn_border}; }}
QPushButton[role="primary"] {{ background: {primary}; color: {primary_fg}; border-color: {primary}; }}
QPushButton[role="danger"] {{ background: #b71c1c; color: white; border-color: #b71c1c; }}
QPushButton[role="quiet"] {{ background: {bg}; color: {fg}; }}
QPushButton:disabled {{ background: {panel}; color: {muted}; border-color: {panel}; }}
QPushButton#key {{ font-size: {key}px; min-height: 88px; min-width: 120px; }}
QPushButton#keycmd {{ font-size: {button}px; min-height: 88px; min-width: 120px; padding: 4px 8px; }}
QPushButton#chrome {{ font-size: 22px; min-height: 64px; padding: 4px 12px; }}
QPushButton#chrome:checked {{ background: {primary}; color: {primary_fg}; }}
QLabel#pin {{ font-size: 48px; letter-spacing: 18px; background: {panel}; padding: 4px; border-radius: 12px; }}
QProgressBar {{ min-height: 24px; border: 2px solid {btn_border}; border-radius: 12px; background: {panel}; }}
QProgressBar::chunk {{ background: {primary}; border-radius: 10px; }}
"""

NORMAL = dict(
    bg="#f7f9fc", fg="#102a43", muted="#486581", panel="#e4ecf7", btn="#ffffff", btn_fg="#102a43",
    btn_border="#9fb3c8", primary="#0b5cad", primary_fg="#ffffff", notice_bg="#fff3c4", notice_fg="#5c4400",
    title=38, title2=24, body=27, body2=21, button=26, key=46,
)
HIGH_CONTRAST = dict(
    bg="#000000", fg="#ffffff", muted="#ffff00", panel="#1a1a1a", btn="#000000", btn_fg="#ffffff",
    btn_border="#ffffff", primary="#ffff00", primary_fg="#000000", notice_bg="#ffff00", notice_fg="#000000",
    title=44, title2=28, body=34, body2=26, button=32, key=56,  # title 44: a 16-character title fits one line
)


def stylesheet(high_contrast: bool, lang: str = "ja") -> str:
    return _BASE.format(family=font_family(lang), **(HIGH_CONTRAST if high_contrast else NORMAL))
