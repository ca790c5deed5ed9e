"""Per-frame face analysis with MediaPipe (the only module that imports mediapipe).

Every frame: the full-range BlazeFace detector on a 320-px downscale counts faces (one person only; it
also sees people further back), then FaceMesh (478 points with iris refinement) on the full frame gives
the main face's landmarks, from which pose (yaw/pitch/roll), eye openness (EAR) and the box follow. Pixel
measures (sharpness, exposure, mask and cap hints) come from the grey frame. Models ship inside the
mediapipe wheel; nothing is downloaded.
"""

from __future__ import annotations

import math
import os
import threading
import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from kiosk.face import FaceMeasurements

Image = npt.NDArray[Any]  # cv2 returns loosely typed arrays; uint8 BGR or grey in practice
Points = npt.NDArray[np.float64]

# FaceMesh indices: eye contours for EAR (p1..p6 per eye), and rigid points for pose and parallax.
LEFT_EYE = (33, 160, 158, 133, 153, 144)
RIGHT_EYE = (362, 385, 387, 263, 373, 380)
FOREHEAD, CHIN, NOSE_TIP = 10, 152, 1
EYE_OUTER = (33, 263)
# Points that move rigidly with the skull (no lids, lips or jaw): used for the homography/parallax test.
RIGID = (
    1, 4, 5, 6, 168, 197, 195,  # nose bridge and tip (deepest points)
    33, 133, 263, 362,  # eye corners
    10, 151, 9, 8,  # forehead midline
    234, 454, 127, 356, 93, 323, 132, 361,  # face contour at the ears/cheeks (farthest back)
    70, 105, 107, 300, 334, 336,  # brows
    98, 327, 129, 358,  # nostrils
    50, 280, 117, 346,  # cheekbones
)
DETECT_WIDTH = 320

# mediapipe 0.10.14 calls a protobuf API deprecated in protobuf 4.x on every frame; the warning says nothing
# about the kiosk and would flood logs.
warnings.filterwarnings("ignore", message=r"SymbolDatabase\.GetPrototype\(\) is deprecated", category=UserWarning)


@dataclass(frozen=True)
class Observation:
    """What one frame showed. `points` are pixel x, y and z (z in the same scale as x) of the main face."""

    measurements: FaceMeasurements
    points: Points | None = field(default=None, repr=False)
    box: tuple[int, int, int, int] | None = None
    ear: float = 0.0
    inter_ocular: float = 0.0
    elapsed_ms: float = 0.0


def _ear(p: Points, idx: tuple[int, ...]) -> float:
    p1, p2, p3, p4, p5, p6 = (p[i, :2] for i in idx)
    width = float(np.linalg.norm(p1 - p4))
    if width <= 1e-6:
        return 0.0
    return float((np.linalg.norm(p2 - p6) + np.linalg.norm(p3 - p5)) / (2.0 * width))


def pose_degrees(p: Points) -> tuple[float, float, float]:
    """Yaw, pitch, roll from the 3-D mesh: the face normal from the eye line and the forehead-chin line."""
    x_axis = p[EYE_OUTER[1]] - p[EYE_OUTER[0]]
    y_axis = p[CHIN] - p[FOREHEAD]
    normal = np.cross(x_axis, y_axis)
    norm = float(np.linalg.norm(normal))
    if norm <= 1e-9:
        return 0.0, 0.0, 0.0
    nx, ny, nz = normal / norm
    # x right, y down, z away from the camera: a frontal face's normal is (0, 0, +1)
    yaw = math.degrees(math.atan2(nx, nz))
    pitch = math.degrees(math.atan2(ny, nz))
    roll = math.degrees(math.atan2(x_axis[1], x_axis[0]))
    return yaw, pitch, roll


def _region_stats(grey: Image, box: tuple[int, int, int, int]) -> tuple[float, float, float]:
    """Sharpness (Laplacian variance at 128 px), mean grey, clipped share of the face crop."""
    x, y, w, h = box
    crop = grey[max(0, y) : y + h, max(0, x) : x + w]
    if crop.size < 64:
        return 0.0, 0.0, 1.0
    scale = 128.0 / max(1, crop.shape[0])
    small = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    sharp = float(cv2.Laplacian(small, cv2.CV_64F).var())
    clipped = float(np.count_nonzero((small <= 5) | (small >= 250))) / small.size
    return sharp, float(small.mean()), clipped


def _patch_mean(lab: Image, p: Points, indices: tuple[int, ...], radius: int) -> npt.NDArray[np.float64] | None:
    values = []
    for i in indices:
        x, y = int(p[i, 0]), int(p[i, 1])
        patch = lab[max(0, y - radius) : y + radius + 1, max(0, x - radius) : x + radius + 1]
        if patch.size:
            values.append(patch.reshape(-1, 3).mean(axis=0))
    return np.mean(values, axis=0) if values else None


