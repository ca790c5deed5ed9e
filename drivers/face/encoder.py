"""dlib face detection, 5-point alignment and the 128-d encoding, called directly (never `face_recognition`).

`import face_recognition` loads dlib's 68-point landmark model at import time; that model's training data
(iBUG 300-W) excludes commercial use, so the product calls dlib itself with only the 5-point predictor and
the ResNet encoder from `face_recognition_models` (README.md, "Face library"). The encodings are identical.
This is the only module that imports dlib. Models load once, lazily, on the caller's (worker) thread.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from kiosk.errors import ConfigError, NoFaceInChipPhoto
from kiosk.face import FACE_MODEL_ID

Image = npt.NDArray[Any]  # cv2 returns loosely typed arrays; uint8 BGR or grey in practice
Encoding = npt.NDArray[np.float64]
Box = tuple[int, int, int, int]  # x, y, w, h

SHAPE_FILE = "shape_predictor_5_face_landmarks.dat"
ENCODER_FILE = f"{FACE_MODEL_ID}.dat"
FORBIDDEN_FILE = "shape_predictor_68_face_landmarks.dat"  # never loaded; see module docstring


def default_models_dir() -> Path:
    """The face_recognition_models data folder, found without importing the package (its __init__ needs
    pkg_resources)."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("face_recognition_models is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


@dataclass(frozen=True)
class ChipEnrolment:
    """The chip photo's encoding (mean of the photo and its mirror). Lives in memory for one transaction."""

    encoding: Encoding = field(repr=False)
    face_height: int
    elapsed_ms: float


