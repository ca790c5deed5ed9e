"""Deterministic test set for the card-face reader: rendered card fronts photographed badly on purpose.

Every sample is a random (but seeded) CardFront drawn by testbench.virtualcard.front, placed on a counter
the way a document camera above the reader sees it: rotated (a little, upside down or a quarter turn), in
perspective, blurred, with glare and shadow, sensor noise and JPEG compression. The counter is one of
`SURFACES` in turn: dark, light (a white counter), patterned (wood grain, tiles, cloth), cluttered (papers,
a pen, a receipt around the card), strong glare, or the flat image a document scanner gives (straight,
on a white bed or cropped to the card). The same seed gives the same pictures, byte for byte.
Nothing is written unless asked (`write_testset`); the photo is the grey placeholder silhouette.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from drivers.cardface import layout
from kiosk.cardface import CardFront, verification_b
from kiosk.domain import Sex
from testbench.cardface.legibility import print_contrast
from testbench.virtualcard.front import placeholder_photo, render_card_front

SCENE = (1280, 960)
SURFACES = ("dark", "light", "patterned", "cluttered", "glare", "scan")
REFERENCE_DAY = date(2026, 1, 1)  # "today" of the test set, fixed so the set never changes

SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "斎藤",
            "松本", "井上", "木村", "長谷川", "五十嵐", "見本")  # fmt: skip
GIVEN = ("太郎", "花子", "一郎", "美咲", "翔太", "陽菜", "健", "さくら", "大輔", "由美", "蓮", "結衣", "和子", "誠")
FOREIGN = ("SMITH JOHN", "NGUYEN VAN AN", "KIM MINJI", "GARCIA MARIA", "WANG LEI", "SILVA ANA PAULA")
PLACES = ("東京都千代田区霞が関", "大阪府大阪市北区梅田", "北海道札幌市中央区北一条西",
          "福岡県福岡市博多区博多駅前", "愛知県名古屋市中村区名駅", "沖縄県那覇市泉崎",
          "神奈川県横浜市西区みなとみらい", "京都府京都市左京区吉田本町")  # fmt: skip

# (first day, last day) of the birth-date ranges drawn from; the 元年 ranges are drawn on purpose.
BIRTH_RANGES = (
    (date(1926, 12, 25), date(1926, 12, 31)),  # 昭和元年
    (date(1927, 1, 1), date(1988, 12, 31)),  # 昭和
    (date(1989, 1, 8), date(1989, 12, 31)),  # 平成元年
    (date(1990, 1, 1), date(2019, 4, 30)),  # 平成
    (date(2019, 5, 1), date(2019, 12, 31)),  # 令和元年
    (date(2020, 1, 1), date(2024, 12, 31)),  # 令和
)
BIRTH_WEIGHTS = (1, 10, 2, 10, 2, 3)


@dataclass(frozen=True)
class Sample:
    """One picture of a card front and what it should read as."""

    index: int
    front: CardFront
    image: npt.NDArray[np.uint8]  # BGR, as a camera frame would be
    expected: str  # 照合番号B
    today: date
    distortions: str
    surface: str = "dark"
    print_contrast: float = float("inf")  # testbench.cardface.legibility: the weakest glyph's step to paper


def _random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _birthday_in(year: int, birth: date) -> date:
    try:
        return birth.replace(year=year)
    except ValueError:  # 2/29 in a common year
        return date(year, 2, 28)


def _expiry(rng: random.Random, birth: date, foreign: bool, today: date) -> date:
    """An expiry the validity rules allow and that has not passed on `today`."""
    if foreign and rng.random() < 0.5:  # residence period: any day
        return _random_day(rng, today + timedelta(days=30), today + timedelta(days=5 * 365))
    for _ in range(100):
        issued = _random_day(rng, max(birth, today - timedelta(days=9 * 365)), today)
        age = issued.year - birth.year - ((issued.month, issued.day) < (birth.month, birth.day))
        adult_age = 18 if issued >= date(2022, 4, 1) else 20
        years = 10 if age >= adult_age else 5
        if (issued.month, issued.day) >= (birth.month, birth.day):
            expiry = _birthday_in(issued.year + years, birth)
        else:
            expiry = _birthday_in(issued.year + years - 1, birth)
        if expiry >= today:
            return expiry
    return _birthday_in(today.year + 1, birth)


def random_front(rng: random.Random, today: date = REFERENCE_DAY) -> CardFront:
    first, last = rng.choices(BIRTH_RANGES, weights=BIRTH_WEIGHTS)[0]
    birth = _random_day(rng, first, min(last, today))
    foreign = rng.random() < 0.25
    name = rng.choice(FOREIGN) if foreign else f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
    address = f"{rng.choice(PLACES)}{rng.randint(1, 9)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号"
    if rng.random() < 0.4:
        address += f" テストハイツ{rng.randint(101, 909)}号室"
    sex = rng.choice((Sex.MALE, Sex.FEMALE))
    code = f"{rng.randint(0, 9999):04d}"
    return CardFront(name, address, birth, sex, _expiry(rng, birth, foreign, today), code, foreign)


def _rounded_alpha(size: tuple[int, int]) -> Image.Image:
    mask = Image.new("L", size, 0)
    radius = round(3.18 / layout.CARD_MM[0] * size[0])  # ID-1 corner radius
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=radius, fill=255)
    return mask


def _surface(kind: str, rng: random.Random, nr: np.random.Generator) -> npt.NDArray[np.float32]:
    """The counter under the card (BGR float)."""
    sw, sh = SCENE
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    if kind in ("dark", "glare") and (kind == "dark" or rng.random() < 0.5):
        base = rng.randint(35, 95)
    elif kind == "patterned":
        style = rng.choice(("wood", "tiles", "cloth"))
        if style == "wood":
            a = rng.uniform(0, np.pi)
            u = xx * np.cos(a) + yy * np.sin(a)
            grain = np.sin(u / rng.uniform(6, 18) + 3 * np.sin(u / 97.0 + yy / 233.0)) * rng.uniform(15, 35)
            tone = rng.uniform(110, 190)
            return (np.dstack([tone * 0.75 + grain, tone * 0.9 + grain, tone + grain])
                    + nr.normal(0, 4, (sh, sw, 1))).astype(np.float32)
        if style == "tiles":
            size = rng.randint(60, 160)
            grout = ((xx % size) < 4) | ((yy % size) < 4)
            tone = rng.uniform(150, 225)
            out = np.where(grout, tone - rng.uniform(40, 90), tone).astype(np.float32)
            return (np.dstack([out, out, out]) + nr.normal(0, 3, (sh, sw, 1))).astype(np.float32)
        check = ((xx // rng.randint(6, 14) + yy // rng.randint(6, 14)) % 2).astype(np.float32)
        tone = rng.uniform(90, 200)
        out = tone + (check - 0.5) * rng.uniform(20, 50)
        return (np.dstack([out * 0.9, out, out * 1.05]) + nr.normal(0, 4, (sh, sw, 1))).astype(np.float32)
    else:
        base = rng.randint(170, 238)  # a white or pale counter, as light as the card or lighter
    scene = np.full((sh, sw, 3), base, np.float32) + nr.normal(0, 4, (sh, sw, 1)).astype(np.float32)
    scene += np.array([rng.randint(-8, 8) for _ in range(3)], np.float32)
    scene += ((xx / sw - 0.5) * rng.uniform(-25, 25))[..., None]  # uneven room light
    return scene


def _clutter(scene: npt.NDArray[np.float32], rng: random.Random, keep_out: npt.NDArray[np.float32]) -> None:
    """Papers, a receipt, a pen and a coin around the card (drawn before it, so the card lies on top)."""
    sw, sh = SCENE
    x0, y0 = keep_out.min(axis=0)
    x1, y1 = keep_out.max(axis=0)
    canvas = scene
    for _ in range(rng.randint(3, 7)):
        w, h = rng.randint(120, 420), rng.randint(60, 300)
        x, y = rng.randint(-w // 2, sw - w // 2), rng.randint(-h // 2, sh - h // 2)
        if x < x1 and x + w > x0 and y < y1 and y + h > y0:
            continue  # would lie under the card: skip (a paper under the card is another test)
        kind = rng.random()
        colour = (rng.uniform(200, 250),) * 3 if kind < 0.6 else tuple(rng.uniform(20, 220) for _ in range(3))
        cv2.rectangle(canvas, (x, y), (x + w, y + h), colour, -1)
        if kind < 0.6:  # printed lines on the paper
            for ly in range(y + 12, y + h - 8, 14):
                cv2.line(canvas, (x + 10, ly), (x + w - rng.randint(10, 60), ly), (60, 60, 60), 2)
    for _ in range(rng.randint(1, 3)):
        cx, cy = rng.randint(0, sw), rng.randint(0, sh)
        if x0 - 40 < cx < x1 + 40 and y0 - 40 < cy < y1 + 40:
            continue
        a = rng.uniform(0, np.pi)
        dx, dy = int(90 * np.cos(a)), int(90 * np.sin(a))
        cv2.line(canvas, (cx - dx, cy - dy), (cx + dx, cy + dy), (30, 30, 120), 12)


def _scan(card: Image.Image, rng: random.Random) -> tuple[npt.NDArray[np.uint8], str]:
    """A document scanner's flat image at 300 dpi: evenly lit, the right way up or upside down, on the lid's
    white backing (which may be as light as the card's paper, and the card laid by hand a degree or two
    askew) or cropped exactly to the card; the scanner's slight softness and sensor noise, then JPEG."""
    nr = np.random.default_rng(rng.randrange(2**32))
    rgb = np.asarray(card.convert("RGB"))
    bgr: npt.NDArray[np.float32] = np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), np.float32)
    if rng.random() < 0.3:
        bgr = np.asarray(cv2.rotate(bgr, cv2.ROTATE_180), np.float32)
    done = ["scan"]
    if rng.random() < 0.5:
        margin = rng.randint(20, 120)
        ch, cw = bgr.shape[:2]
        size = (cw + 2 * margin, ch + 2 * margin)
        angle = rng.uniform(-2.0, 2.0)
        m = cv2.getRotationMatrix2D((cw / 2, ch / 2), angle, 1.0)
        m[:, 2] += margin
        placed = cv2.warpAffine(bgr, m, size, flags=cv2.INTER_LINEAR)
        alpha = cv2.warpAffine(np.asarray(_rounded_alpha(card.size), np.float32) / 255.0, m, size)[..., None]
        bed = np.full((size[1], size[0], 3), rng.randint(236, 252), np.float32)
        bgr = np.asarray(bed * (1 - alpha) + placed * alpha, np.float32)
        done.append(f"bed margin {margin}, rot {angle:.1f}°")
    else:
        done.append("cropped")
    sigma = rng.uniform(0.3, 0.8)
    soft = cv2.GaussianBlur(bgr, (0, 0), sigma) + nr.normal(0, rng.uniform(0.8, 2.0), bgr.shape)
    out = np.clip(soft, 0, 255).astype(np.uint8)
    done.append(f"blur {sigma:.1f}")
    quality = rng.randint(60, 95)
    ok, jpeg = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    done.append(f"jpeg q{quality}")
    return np.asarray(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), np.uint8), ", ".join(done)


