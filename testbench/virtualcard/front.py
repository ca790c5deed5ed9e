"""Renders the printed front of a test My Number card (個人番号カード) with Pillow.

The picture follows the real card's arrangement (see drivers.cardface.layout): 氏名, 住所, the birth date
as printed (和暦 for nationals, 西暦 for foreign residents), 性別, the expiry line, the photo on the right
with the 4-digit セキュリティコード under it. Every card is marked "TEST CARD / テスト用" twice so that no
picture of it can pass for a real card. Text is set in IPA Gothic (Debian fonts-ipafont-gothic).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from drivers.cardface import layout
from kiosk.cardface import SEX_PRINTED, CardFront

FONT_PATH = Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")

INK = (34, 30, 36)
LABEL_INK = (96, 84, 98)
TEST_RED = (200, 16, 32)
PAPER_TOP = (251, 244, 246)
PAPER_BOTTOM = (238, 232, 240)
EXPIRY_TINT = (246, 236, 226)


@lru_cache(maxsize=32)
def card_font(px: int) -> ImageFont.FreeTypeFont:
    """IPA Gothic at `px`: the typeface of every field printed on a test card (also its chip records)."""
    if not FONT_PATH.exists():
        raise FileNotFoundError(f"{FONT_PATH} is missing: install the Debian package fonts-ipafont-gothic")
    return ImageFont.truetype(str(FONT_PATH), px)


def placeholder_photo(size: tuple[int, int] = (260, 330)) -> Image.Image:
    """A grey head-and-shoulders silhouette: the photo of a test card when no face is wanted."""
    w, h = size
    img = Image.new("RGB", size, (196, 200, 206))
    d = ImageDraw.Draw(img)
    grey = (118, 122, 130)
    d.ellipse((w * 0.30, h * 0.14, w * 0.70, h * 0.56), fill=grey)  # head
    d.ellipse((w * 0.08, h * 0.60, w * 0.92, h * 1.35), fill=grey)  # shoulders
    return img


def _vertical_gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    h = size[1]
    column = Image.new("RGB", (1, h))
    for y in range(h):
        t = y / max(1, h - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return column.resize(size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for ch in text:
        if font.getlength(current + ch) > width and current:
            lines.append(current)
            current = ch.lstrip()
        else:
            current += ch
    if current:
        lines.append(current)
    return lines[:max_lines]


def _fit(text: str, px: int, width: int) -> ImageFont.FreeTypeFont:
    """The largest font ≤ px that fits `text` into `width` (long names shrink, as on the real card)."""
    while px > 14 and card_font(px).getlength(text) > width:
        px -= 2
    return card_font(px)


def render_card_front(front: CardFront, photo: Image.Image, size: tuple[int, int] = layout.CARD_PX) -> Image.Image:
    """The printed front of `front` as an RGB image of `size` (default ≈ 300 dpi, ID-1 ratio)."""
    base = layout.CARD_PX
    card = _vertical_gradient(base, PAPER_TOP, PAPER_BOTTOM)
    d = ImageDraw.Draw(card)

    # faint guilloche-like background lines, as on the real card
    for i in range(0, base[0] + base[1], 26):
        d.line((i, 0, i - base[1], base[1]), fill=(244, 232, 238), width=2)

    x0, y0, *_ = layout.TITLE.px()
    d.text((x0, y0), "個人番号カード", font=card_font(40), fill=(120, 60, 110))
    d.text((x0 + 300, y0 + 16), "Individual Number Card", font=card_font(16), fill=LABEL_INK)

    box = layout.TEST_MARK.px()
    d.rectangle(box, outline=TEST_RED, width=4)
    d.text((box[0] + 14, box[1] + 12), "TEST CARD / テスト用", font=card_font(32), fill=TEST_RED)

    for label, where in (("氏名", layout.NAME_LABEL), ("住所", layout.ADDRESS_LABEL)):
        lx, ly, *_ = where.px()
        d.text((lx, ly), label, font=card_font(22), fill=LABEL_INK)

    nx0, ny0, nx1, _ = layout.NAME.px()
    d.text((nx0, ny0), front.name, font=_fit(front.name, 44, nx1 - nx0), fill=INK)

    ax0, ay0, ax1, _ = layout.ADDRESS.px()
    address_font = card_font(30)
    for i, line in enumerate(_wrap(front.address, address_font, ax1 - ax0, 2)):
        d.text((ax0, ay0 + i * 42), line, font=address_font, fill=INK)

    bx, by, *_ = layout.BIRTH.px()
    d.text((bx, by + 4), front.birth_text(), font=card_font(36), fill=INK)
    sx, sy, *_ = layout.SEX_LABEL.px()
    d.text((sx, sy), "性別", font=card_font(22), fill=LABEL_INK)
    gx, gy, *_ = layout.SEX.px()
    d.text((gx, gy + 4), SEX_PRINTED[front.sex], font=card_font(36), fill=INK)

    ex, ey, *_ = layout.EXPIRY_LABEL.px()
    d.text((ex, ey), "有効期限", font=card_font(18), fill=LABEL_INK)
    e = layout.EXPIRY.px()
    d.rectangle((e[0] - 8, e[1] - 6, e[2], e[3] + 6), fill=EXPIRY_TINT)
    d.text((e[0] + 4, e[1] + 8), front.expiry_text(), font=card_font(34), fill=INK)

    ix, iy, *_ = layout.ISSUER.px()
    d.text((ix, iy), "テスト市長　（見本）", font=card_font(22), fill=LABEL_INK)

    p = layout.PHOTO.px()
    card.paste(photo.convert("RGB").resize((p[2] - p[0], p[3] - p[1])), (p[0], p[1]))

    c = layout.CODE.px()
    code_font = card_font(36)
    cw = code_font.getlength(front.security_code)
    d.text(((c[0] + c[2] - cw) / 2, c[1] + 4), front.security_code, font=code_font, fill=INK)

    f = layout.FOOTER.px()
    d.rectangle(f, fill=(250, 226, 228))
    warning = "TEST CARD / テスト用 ― 本物のカードではありません"
    d.text((f[0] + 40, f[1] + 16), warning, font=card_font(30), fill=TEST_RED)

    return card if size == base else card.resize(size, Image.Resampling.LANCZOS)
