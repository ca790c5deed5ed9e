"""`LiveFaceVerifier`: the production adapter for `kiosk.ports.FaceVerifier`.

One call = one attempt: enrol the chip photo while the camera opens (enrolment is needed only for the
decision, and the patient should not wait for it before the preview), run a `LiveFaceSession` on the newest
frames (latest-frame semantics: a slow machine skips frames, it never lags behind the patient), report
guidance and a preview as it goes, decide, close the camera, drop every frame and the chip encoding.
Runs on a worker thread; models load once — in `warm_up()` (call it from a background thread when the
attract screen appears) or else on the first call; the MediaPipe analyser is made once and kept; the dlib
ResNet runs in a matcher process (it would hold the GIL here). What it returns is the full audit record,
`kiosk.face.FaceDecision` (numbers and codes only), which the flow keeps for the result.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import cv2
import numpy.typing as npt

from drivers.camera import Camera, FrameSource
from drivers.face.encoder import DlibEncoder
from drivers.face.landmarks import FaceAnalyser
from drivers.face.session import FrameFeedback, LiveFaceSession
from kiosk import face as domain
from kiosk.face import FaceDecision
from kiosk.ports import CancelToken, FaceBox, FaceProgress, PreviewFrame

log = logging.getLogger(__name__)

PREVIEW_WIDTH = 640


class LiveFaceVerifier:
    def __init__(
        self,
        source_factory: Callable[[], FrameSource],
        thresholds: domain.FaceThresholds | None = None,
        *,
        encoder: DlibEncoder | None = None,
        speed: float = 1.0,
        rng: random.Random | None = None,
    ) -> None:
        self.source_factory = source_factory
        self.thresholds = thresholds or domain.load_thresholds()
        # the ResNet in its own process: in this one it would hold the GIL and freeze the screen (~0.3 s)
        self.encoder = encoder or DlibEncoder(matcher_process=True)
        self.speed, self._rng = speed, rng
        self._lock = threading.Lock()  # one attempt at a time: there is one camera
        self._analyser: FaceAnalyser | None = None
        # one worker: enrolments run one at a time like the attempts; its thread lives as long as the kiosk
        self._enroller = ThreadPoolExecutor(max_workers=1, thread_name_prefix="face-enrol")

    def warm_up(self) -> float:
        """Load every model (dlib and MediaPipe) ahead of the first patient; returns the seconds it took.
        Safe from any thread, and again (then nearly free)."""
        started = time.perf_counter()
        self.encoder.load()
        with self._lock:
            self._shared_analyser()
        return time.perf_counter() - started

    @property
    def models_ready(self) -> bool:
        """For the self-test row: both models are loaded."""
        return self._analyser is not None and self.encoder.load_seconds is not None

    def _shared_analyser(self) -> FaceAnalyser:
        if self._analyser is None:
            self._analyser = FaceAnalyser()
        return self._analyser

    def verify(
        self,
        chip_photo_jp2: bytes,
        on_progress: Callable[[FaceProgress], None],
        on_frame: Callable[[PreviewFrame], None],
        cancel: CancelToken | None = None,
    ) -> FaceDecision:
        with self._lock:
            enrolment = self._enroller.submit(self.encoder.enrol_chip, chip_photo_jp2)
            t = self.thresholds
            session = LiveFaceSession(self.encoder, t, analyser=self._shared_analyser(), rng=self._rng, timeout_s=20.0)
            try:
                cancelled = self._capture(session, enrolment, on_progress, on_frame, cancel)
            except Exception:
                # a chip photo without a face is the reason to give (use the PIN), whatever the camera did
                _raise_if_enrolment_failed(enrolment, wait=True)
                raise
            if cancelled:
                session.close()
                enrolment.cancel()
                log.info("face attempt cancelled")
                return domain.no_decision(t)
            record = session.finish(enrolment.result())
            del enrolment
        log.info(
            "face decision %s median %s liveness %s frames %d/%d",
            record.verdict.value, record.median_distance,
            record.liveness.outcome.value if record.liveness else "-", record.frames_good, record.frames_seen,
        )
        return record

    def _capture(self, session: LiveFaceSession, enrolment: Future[Any], on_progress: Callable[[FaceProgress], None],
                 on_frame: Callable[[PreviewFrame], None], cancel: CancelToken | None) -> bool:
        """Feed the newest frames until the session is done; True when the attempt was cancelled."""
        with Camera(self.source_factory(), speed=self.speed) as camera:
            last = -1
            while not session.done:
                _raise_if_enrolment_failed(enrolment)  # NoFaceInChipPhoto goes to the flow as it is
                if cancel is not None and cancel.is_set():
                    return True
                frame = camera.wait_next(last, timeout=3.0)  # CameraLost goes to the flow as it is
                if frame is None:
                    session.source_ended()  # a recorded source ended: said so in the record
                    return False
                last = frame.index
                feedback = session.feed(frame)
                on_frame(_preview(frame.image))
                on_progress(_progress(feedback, session, frame.t))
        return False


def _raise_if_enrolment_failed(enrolment: Future[Any], *, wait: bool = False) -> None:
    if wait:
        futures.wait([enrolment])
    if enrolment.done() and not enrolment.cancelled():
        error = enrolment.exception()
        if error is not None:
            raise error


def _preview(image: npt.NDArray[Any]) -> PreviewFrame:
    bgr = image
    if bgr.shape[1] > PREVIEW_WIDTH:
        scale = PREVIEW_WIDTH / bgr.shape[1]
        bgr = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB) if bgr.ndim == 3 else cv2.cvtColor(bgr, cv2.COLOR_GRAY2RGB)
    return PreviewFrame(rgb.shape[1], rgb.shape[0], rgb.tobytes())


def _progress(feedback: FrameFeedback, session: LiveFaceSession, now: float) -> FaceProgress:
    box = None
    if session.last_box is not None:
        x, y, w, h, fw, fh = session.last_box
        box = FaceBox(x / fw, y / fh, w / fw, h / fh)
    hint = feedback.guidance[0] if feedback.guidance else domain.Guidance.OK
    return FaceProgress(hint, box, round(session.progress(now), 3))