def photograph(card: Image.Image, rng: random.Random, surface: str = "dark") -> tuple[npt.NDArray[np.uint8], str]:
    """The card as the document camera sees it, and a short description of what was done to it."""
    image, what, _ = _photograph(card, rng, surface)
    return image, what


def _photograph(card: Image.Image, rng: random.Random, surface: str) -> tuple[npt.NDArray[np.uint8], str, float]:
    """photograph(), and how legible it left the fields (testbench.cardface.legibility)."""
    if surface == "scan":
        return (*_scan(card, rng), float("inf"))  # evenly lit: nothing is washed out
    sw, sh = SCENE
    nr = np.random.default_rng(rng.randrange(2**32))
    scene = _surface(surface, rng, nr)

    turn = rng.choices((0.0, 180.0, 90.0, 270.0), weights=(70, 14, 8, 8))[0]
    angle = turn + rng.uniform(-15, 15)
    quarter = turn in (90.0, 270.0)
    width = rng.uniform(650, 820) if quarter else rng.uniform(700, 1000)
    height = width * layout.CARD_MM[1] / layout.CARD_MM[0]
    cx = sw / 2 + rng.uniform(-60, 60)
    cy = sh / 2 + rng.uniform(-40, 40)
    rect = np.array([[-width / 2, -height / 2], [width / 2, -height / 2], [width / 2, height / 2],
                     [-width / 2, height / 2]], np.float32)  # fmt: skip
    rect += nr.uniform(-0.035, 0.035, (4, 2)).astype(np.float32) * np.array([width, height], np.float32)
    theta = np.deg2rad(angle)
    rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]], np.float32)
    dst = (rect @ rot.T + np.array([cx, cy], np.float32)).astype(np.float32)
    cw, ch = card.size
    src = np.array([[0, 0], [cw - 1, 0], [cw - 1, ch - 1], [0, ch - 1]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    bgr = cv2.cvtColor(np.asarray(card.convert("RGB")), cv2.COLOR_RGB2BGR).astype(np.float32)
    warped = cv2.warpPerspective(bgr, m, (sw, sh), flags=cv2.INTER_LINEAR)
    alpha = cv2.warpPerspective(np.asarray(_rounded_alpha(card.size), np.float32) / 255.0, m, (sw, sh))[..., None]
    if surface == "cluttered":
        _clutter(scene, rng, dst)
    scene = scene * (1 - alpha) + warped * alpha
    done = [surface, f"rot {angle:.0f}°"]

    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    if rng.random() < 0.5:  # shadow: a soft-edged darker half-plane (a hand, the camera arm)
        a = rng.uniform(0, 2 * np.pi)
        edge = (xx - cx) * np.cos(a) + (yy - cy) * np.sin(a) - rng.uniform(-200, 200)
        depth = rng.uniform(0.2, 0.45)
        scene *= (1 - depth / (1 + np.exp(-edge / rng.uniform(20, 80))))[..., None]
        done.append(f"shadow {depth:.2f}")
    if surface == "glare" or rng.random() < 0.5:  # glare: a bright soft spot from the room light
        gx, gy = cx + rng.uniform(-width / 2, width / 2), cy + rng.uniform(-height / 2, height / 2)
        r = rng.uniform(40, 140) if surface != "glare" else rng.uniform(100, 260)
        strength = rng.uniform(30, 80) if surface != "glare" else rng.uniform(90, 170)
        scene += (strength * np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * r * r)))[..., None]
        done.append(f"glare {strength:.0f}")
    contrast = print_contrast(card, scene, np.asarray(m, np.float64))
    sigma = rng.choice((0.0, 0.6, 1.0, 1.4))
    if sigma:
        scene = np.asarray(cv2.GaussianBlur(scene, (0, 0), sigma), np.float32)
        done.append(f"blur {sigma}")
    scene += nr.normal(0, rng.uniform(1.5, 5.0), scene.shape).astype(np.float32)
    out = np.clip(scene, 0, 255).astype(np.uint8)
    quality = rng.randint(35, 90)
    ok, jpeg = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    done.append(f"jpeg q{quality}")
    return np.asarray(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), np.uint8), ", ".join(done), contrast


def generate(n: int, seed: int = 0, today: date = REFERENCE_DAY,
             surfaces: tuple[str, ...] = SURFACES) -> Iterator[Sample]:
    """`n` samples, the surfaces in turn; sample i depends only on (seed, i, surfaces), so a prefix of a
    bigger set is the smaller set."""
    photo = placeholder_photo()
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        front = random_front(rng, today)
        surface = surfaces[i % len(surfaces)]
        image, what, contrast = _photograph(render_card_front(front, photo), rng, surface)
        yield Sample(i, front, image, verification_b(front), today, what, surface, contrast)


def write_testset(directory: Path, n: int, seed: int = 0) -> Path:
    """Writes sample pictures and a labels.json (with the expected values: test data, not real cards)."""
    directory.mkdir(parents=True, exist_ok=True)
    labels = []
    for s in generate(n, seed):
        name = f"card_{s.index:04d}.jpg"
        cv2.imwrite(str(directory / name), s.image, [cv2.IMWRITE_JPEG_QUALITY, 95])
        labels.append(
            {"file": name, "expected": s.expected, "today": s.today.isoformat(), "distortions": s.distortions}
        )
    path = directory / "labels.json"
    path.write_text(json.dumps({"seed": seed, "samples": labels}, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