def occlusion_hints(image: Image, p: Points, inter_ocular: float) -> tuple[bool, bool]:
    """(mask, cap) hints from colour: a mask makes mouth and chin unlike the cheeks, a cap makes the
    forehead unlike them. Prompts only, never a hard failure."""
    if image.ndim != 3 or inter_ocular < 20:
        return False, False
    radius = max(2, int(inter_ocular * 0.08))
    lab = cv2.cvtColor(image, cv2.COLOR_BGR2LAB).astype(np.float64)
    cheeks = _patch_mean(lab, p, (117, 346, 50, 280), radius)
    lower = _patch_mean(lab, p, (0, 17, 200, 421, 201), radius)
    forehead = _patch_mean(lab, p, (151, 9, 108, 337), radius)
    if cheeks is None or lower is None or forehead is None:
        return False, False
    # chroma (a, b) difference matters more than lightness, which shadows also change
    mask = float(np.linalg.norm((lower - cheeks)[1:])) > 18.0 or abs(lower[0] - cheeks[0]) > 70.0
    cap = forehead[0] < 0.45 * cheeks[0] or float(np.linalg.norm((forehead - cheeks)[1:])) > 22.0
    return mask, cap


class FaceAnalyser:
    """Stateful per capture (FaceMesh tracks between frames); make one per session, `close()` after."""

    def __init__(self, static: bool = False) -> None:
        os.environ.setdefault("GLOG_minloglevel", "2")  # quiet MediaPipe's C++ logging
        import mediapipe as mp

        self._lock = threading.Lock()
        self._detector: Any = mp.solutions.face_detection.FaceDetection(model_selection=1, min_detection_confidence=0.5)
        self._mesh: Any = mp.solutions.face_mesh.FaceMesh(
            static_image_mode=static, max_num_faces=1, refine_landmarks=True,
            min_detection_confidence=0.5, min_tracking_confidence=0.5,
        )

    def close(self) -> None:
        with self._lock:
            self._detector.close()
            self._mesh.close()

    def __enter__(self) -> FaceAnalyser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _count_faces(self, rgb: Image) -> list[tuple[float, float, float, float]]:
        h, w = rgb.shape[:2]
        scale = DETECT_WIDTH / w if w > DETECT_WIDTH else 1.0
        small = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else rgb
        result = self._detector.process(small)
        boxes = []
        for det in result.detections or ():
            bb = det.location_data.relative_bounding_box
            boxes.append((bb.xmin * w, bb.ymin * h, bb.width * w, bb.height * h))
        return sorted(boxes, key=lambda b: b[2] * b[3], reverse=True)

    def analyse(self, image: Image) -> Observation:
        """Measure one BGR (or grey) frame."""
        started = time.perf_counter()
        bgr = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        h, w = bgr.shape[:2]
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        with self._lock:
            faces = self._count_faces(rgb)
            mesh = self._mesh.process(rgb)
        if not mesh.multi_face_landmarks:
            elapsed = (time.perf_counter() - started) * 1000.0
            if faces:  # found by the detector but too small or turned for the mesh: say where it is
                fx, fy, fw, fh = faces[0]
                far = FaceMeasurements(w, h, faces=len(faces), box=(fx, fy, fw, fh), sharpness=0.0)
                return Observation(far, elapsed_ms=elapsed)
            return Observation(FaceMeasurements(w, h, faces=0), elapsed_ms=elapsed)
        lm = mesh.multi_face_landmarks[0].landmark
        p = np.array([(q.x * w, q.y * h, q.z * w) for q in lm], dtype=np.float64)
        x0, y0 = p[:, 0].min(), p[:, 1].min()
        x1, y1 = p[:, 0].max(), p[:, 1].max()
        box = (int(x0), int(y0), int(x1 - x0), int(y1 - y0))
        n_faces = max(1, len(faces))
        second = 0.0
        if len(faces) > 1:
            main_area = max(1.0, float(box[2] * box[3]))
            # the mesh face is the detector's largest box in practice; compare the runner-up against it
            second = max(f[2] * f[3] for f in faces[1:]) / max(main_area, faces[0][2] * faces[0][3])
        yaw, pitch, roll = pose_degrees(p)
        ear = (_ear(p, LEFT_EYE) + _ear(p, RIGHT_EYE)) / 2.0
        inter_ocular = float(np.linalg.norm(p[EYE_OUTER[0], :2] - p[EYE_OUTER[1], :2]))
        grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
        sharp, mean_grey, clipped = _region_stats(grey, box)
        mask, cap = occlusion_hints(bgr, p, inter_ocular) if image.ndim == 3 else (False, False)
        m = FaceMeasurements(
            frame_width=w, frame_height=h, faces=n_faces, box=tuple(float(v) for v in box),  # type: ignore[arg-type]
            second_face_area_ratio=second, yaw_deg=yaw, pitch_deg=pitch, roll_deg=roll, sharpness=sharp,
            mean_grey=mean_grey, clipped_fraction=clipped, eye_open=ear, mask_suspected=mask, cap_suspected=cap,
        )
        elapsed = (time.perf_counter() - started) * 1000.0
        return Observation(m, p, box, ear, inter_ocular, elapsed)
