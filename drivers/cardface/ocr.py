"""Tesseract (through tesserocr) for single printed lines: the only module that imports tesserocr.

One `LineOcr` holds three loaded engines (jpn for date lines and for single date glyphs, eng for digit
lines). Tesseract engines are not thread-safe, so each worker thread gets its own (`LineOcr.for_thread`);
loading costs about 0.2 s once per thread, a field then takes a few milliseconds on a small crop.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from kiosk.errors import ConfigError

TESSDATA_DIRS = (
    Path("/usr/share/tesseract-ocr/5/tessdata"),
    Path("/usr/share/tesseract-ocr/4.00/tessdata"),
    Path("/usr/share/tessdata"),
)

DATE_CHARS = "明治大正昭和平成令和元年月日生まで有効0123456789 "
DIGITS = "0123456789"

_local = threading.local()


@dataclass(frozen=True)
class OcrLine:
    """Text of one line and the confidence (0..100) of each recognised character, in order."""

    text: str
    char_conf: tuple[float, ...]

    @property
    def min_conf(self) -> float:
        return min(self.char_conf, default=0.0)


def find_tessdata() -> Path:
    for d in TESSDATA_DIRS:
        if (d / "jpn.traineddata").exists() and (d / "eng.traineddata").exists():
            return d
    raise ConfigError("Tesseract data (eng, jpn) not found: install tesseract-ocr-jpn and tesseract-ocr-eng")


class LineOcr:
    """Reads one line of text from a small grey image with a character whitelist (psm 7, LSTM)."""

    def __init__(self, tessdata: Path | None = None) -> None:
        import tesserocr  # type: ignore[import-untyped]  # heavy: only on the worker thread that reads cards

        self._tesserocr: Any = tesserocr
        path = str(tessdata or find_tessdata()) + "/"
        psm, oem = tesserocr.PSM.SINGLE_LINE, tesserocr.OEM.LSTM_ONLY
        self._dates = tesserocr.PyTessBaseAPI(path=path, lang="jpn", psm=psm, oem=oem)
        self._dates.SetVariable("tessedit_char_whitelist", DATE_CHARS)
        self._digits = tesserocr.PyTessBaseAPI(path=path, lang="eng", psm=psm, oem=oem)
        self._digits.SetVariable("tessedit_char_whitelist", DIGITS)
        char = tesserocr.PSM.SINGLE_CHAR
        self._date_glyph = tesserocr.PyTessBaseAPI(path=path, lang="jpn", psm=char, oem=oem)
        self._date_glyph.SetVariable("tessedit_char_whitelist", DATE_CHARS.strip())
        self._apis = (self._dates, self._digits, self._date_glyph)
        for api in self._apis:
            api.SetVariable("debug_file", "/dev/null")

    @classmethod
    def for_thread(cls) -> LineOcr:
        ocr: LineOcr | None = getattr(_local, "ocr", None)
        if ocr is None:
            ocr = cls()
            _local.ocr = ocr
        return ocr

    def date_line(self, image: Image.Image) -> OcrLine:
        return self._read(self._dates, image)

    def digit_line(self, image: Image.Image) -> OcrLine:
        return self._read(self._digits, image)

    def date_glyph(self, image: Image.Image) -> tuple[str, float]:
        """One character of a printed date (digit, era kanji, 元年月日生…) and its confidence 0..100."""
        line = self._read(self._date_glyph, image)
        return (line.text, line.min_conf) if len(line.text) == 1 else ("", 0.0)

    def _read(self, api: Any, image: Image.Image) -> OcrLine:
        # Raw bytes, not SetImage(PIL): tesserocr 2.13's SetImage drops a reference to None on every call,
        # and on Python 3.11 (None is not immortal) a few thousand reads crash the process.
        grey = image.convert("L")
        api.SetImageBytes(grey.tobytes(), grey.width, grey.height, 1, grey.width)
        api.Recognize()
        level = self._tesserocr.RIL.SYMBOL
        text: list[str] = []
        conf: list[float] = []
        it = api.GetIterator()
        if it is not None:
            for symbol in self._tesserocr.iterate_level(it, level):
                try:
                    ch = symbol.GetUTF8Text(level)
                except RuntimeError:  # an empty symbol box
                    continue
                if ch and not ch.isspace() and len(ch) == 1 and symbol.BoundingBox(level) is not None:
                    text.append(ch)
                    conf.append(float(symbol.Confidence(level)))
        return OcrLine("".join(text), tuple(conf))

    def close(self) -> None:
        for api in self._apis:
            api.End()
