"""The document camera above the reader, as the FrontReader of kiosk.verification_b_gate.

Each look takes the newest frame from the camera and reads it; a frame with no card in view is None,
so the gate simply looks again until its own deadline.
"""

from __future__ import annotations

from collections.abc import Callable

from drivers.camera.capture import Camera
from drivers.camera.sources import FrameSource
from drivers.cardface.reader import CardFaceReader
from kiosk.cardface import CardFaceReading
from kiosk.domain import CardSummary
from kiosk.errors import CardFaceUnreadable
from kiosk.ports import CancelToken


class DocumentCameraFrontReader:
    def __init__(
        self,
        source_factory: Callable[[], FrameSource],
        reader: CardFaceReader | None = None,
        frame_timeout_s: float = 2.0,
    ) -> None:
        self._source_factory = source_factory
        self._reader = reader or CardFaceReader()
        self._frame_timeout = frame_timeout_s

    def read_front(self, summary: CardSummary | None, cancel: CancelToken | None = None) -> CardFaceReading | None:
        with Camera(self._source_factory()) as camera:
            frame = camera.wait_next(timeout=self._frame_timeout)
            if frame is None:
                return None
            cert = summary.auth_certificate if summary is not None else None
            try:
                return self._reader.read(
                    frame.image,
                    cert_not_before=cert.not_before if cert else None,
                    cert_not_after=cert.not_after if cert else None,
                )
            except CardFaceUnreadable:
                return None
