"""Liveness measurements over a window of observations: blinks, non-planar motion, track continuity.

* Blinks: the eye aspect ratio dipping below `blink_ratio` × the window's median EAR for a short run of
  frames and recovering (adaptive, so narrow and wide eyes both work).
* Non-planar motion: a flat photo, however it is tilted or waved, moves its landmarks by a homography;
  a real head turning shows parallax (nose tip against cheeks and ears) that no homography explains. The
  measure is the residual of a least-squares homography from a reference frame to each frame, over rigid
  landmarks only (no lids, lips or jaw), in inter-ocular distances; its 90th percentile over the window.
* Continuity: no gap in the face track longer than `max_track_gap_s` and no jump of the face box (a cut to
  someone else). The decision then also checks the encodings across the window stay one identity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from drivers.face.landmarks import RIGID, Observation
from kiosk.face import FaceThresholds, LivenessEvidence

MAX_BLINK_S = 0.6  # a dip longer than this is eyes closed or looking down, not a blink
MAX_BOX_JUMP = 0.5  # centre moving more than this share of the face width between frames is a cut


@dataclass(frozen=True)
class Timed:
    t: float
    observation: Observation


def count_blinks(times: Sequence[float], ears: Sequence[float], ratio: float) -> int:
    """Dips of the EAR below ratio × median that recover within MAX_BLINK_S."""
    if len(ears) < 3:
        return 0
    threshold = ratio * float(np.median(ears))
    blinks, start = 0, None
    for t, ear in zip(times, ears, strict=True):
        if ear < threshold:
            if start is None:
                start = t
        elif start is not None:
            if t - start <= MAX_BLINK_S:
                blinks += 1
            start = None
    return blinks


def nonplanar_residual(points: Sequence[np.ndarray], inter_ocular: Sequence[float]) -> float:
    """90th percentile over frames of the RMS homography residual (reference: the middle frame)."""
    if len(points) < 3:
        return 0.0
    rigid = list(RIGID)
    ref = points[len(points) // 2][rigid, :2].astype(np.float64)
    residuals = []
    for p, iod in zip(points, inter_ocular, strict=True):
        dst = p[rigid, :2].astype(np.float64)
        h, _ = cv2.findHomography(ref, dst, 0)
        if h is None or iod <= 1e-6:
            continue
        projected = cv2.perspectiveTransform(ref.reshape(-1, 1, 2), h).reshape(-1, 2)
        residuals.append(float(np.sqrt(np.mean(np.sum((projected - dst) ** 2, axis=1)))) / iod)
    return float(np.percentile(residuals, 90)) if residuals else 0.0


def track_continuous(window: Sequence[Timed], max_gap_s: float) -> bool:
    last_t: float | None = None
    last_box: tuple[int, int, int, int] | None = None
    for item in window:
        box = item.observation.box
        if box is None:
            continue
        if last_t is not None and item.t - last_t > max_gap_s:
            return False
        if last_box is not None:
            cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
            lx, ly = last_box[0] + last_box[2] / 2, last_box[1] + last_box[3] / 2
            if np.hypot(cx - lx, cy - ly) > MAX_BOX_JUMP * max(box[2], last_box[2]):
                return False
        last_t, last_box = item.t, box
    if last_t is None:
        return False
    first_t = next(i.t for i in window if i.observation.box is not None)
    # a face must be present at the ends of the window too, not just somewhere in it
    return window[-1].t - last_t <= max_gap_s and first_t - window[0].t <= max_gap_s


def measure(window: Sequence[Timed], t: FaceThresholds) -> LivenessEvidence:
    seen = [w for w in window if w.observation.points is not None]
    times = [w.t for w in seen]
    ears = [w.observation.ear for w in seen]
    yaws = [w.observation.measurements.yaw_deg for w in seen]
    duration = (window[-1].t - window[0].t) if window else 0.0
    return LivenessEvidence(
        frames=len(seen),
        duration_s=round(duration, 3),
        blinks=count_blinks(times, ears, t.blink_ratio),
        nonplanar=round(
            nonplanar_residual(
                [w.observation.points for w in seen],  # type: ignore[misc]
                [w.observation.inter_ocular for w in seen],
            ),
            4,
        ),
        yaw_range_deg=round(float(np.percentile(yaws, 95) - np.percentile(yaws, 5)), 2) if yaws else 0.0,
        track_continuous=bool(window) and track_continuous(window, t.max_track_gap_s),
    )
