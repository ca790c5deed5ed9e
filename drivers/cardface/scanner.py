"""The document camera above the reader, as the FrontReader of kiosk.verification_b_gate.

The camera stays open for the looks of one scan; each look reads the next new frame. A frame with no card
in view is None, so the gate simply looks again until its own deadline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from drivers.camera.capture import Camera
from drivers.camera.sources import FrameSource
from drivers.cardface.reader import CardFrontReader
from kiosk.cardface import CardFrontReading
from kiosk.domain import CardSummary
from kiosk.errors import CardFaceUnreadable
from kiosk.verification_b_gate import FrontLook


class DocumentCameraFrontReader:
    def __init__(
        self,
        source_factory: Callable[[], FrameSource],
        reader: CardFrontReader | None = None,
        frame_timeout_s: float = 2.0,
    ) -> None:
        self._source_factory = source_factory
        self._reader = reader or CardFrontReader()
        self._frame_timeout = frame_timeout_s

    def warm_up(self) -> float:
        return self._reader.warm_up()

    @contextmanager
    def looking(self) -> Iterator[FrontLook]:
        """Open the camera once for a scan; each look reads the next new frame."""
        with Camera(self._source_factory()) as camera:
            last = -1

            def look(summary: CardSummary | None) -> CardFrontReading | None:
                nonlocal last
                frame = camera.wait_next(after=last, timeout=self._frame_timeout)
                if frame is None:  # the source ended: no later look can see anything either
                    raise CardFaceUnreadable("the document camera delivered no more frames")
                last = frame.index
                cert = summary.auth_certificate if summary is not None else None
                try:
                    return self._reader.read(
                        frame.image,
                        cert_not_before=cert.not_before if cert else None,
                        cert_not_after=cert.not_after if cert else None,
                    )
                except CardFaceUnreadable:
                    return None

            yield look