def grey3(image: Image) -> Image:
    """BGR or grey → 3-channel grey, the domain of the monochrome chip photo."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return np.ascontiguousarray(np.dstack([grey, grey, grey]))


def _matcher_main(conn: Connection, net_path: str) -> None:
    """The matcher process: the ResNet encoder alone, fed aligned 150x150 chips over a pipe."""
    import dlib

    net = dlib.face_recognition_model_v1(net_path)
    conn.send("ready")
    while True:
        try:
            chips = conn.recv()
        except EOFError:
            return
        if chips is None:
            return
        out = net.compute_face_descriptor([np.ascontiguousarray(c) for c in chips], 1)
        conn.send([np.asarray(v, dtype=np.float64) for v in out])


class MatcherProcess:
    """dlib's ResNet holds the GIL for its whole pass (~70 ms a face on the kiosk's CPU): in the kiosk's own
    process that freezes the screen. This runs it in a separate process (spawned, so no Qt state is
    inherited); chips go in and 128-d vectors come back over a pipe (~70 KB a chip)."""

    def __init__(self, net_path: Path) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_matcher_main, args=(child, str(net_path)), daemon=True,
                                 name="face-matcher")
        self._proc.start()
        child.close()
        self._lock = threading.Lock()
        if not self._conn.poll(60.0) or self._conn.recv() != "ready":
            self.close()
            raise ConfigError("face matcher process did not start")

    def encode(self, chips: list[Image]) -> list[Encoding]:
        with self._lock:
            self._conn.send(chips)
            result: list[Encoding] = self._conn.recv()
            return result

    def close(self) -> None:
        try:
            self._conn.send(None)
        except (OSError, ValueError):
            pass
        self._proc.join(timeout=2.0)
        if self._proc.is_alive():
            self._proc.terminate()
        self._conn.close()


class DlibEncoder:
    """HOG detector + 5-point shape predictor + ResNet encoder. Thread-safe after `load()`.

    With `matcher_process=True` the ResNet passes run in a `MatcherProcess` (the kiosk's choice: no GUI
    stall); HOG and the shape predictor stay in-process (they are quick)."""

    def __init__(self, models_dir: Path | None = None, *, matcher_process: bool = False) -> None:
        self.models_dir = models_dir
        self.matcher_process = matcher_process
        self._lock = threading.Lock()
        self._detector: Any = None
        self._shape: Any = None
        self._net: Any = None
        self._matcher: MatcherProcess | None = None
        self.load_seconds: float | None = None

    def load(self) -> float:
        """Load the three models once; returns the seconds it took (0 when already loaded)."""
        with self._lock:
            if self._net is not None:
                return 0.0
            started = time.perf_counter()
            import dlib

            folder = self.models_dir or default_models_dir()
            shape_path, net_path = folder / SHAPE_FILE, folder / ENCODER_FILE
            for path in (shape_path, net_path):
                if not path.is_file():
                    raise ConfigError(f"face model missing: {path.name}")
            self._detector = dlib.get_frontal_face_detector()
            self._shape = dlib.shape_predictor(str(shape_path))
            if self.matcher_process:
                self._matcher = MatcherProcess(net_path)
                self._net = self._matcher
            else:
                self._net = dlib.face_recognition_model_v1(str(net_path))
            self.load_seconds = time.perf_counter() - started
            return self.load_seconds

    def close(self) -> None:
        """Stop the matcher process, if there is one (the models stay loaded otherwise)."""
        with self._lock:
            if self._matcher is not None:
                self._matcher.close()
                self._matcher, self._net = None, None

    def _ready(self) -> None:
        if self._net is None:
            self.load()

    # detection and encoding ------------------------------------------------------------------------------

    def detect(self, image: Image, upsample: int = 0) -> list[Box]:
        """Face boxes, largest first (HOG false positives are small; take the first)."""
        self._ready()
        rects = self._detector(image, upsample)
        boxes = [(r.left(), r.top(), r.width(), r.height()) for r in rects]
        return sorted(boxes, key=lambda b: b[2] * b[3], reverse=True)

    def aligned_chip(self, image3: Image, box: Box) -> Image:
        """The 150x150 face chip aligned on the 5 landmarks (what the ResNet sees)."""
        import dlib

        self._ready()
        x, y, w, h = box
        shape = self._shape(image3, dlib.rectangle(int(x), int(y), int(x + w), int(y + h)))
        return np.asarray(dlib.get_face_chip(image3, shape, 150, 0.25))

    def encode(self, image3: Image, box: Box, jitters: int = 1) -> Encoding:
        """128-d encoding of the face in `box` of a 3-channel image (same as face_recognition's)."""
        aligned = self.aligned_chip(image3, box)
        if self._matcher is not None:
            return self._matcher.encode([aligned])[0]
        return np.asarray(self._net.compute_face_descriptor(aligned, jitters), dtype=np.float64)

    def align_near(self, frame: Image, hint: Box, target: int = 150) -> Image | None:
        """The aligned face chip near `hint` (a box from the fast detector), in grey: HOG re-detects on a
        crop scaled so the face is ~`target` px, so the alignment starts from the kind of box the 5-point
        model was trained on; the hint box is used when HOG finds nothing there."""
        x, y, w, h = hint
        pad = int(0.6 * max(w, h))
        x0, y0 = max(0, x - pad), max(0, y - pad)
        x1, y1 = min(frame.shape[1], x + w + pad), min(frame.shape[0], y + h + pad)
        if x1 - x0 < 16 or y1 - y0 < 16:
            return None
        crop = frame[y0:y1, x0:x1]
        scale = target / max(1.0, float(max(w, h)))
        if abs(scale - 1.0) > 0.1:
            method = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=method)
        else:
            scale = 1.0
        crop3 = grey3(crop)
        found = self.detect(crop3, 0)
        box = found[0] if found else (int((x - x0) * scale), int((y - y0) * scale), int(w * scale), int(h * scale))
        return self.aligned_chip(crop3, box)

    def encode_near(self, frame: Image, hint: Box, mirror: bool = False) -> Encoding | None:
        aligned = self.align_near(frame, hint)
        return None if aligned is None else self.encode_probes([aligned], mirror)[0]

    def encode_aligned(self, chips: list[Image]) -> list[Encoding]:
        """Encode aligned chips in one batched pass (cheaper per face than one call each)."""
        self._ready()
        if not chips:
            return []
        if self._matcher is not None:
            return self._matcher.encode([np.ascontiguousarray(c) for c in chips])
        out = self._net.compute_face_descriptor([np.ascontiguousarray(c) for c in chips], 1)
        return [np.asarray(v, dtype=np.float64) for v in out]

    def encode_probes(self, chips: list[Image], mirror: bool) -> list[Encoding]:
        """Live-side encodings; with `mirror`, each is the mean of the chip's and its mirror's encodings
        (one batched pass for all)."""
        if not mirror:
            return self.encode_aligned(chips)
        both = self.encode_aligned([m for c in chips for m in (c, np.ascontiguousarray(c[:, ::-1]))])
        return [(both[2 * i] + both[2 * i + 1]) / 2.0 for i in range(len(chips))]

    def enrol_chip(self, photo: bytes) -> ChipEnrolment:
        """Decode the chip's JPEG 2000 (or any image), find the face, encode it and its mirror, average.
        Raises NoFaceInChipPhoto when the photo cannot be decoded or holds no face."""
        started = time.perf_counter()
        image = cv2.imdecode(np.frombuffer(photo, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
        if image is None:
            raise NoFaceInChipPhoto("chip photo could not be decoded")
        image3 = grey3(image)
        boxes = self.detect(image3, 0) or self.detect(image3, 1)  # upsampling costs 4x; only when needed
        if not boxes:
            # Tight or tiny portraits: give HOG a margin and more pixels before giving up.
            padded = cv2.copyMakeBorder(image, *(image.shape[0] // 4,) * 2, *(image.shape[1] // 4,) * 2,
                                        cv2.BORDER_REPLICATE)
            image3 = grey3(cv2.resize(padded, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC))
            boxes = self.detect(image3, 1)
        if not boxes:
            raise NoFaceInChipPhoto("no face found in the chip photo")
        box = boxes[0]
        # The mirrored photo's aligned chip is the aligned chip mirrored; one batched pass encodes both.
        encoding = self.encode_probes([self.aligned_chip(image3, box)], mirror=True)[0]
        return ChipEnrolment(encoding, int(box[3]), (time.perf_counter() - started) * 1000.0)


def distance(a: Encoding, b: Encoding) -> float:
    return float(np.linalg.norm(a - b))
