"""testbench.virtualcard.front: the printed card front renderer."""

from __future__ import annotations

from datetime import date

import numpy as np
from PIL import Image, ImageChops, ImageStat

from drivers.cardface import layout
from kiosk.cardface import CardFront
from kiosk.domain import Sex
from testbench.virtualcard.front import TEST_RED, placeholder_photo, render_card_front


def make_front(code: str = "1234", *, foreign: bool = False) -> CardFront:
    return CardFront(
        "見本 花子", "東京都港区テスト町1-2-3", date(1990, 6, 5), Sex.FEMALE, date(2032, 6, 5), code, foreign
    )


def red_pixels(img: Image.Image, box: layout.Box) -> int:
    a = np.asarray(img.crop(box.px(img.size))).astype(int)
    near_red = (abs(a[..., 0] - TEST_RED[0]) < 40) & (a[..., 1] < 80) & (a[..., 2] < 90)
    return int(near_red.sum())


def test_size_is_id1_ratio() -> None:
    img = render_card_front(make_front(), placeholder_photo())
    assert img.size == layout.CARD_PX and img.mode == "RGB"
    assert abs(img.size[0] / img.size[1] - 85.6 / 54.0) < 0.01
    assert render_card_front(make_front(), placeholder_photo(), size=(505, 319)).size == (505, 319)


def test_test_card_marking_is_visible() -> None:
    img = render_card_front(make_front(), placeholder_photo())
    assert red_pixels(img, layout.TEST_MARK) > 500
    assert red_pixels(img, layout.FOOTER) > 1500


def test_photo_sits_on_the_right() -> None:
    black = Image.new("RGB", (260, 330), (0, 0, 0))
    img = render_card_front(make_front(), black)
    inner = layout.PHOTO.pad(-0.01, -0.01)
    assert max(ImageStat.Stat(img.crop(inner.px())).mean) < 5


def test_security_code_and_birth_change_the_right_regions() -> None:
    a = render_card_front(make_front("1234"), placeholder_photo())
    b = render_card_front(make_front("9876"), placeholder_photo())
    diff = ImageChops.difference(a, b).getbbox()
    assert diff is not None
    x0, y0, x1, y1 = layout.CODE.pad(0.02, 0.01).px()
    assert x0 <= diff[0] and y0 <= diff[1] and diff[2] <= x1 and diff[3] <= y1

    c = render_card_front(make_front(foreign=True), placeholder_photo())
    diff = ImageChops.difference(a, c).getbbox()
    assert diff is not None
    x0, y0, x1, y1 = layout.BIRTH.pad(0.01, 0.01).px()
    assert x0 <= diff[0] and y0 <= diff[1] and diff[2] <= x1 and diff[3] <= y1


def test_card_on_a_bed_as_light_as_its_paper_is_found_exactly() -> None:
    """A flatbed scan whose lid is the card paper's own grey: no brightness step at the card's edge, only
    its tint and print differ from the bed."""
    import cv2

    from drivers.cardface.plain import card_on_plain

    card = cv2.cvtColor(np.asarray(render_card_front(make_front(), placeholder_photo())), cv2.COLOR_RGB2BGR)
    margin = 60
    bed = np.full((card.shape[0] + 2 * margin, card.shape[1] + 2 * margin, 3), 241, np.uint8)
    bed[margin:-margin, margin:-margin] = card
    grey = cv2.cvtColor(bed, cv2.COLOR_BGR2GRAY)
    found = card_on_plain(grey, bed)
    assert len(found) == 1
    h, w = card.shape[:2]
    expected = np.array([[margin, margin], [margin + w - 1, margin], [margin + w - 1, margin + h - 1],
                         [margin, margin + h - 1]], np.float32)  # fmt: skip
    assert float(np.abs(found[0] - expected).max()) <= 4.0
    assert card_on_plain(grey[margin:-margin, margin:-margin], card) == []  # cropped to the card: no bed
