"""Liveness measures and verification metrics on synthetic numbers (no models)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from drivers.face import metrics
from drivers.face.landmarks import RIGID, Observation, pose_degrees
from drivers.face.liveness import Timed, count_blinks, measure, nonplanar_residual, track_continuous
from kiosk.face import FaceMeasurements, FaceThresholds

RNG = np.random.default_rng(3)
# a fake 478-point "head": a rough ellipsoid, so points have real depth differences
HEAD = np.stack(
    [RNG.uniform(-60, 60, 478), RNG.uniform(-80, 80, 478), RNG.uniform(-40, 40, 478)], axis=1
)


def _project(points3: np.ndarray, yaw_deg: float, pitch_deg: float = 0.0) -> np.ndarray:
    y, p = math.radians(yaw_deg), math.radians(pitch_deg)
    rot = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]]) @ np.array(
        [[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]]
    )
    moved = points3 @ rot.T + np.array([0, 0, 600.0])
    f = 600.0
    return np.stack([f * moved[:, 0] / moved[:, 2] + 320, f * moved[:, 1] / moved[:, 2] + 240, moved[:, 2]], axis=1)


def test_a_turning_head_shows_parallax_and_a_tilting_photo_does_not() -> None:
    head = [_project(HEAD, yaw) for yaw in np.linspace(-15, 15, 30)]
    flat = HEAD.copy()
    flat[:, 2] = 0.0  # a photograph of the same face
    photo = [_project(flat, yaw, pitch) for yaw, pitch in zip(np.linspace(-20, 20, 30), np.linspace(-8, 8, 30),
                                                              strict=True)]
    iod = [90.0] * 30
    assert nonplanar_residual(head, iod) > 0.05
    assert nonplanar_residual(photo, iod) < 0.005
    assert nonplanar_residual([head[0]] * 30, iod) < 1e-6  # a still has none
    assert len(RIGID) >= 8


def test_blinks_are_short_dips_below_the_adaptive_threshold() -> None:
    times = [i / 15 for i in range(60)]
    ears = [0.32] * 60
    for i in (10, 11, 40):  # two blinks
        ears[i] = 0.12
    assert count_blinks(times, ears, 0.75) == 2
    closed = [0.32] * 20 + [0.1] * 30 + [0.32] * 10  # eyes shut for 2 s: not a blink
    assert count_blinks(times, closed, 0.75) == 0
    assert count_blinks(times, [0.3] * 60, 0.75) == 0


def _obs(box: tuple[int, int, int, int] | None) -> Observation:
    m = FaceMeasurements(640, 480, 1 if box else 0, tuple(float(v) for v in box) if box else None)  # type: ignore[arg-type]
    return Observation(m, None, box)


def test_track_breaks_on_a_gap_or_a_jump() -> None:
    steady = [Timed(i / 15, _obs((200 + i, 100, 150, 180))) for i in range(30)]
    assert track_continuous(steady, 0.5)
    gap = steady[:10] + [Timed(i / 15, _obs(None)) for i in range(10, 25)] + steady[25:]
    assert not track_continuous(gap, 0.5)
    jump = steady[:15] + [Timed(i / 15, _obs((450, 100, 150, 180))) for i in range(15, 30)]
    assert not track_continuous(jump, 0.5)
    short_gap = steady[:10] + [Timed(i / 15, _obs(None)) for i in range(10, 14)] + steady[14:]
    assert track_continuous(short_gap, 0.5)


def test_measure_summarises_a_window() -> None:
    window = []
    for i, yaw in enumerate(np.linspace(-12, 12, 45)):
        p = _project(HEAD, yaw)
        m = FaceMeasurements(640, 480, 1, (200.0, 100.0, 150.0, 180.0), yaw_deg=float(yaw))
        ear = 0.1 if i in (20, 21) else 0.3
        window.append(Timed(i / 15, Observation(m, p, (200, 100, 150, 180), ear, 90.0)))
    e = measure(window, FaceThresholds())
    assert e.blinks == 1 and e.track_continuous and e.frames == 45
    assert e.nonplanar > 0.035 and e.yaw_range_deg > 15


def test_pose_from_mesh_points() -> None:
    p = np.zeros((478, 3))
    p[33], p[263] = (250, 200, 0), (390, 200, 0)  # eyes level
    p[10], p[152] = (320, 120, 0), (320, 360, 0)
    yaw, pitch, roll = pose_degrees(p)
    assert abs(yaw) < 1e-6 and abs(pitch) < 1e-6 and abs(roll) < 1e-6
    p[263] = (390, 200, 60)  # right eye farther away: head turned
    assert abs(pose_degrees(p)[0]) > 15


def test_fnmr_at_fmr_and_eer() -> None:
    genuine = [0.3] * 90 + [0.7] * 10
    impostor = list(np.linspace(0.5, 1.0, 1000))
    r = metrics.fnmr_at_fmr(genuine, impostor, 1e-2)
    assert r.fmr <= 1e-2 and r.fnmr == pytest.approx(0.10)
    assert r.genuine == 100 and r.impostor == 1000 and r.supported
    assert not metrics.fnmr_at_fmr(genuine, impostor, 1e-4).supported
    e, _ = metrics.eer([0.1, 0.2, 0.3], [0.5, 0.6, 0.7])
    assert e == 0.0
    e2, _ = metrics.eer([0.1, 0.6], [0.5, 0.9])
    assert 0.0 < e2 <= 0.5
    assert metrics.rates_at([0.1, 0.6], [0.5, 0.9], 0.55) == (0.5, 0.5)
    assert metrics.upper_bound_zero_errors(3000) == pytest.approx(1e-3)


def test_det_plot_is_written(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    from testbench.face.evaluation import derive_thresholds, plot_det

    rng = np.random.default_rng(1)
    genuine = list(rng.normal(0.42, 0.06, 300))
    impostor = list(rng.normal(0.8, 0.07, 5000))
    out = Path(str(tmp_path)) / "det.png"
    plot_det({"synthetic": {"genuine": genuine, "impostor": impostor}}, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 5000
    derived = derive_thresholds(genuine, impostor)
    assert derived["accept"] <= derived["reject"]
    assert metrics.rates_at(genuine, impostor, derived["accept"])[0] <= 1e-3
