"""The card-face reader end to end: rendered card → camera-like picture → OpenCV + Tesseract → 照合番号B."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from drivers.cardface.reader import CardFrontReader
from kiosk.app.cli import main
from kiosk.cardface import CardFront, verification_b
from kiosk.domain import Sex
from kiosk.errors import CardFaceUnreadable
from testbench.cardface.augment import generate, photograph, random_front
from testbench.cardface.evaluate import EvalReport, evaluate
from testbench.virtualcard.front import placeholder_photo, render_card_front

pytestmark = pytest.mark.slow  # OCR over generated card pictures

TODAY = date(2026, 1, 1)
CI_CARDS = 60  # 10 of each counter kind (augment.SURFACES); the same cards `cardface eval --n 60` reads


@pytest.fixture(scope="module")
def reader() -> CardFrontReader:
    return CardFrontReader()


def on_reader_surface(front: CardFront, angle: float = 0.0) -> np.ndarray:
    """A clean picture: the card flat on a dark surface, slightly turned."""
    card = cv2.cvtColor(np.asarray(render_card_front(front, placeholder_photo())), cv2.COLOR_RGB2BGR)
    scene = np.full((960, 1280, 3), 60, np.uint8)
    small = cv2.resize(card, (900, 568), interpolation=cv2.INTER_AREA)
    scene[196:764, 190:1090] = small
    m = cv2.getRotationMatrix2D((640, 480), angle, 1.0)
    return np.asarray(cv2.warpAffine(scene, m, (1280, 960), borderValue=(60, 60, 60)), np.uint8)


def test_clean_card_reads_exactly(reader: CardFrontReader) -> None:
    front = CardFront(
        "見本 太郎", "東京都千代田区霞が関1-1", date(1980, 2, 17), Sex.MALE, date(2030, 2, 17), "4821", False
    )
    reading = reader.read(on_reader_surface(front, 7.0), today=TODAY)
    assert reading.verification_b == verification_b(front) == "55021720304821"
    assert reading.reason == "ok" and reading.confidence >= reader.config.gate


def test_upside_down_card_reads_exactly(reader: CardFrontReader) -> None:
    front = CardFront(
        "見本 花子", "大阪府大阪市北区梅田1-2", date(1995, 11, 3), Sex.FEMALE, date(2031, 11, 3), "0390", False
    )
    reading = reader.read(on_reader_surface(front, 183.0), today=TODAY)
    assert reading.verification_b == "07110320310390"


@pytest.mark.parametrize(
    ("birth", "expiry", "foreign", "code", "expected"),
    [
        (date(2019, 11, 11), date(2029, 11, 11), False, "1111", "01111120291111"),  # 令和元年, repeated digits
        (date(1989, 1, 8), date(2031, 1, 8), False, "2000", "01010820312000"),  # 平成元年
        (date(1990, 10, 20), date(2028, 3, 31), True, "7007", "90102020287007"),  # 西暦, residence period
        (date(1988, 12, 10), date(2033, 12, 10), False, "5550", "63121020335550"),  # 昭和63年
    ],
)
def test_hard_dates_read_exactly(
    reader: CardFrontReader, birth: date, expiry: date, foreign: bool, code: str, expected: str
) -> None:
    front = CardFront("見本 一郎", "福岡県福岡市博多区1-1", birth, Sex.MALE, expiry, code, foreign)
    assert verification_b(front) == expected
    assert reader.read(on_reader_surface(front, -4.0), today=TODAY).verification_b == expected


FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"


def test_card_with_a_real_face_photo_reads_exactly(reader: CardFrontReader) -> None:
    """A photographed face (not the grey silhouette) in the photo box, card upside down."""
    face = Image.open(FIXTURES / "faces" / "face_recognition" / "biden.jpg").convert("RGB")
    front = CardFront("見本 三郎", "東京都港区1-1", date(1975, 4, 9), Sex.MALE, date(2032, 4, 9), "8130", False)
    card = cv2.cvtColor(np.asarray(render_card_front(front, face)), cv2.COLOR_RGB2BGR)
    scene = np.full((960, 1280, 3), 55, np.uint8)
    scene[200 : 200 + 568, 190 : 190 + 900] = cv2.resize(card, (900, 568), interpolation=cv2.INTER_AREA)
    scene = np.asarray(cv2.rotate(scene, cv2.ROTATE_180), np.uint8)
    assert reader.read(scene, today=TODAY).verification_b == "50040920328130"


def test_expired_card_is_not_used(reader: CardFrontReader) -> None:
    front = CardFront("見本 次郎", "京都府京都市1-1", date(1980, 2, 17), Sex.MALE, date(2030, 2, 17), "4821", False)
    reading = reader.read(on_reader_surface(front), today=date(2031, 1, 1))
    assert reading.verification_b is None and "card expired" in reading.reason


def test_picture_without_a_card_raises(reader: CardFrontReader) -> None:
    empty = np.full((960, 1280, 3), 70, np.uint8)
    with pytest.raises(CardFaceUnreadable):
        reader.read(empty, today=TODAY)
    noise = np.random.default_rng(1).integers(0, 255, (480, 640, 3), dtype=np.uint8)
    with pytest.raises(CardFaceUnreadable):
        reader.read(noise, today=TODAY)


def test_file_that_is_not_a_picture_raises(reader: CardFrontReader, tmp_path: Path) -> None:
    bad = tmp_path / "card.jpg"
    bad.write_bytes(b"not a jpeg")
    with pytest.raises(CardFaceUnreadable):
        reader.read(bad, today=TODAY)


def test_generator_is_deterministic() -> None:
    a = next(iter(generate(1, seed=5)))
    b = next(iter(generate(1, seed=5)))
    assert a.expected == b.expected and np.array_equal(a.image, b.image)
    c = next(iter(generate(1, seed=6)))
    assert not np.array_equal(a.image, c.image)
    fronts = [random_front(random.Random(i)) for i in range(300)]
    assert any(f.foreign_resident for f in fronts) and any(not f.foreign_resident for f in fronts)
    texts = [f.birth_text() for f in fronts]
    for era in ("平成元年", "令和元年", "昭和", "平成", "令和"):
        assert any(t.startswith(era) for t in texts), era
    image, what = photograph(render_card_front(fronts[0], placeholder_photo()), random.Random(0))
    assert image.shape == (960, 1280, 3) and "jpeg" in what


@pytest.fixture(scope="module")
def ci_report() -> EvalReport:
    """The eval on the first CI_CARDS cards of the seed-0 test set (the same cards as `cardface eval`)."""
    report = evaluate(CI_CARDS, seed=0)
    print(report.summary(), report.reasons)
    return report


def test_eval_on_ci_set_accepts_no_wrong_value_and_meets_target(ci_report: EvalReport) -> None:
    assert ci_report.n == CI_CARDS
    assert ci_report.exact + ci_report.rescan + ci_report.no_card + ci_report.wrong_accepted == CI_CARDS
    assert ci_report.wrong_accepted == 0
    per = ci_report.per_surface
    # floors a little under what this set measured (see GLARE_SCAN_FLOORS); glare that washes out the
    # printed lines is a re-scan, never a wrong value
    assert per["dark"]["exact"] == per["dark"]["n"]
    for kind in ("light", "patterned", "cluttered"):
        assert per[kind]["exact"] >= 0.85 * per[kind]["n"], (kind, per[kind])
    assert per["scan"]["exact"] >= 0.9 * per["scan"]["n"], per["scan"]
    assert ci_report.exact_pct >= 85.0


# Glare and flat scans were the weak counters (55 % and 58 % read before the plain-surface and straight-
# sides finders, the layout-fit ranking and the evened print): 24 cards of another seed, none wrong.
# Glare stays the weakest: where the spot washes out card and counter alike there is nothing to find.
GLARE_SCAN_FLOORS = {"glare": 3, "scan": 11}  # of 12 each; measured 4 and 12


def test_glare_and_scanner_cards_read_and_are_never_wrong() -> None:
    report = evaluate(24, seed=3, surfaces=("glare", "scan"))
    print(report.summary(), report.reasons)
    assert report.wrong_accepted == 0
    for kind, floor in GLARE_SCAN_FLOORS.items():
        assert report.per_surface[kind]["n"] == 12
        assert report.per_surface[kind]["exact"] >= floor, (kind, report.per_surface[kind])


def test_cli_read_masks_unless_revealed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    front = CardFront(
        "見本 太郎", "東京都千代田区霞が関1-1", date(1980, 2, 17), Sex.MALE, date(2030, 2, 17), "4821", False
    )
    path = tmp_path / "front.png"
    cv2.imwrite(str(path), on_reader_surface(front, 7.0))
    assert main(["cardface", "read", str(path), "--today", "2026-01-01"]) == 0
    out = capsys.readouterr().out
    assert "55****2030****" in out and "55021720304821" not in out
    assert main(["cardface", "read", str(path), "--today", "2026-01-01", "--json", "--reveal"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verification_b"] == "55021720304821" and data["rescan"] is False


def test_warm_up_loads_the_engines_of_every_worker_so_the_first_scan_loads_none(
        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    import os
    import threading

    from drivers.cardface.ocr import LineOcr

    created: list[str] = []
    original = LineOcr.__init__

    def counting(self: LineOcr, *args: object, **kwargs: object) -> None:
        created.append(threading.current_thread().name)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(LineOcr, "__init__", counting)
    reader = CardFrontReader()
    assert reader.warm_up() > 0
    assert len(created) == len(set(created)) == min(6, os.cpu_count() or 2)  # one set of engines per worker
    assert all(name.startswith("cardface-ocr") for name in created)
    created.clear()
    front = random_front(random.Random(7))
    reading = reader.read(on_reader_surface(front, 3.0), today=TODAY)
    assert reading.verification_b == verification_b(front) and created == []
