"""Reads 照合番号B from a picture of the card front: locate, rectify, OCR three fields, vote, check, gate.

Each field (printed birth date, expiry line, security code) is cropped from the rectified card by the
layout and read glyph-counted (drivers.cardface.glyphs, .dates) in up to ten differently prepared versions
(scale 0.7–1.8, plain contrast-stretched, divided by a blurred background to even out glare and
shadow, print evened to one contrast, sharpened) until two agree confidently. A field's text is kept
only with a clear majority (see `_vote`); then the fields must pass every plausibility check
(kiosk.cardface.cross_check) and the weakest agreeing character's confidence must clear the gate.
Anything else is "re-scan": a wrong 照合番号B would spend one of the card's few tries, a re-scan costs the
patient a second. The locator's outlines are rectified both ways up and read in order of how well they
show the fields' print (drivers.cardface.fit) until one is legible (glare can fool the which-way-up
guess, and give outlines that are not the card).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from drivers.cardface import layout
from drivers.cardface.dates import read_date_line
from drivers.cardface.fit import layout_fit
from drivers.cardface.glyphs import paper_divided, read_digit_line
from drivers.cardface.locate import GreyImage, card_candidates, faint_candidates, load_image, rectify_both, to_grey
from drivers.cardface.ocr import LineOcr
from drivers.cardface.outline import Corners
from kiosk.cardface import (
    CardFrontFields,
    CardFrontReading,
    cross_check,
    format_expiry,
    parse_birth_text,
    parse_expiry_text,
    verification_b,
)
from kiosk.errors import CardFaceUnreadable

log = logging.getLogger(__name__)

Prepare = Callable[[GreyImage], GreyImage]
Read = Callable[[GreyImage], tuple[str | None, float]]  # a prepared field's text (None: not legible), confidence


MAX_OUTLINES = 5  # card outlines the locator's pool gives that are rectified (each both ways up)
MAX_READS = 3  # of those rectified versions, read in order of their layout fit until one is legible
MAX_FAINT_OUTLINES = 10  # of the second look's outlines (drivers.cardface.locate.faint_candidates)


@dataclass(frozen=True)
class ReaderConfig:
    """`gate`: the lowest character confidence (0..1) a value may rest on."""

    gate: float = 0.75
    min_agree: int = 2  # prepared versions that must give the same text (and none a different one)
    # The second look (later and faint outlines, three-sided ones) raised the reads on glare and light
    # counters, but gave one wrong security code (a last digit 5 read as 4) on a held-out glare card: off
    # until its outlines' readings are gated harder.
    second_look: bool = False


def _stretch(crop: GreyImage) -> GreyImage:
    lo, hi = np.percentile(crop, (2, 98))
    if hi - lo < 1:
        return crop
    out: GreyImage = np.clip((crop.astype(np.float32) - lo) * (255.0 / (hi - lo)), 0, 255).astype(np.uint8)
    return out


def _scaled(crop: GreyImage, factor: float) -> GreyImage:
    if factor == 1.0:
        return crop
    method = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    return np.asarray(cv2.resize(crop, None, fx=factor, fy=factor, interpolation=method), np.uint8)


def _flatten(crop: GreyImage) -> GreyImage:
    """Divide by a blurred background: removes glare and shadow gradients."""
    background = cv2.GaussianBlur(crop, (0, 0), sigmaX=15)
    return np.asarray(cv2.divide(crop, background, scale=220), np.uint8)


def _plain(factor: float) -> Prepare:
    return lambda crop: _stretch(_scaled(crop, factor))


def _flat(factor: float) -> Prepare:
    return lambda crop: _stretch(_scaled(_flatten(crop), factor))


# Tesseract's errors depend on scale and lighting; the same mistake from two differently prepared
# versions is rare. Versions are read in this order until two agree.
def _sharp(factor: float) -> Prepare:
    """Flattened, enlarged and unsharp-masked: gives blurred digits (0 against 8) their edges back."""

    def prepare(crop: GreyImage) -> GreyImage:
        big = _scaled(_flatten(crop), factor)
        soft = cv2.GaussianBlur(big, (0, 0), sigmaX=1.5 * factor)
        return _stretch(np.asarray(cv2.addWeighted(big, 1.8, soft, -0.8, 0), np.uint8))

    return prepare


def _even(factor: float) -> Prepare:
    """Flattened, then each stretch of print darkened to the same contrast: glare adds light to print and
    paper alike, so print under a glare spot is faint grey, and a global threshold breaks its thin strokes
    (月 in two) or loses it. Where there is no print nearby (little darkness) nothing is amplified."""

    def prepare(crop: GreyImage) -> GreyImage:
        flat, k = paper_divided(_scaled(crop, factor))
        dark = 255.0 - flat.astype(np.float32)
        local = cv2.GaussianBlur(cv2.dilate(dark, np.ones((k, k), np.uint8)), (0, 0), k)
        return np.asarray(np.clip(255.0 - dark * (200.0 / np.maximum(local, 40.0)), 0, 255), np.uint8)

    return prepare


PREPARATIONS: tuple[Prepare, ...] = (
    _flat(1.4), _flat(1.0),  # most cards stop after two
    _even(1.4), _even(1.0),  # for glare
    _plain(1.4), _plain(1.0), _plain(0.7),
    _sharp(1.4), _sharp(1.8), _flat(1.8),  # for blurred ones
)  # fmt: skip


def _crop(card: GreyImage, box: layout.Box) -> GreyImage:
    x0, y0, x1, y1 = box.px()
    return card[y0:y1, x0:x1]


@dataclass(frozen=True)
class _Vote:
    """A field's agreed text (None without agreement), the agreeing reads' confidence (0..1), why not."""

    text: str | None
    confidence: float
    problem: str


class CardFrontReader:
    """Turns a picture of a card front into a CardFrontReading. Call from a worker thread, not the GUI."""

    def __init__(self, config: ReaderConfig | None = None, ocr: LineOcr | None = None) -> None:
        self.config = config or ReaderConfig()
        self._ocr = ocr
        # The first versions every field needs are read side by side (Tesseract and OpenCV release the GIL):
        # six small reads share the cores evenly, where three whole fields would wait for the slowest. Each
        # worker has its own engines (not thread-safe); an engine given to the constructor is used alone.
        self._workers = min(6, os.cpu_count() or 2)
        self._pool = ThreadPoolExecutor(self._workers, "cardface-ocr") if ocr is None else None

    def warm_up(self) -> float:
        """Load every worker's engines now (about 0.2 s each), not in the first patient's scan; seconds taken.
        The barrier holds each load until all have started, so each lands on a worker of its own."""
        started = time.perf_counter()
        if self._pool is not None:
            barrier = threading.Barrier(self._workers)

            def load() -> None:
                LineOcr.for_thread()
                barrier.wait(timeout=30)

            for future in [self._pool.submit(load) for _ in range(self._workers)]:
                future.result()
        return time.perf_counter() - started

    @property
    def ocr(self) -> LineOcr:
        return self._ocr or LineOcr.for_thread()

    def read(
        self,
        image: npt.NDArray[np.uint8] | str | Path,
        *,
        today: date | None = None,
        cert_not_before: datetime | None = None,
        cert_not_after: datetime | None = None,
    ) -> CardFrontReading:
        """Raises kiosk.errors.CardFaceUnreadable when the picture shows no card."""
        started = time.perf_counter()
        pixels = load_image(str(image)) if isinstance(image, str | Path) else image
        grey = to_grey(pixels)
        today = today or date.today()
        missing = CardFaceUnreadable("no card in the picture")
        try:
            outlines = card_candidates(grey, pixels)
        except CardFaceUnreadable as exc:
            outlines, missing = [], exc
        first, rest = outlines[:MAX_OUTLINES], outlines[MAX_OUTLINES:]
        reading = self._read_outlines(grey, first, today, cert_not_before, cert_not_after)
        if self.config.second_look and (reading is None or (reading.rescan and "not legible" in reading.reason)):
            # the fields were nowhere: the locator's later outlines, then a look for a faint or partly
            # washed-out one
            more = rest + [c for c in faint_candidates(grey) if all(float(np.abs(c - t).max()) > 6.0 for t in outlines)]
            second = self._read_outlines(grey, more[:MAX_FAINT_OUTLINES], today, cert_not_before, cert_not_after)
            if second is not None and (reading is None or not second.rescan):
                reading = second
        if reading is None:
            raise missing
        log.info(
            "card face read: %s, confidence %.2f, %s, %.0f ms",
            "value" if reading.verification_b else "re-scan",
            reading.confidence,
            reading.reason,
            (time.perf_counter() - started) * 1000,
        )
        return reading

    def _read_outlines(self, grey: GreyImage, outlines: list[Corners], today: date,
                       cert_not_before: datetime | None, cert_not_after: datetime | None) -> CardFrontReading | None:
        """The first legible reading of the outlines' rectified versions, read in order of their layout fit
        (at most MAX_READS of them); else the first one's re-scan; None without outlines."""
        views: list[GreyImage] = []
        for corners in outlines:
            views += rectify_both(grey, corners)
        # the likeliest first: the locator's order and the photo's side, unless another version shows the
        # fields' print where the layout puts it better (a wrong outline's reads would be wasted time)
        fits = [layout_fit(view) for view in views]
        reading: CardFrontReading | None = None
        for i in sorted(range(len(views)), key=lambda i: -fits[i])[:MAX_READS]:
            attempt = self._decide(views[i], today, cert_not_before, cert_not_after)
            reading = reading or attempt
            if not attempt.rescan:
                return attempt
            if "not legible" not in attempt.reason:
                break  # the fields were found: another outline would not read them better
        return reading

    def _vote(self, crop: GreyImage, read: Read, name: str, first: list[tuple[str | None, float]]) -> _Vote:
        """Read `crop` in prepared versions until `min_agree` of them give the same text and none another
        (`first`: the reads of the first versions, already made).

        A version that reads something else does not end the vote, but the winner then needs twice the
        runner-up's votes and the runner-up at most one: two versions making the same slip is what a
        wrong 照合番号B would look like.
        """
        seen: dict[str, list[float]] = {}
        for i, prepare in enumerate(PREPARATIONS):
            text, conf = first[i] if i < len(first) else read(prepare(crop))
            if text is not None:
                seen.setdefault(text, []).append(conf)
            if len(seen) == 1:
                sure = [c for c in next(iter(seen.values())) if c >= self.config.gate]
                if len(sure) >= self.config.min_agree:
                    break
        if not seen:
            return _Vote(None, 0.0, f"{name} not legible")
        ranked = sorted(seen.items(), key=lambda kv: -len(kv[1]))
        text, confs = ranked[0]
        runner_up = len(ranked[1][1]) if len(ranked) > 1 else 0
        if len(confs) < self.config.min_agree:
            return _Vote(None, max(confs), f"{name} legible in too few versions")
        if len(confs) < 2 * runner_up or runner_up >= 2:
            return _Vote(None, 0.0, f"{name} readings disagree")
        return _Vote(text, sorted(confs)[-self.config.min_agree], "")

    def _birth(self, img: GreyImage) -> tuple[str | None, float]:
        read = read_date_line(self.ocr, img, eras=True)
        try:
            return (parse_birth_text(read.text).text() if read.text else None), read.confidence
        except ValueError:
            return None, 0.0

    def _expiry(self, img: GreyImage) -> tuple[str | None, float]:
        read = read_date_line(self.ocr, img, eras=False)
        try:
            return (format_expiry(parse_expiry_text(read.text)) if read.text else None), read.confidence
        except ValueError:
            return None, 0.0

    def _code(self, img: GreyImage) -> tuple[str | None, float]:
        return read_digit_line(self.ocr, img, 4)

    def _read_fields(self, card: GreyImage) -> tuple[CardFrontFields | None, float, str]:
        fields: tuple[tuple[GreyImage, Read, str], ...] = (
            (_crop(card, layout.READ_BIRTH), self._birth, "birth date"),
            (_crop(card, layout.READ_EXPIRY), self._expiry, "expiry"),
            (_crop(card, layout.READ_CODE), self._code, "security code"),
        )
        firsts: list[list[tuple[str | None, float]]] = [[] for _ in fields]
        if self._pool is not None:  # no vote can end before min_agree versions: read those at once
            pool, head = self._pool, PREPARATIONS[: self.config.min_agree]
            futures = [[pool.submit(read, prepare(crop)) for prepare in head] for crop, read, _ in fields]
            firsts = [[f.result() for f in row] for row in futures]
        votes = [self._vote(crop, read, name, first) for (crop, read, name), first in zip(fields, firsts, strict=True)]
        confidence = min(v.confidence for v in votes)
        for v in votes:
            if v.text is None:
                return None, confidence, v.problem
        birth, expiry, code = (v.text or "" for v in votes)
        return CardFrontFields(parse_birth_text(birth), parse_expiry_text(expiry), code), confidence, ""

    def _decide(
        self,
        card: GreyImage,
        today: date,
        cert_not_before: datetime | None,
        cert_not_after: datetime | None,
    ) -> CardFrontReading:
        fields, confidence, problem = self._read_fields(card)
        if fields is None:
            return CardFrontReading(None, confidence, problem)
        problems = cross_check(fields, today=today, cert_not_before=cert_not_before, cert_not_after=cert_not_after)
        if problems:
            return CardFrontReading(None, confidence, "; ".join(problems))
        if confidence < self.config.gate:
            return CardFrontReading(None, confidence, "low confidence")
        return CardFrontReading(verification_b(fields), confidence, "ok")
