"""kiosk.face: quality gates, liveness judgements, decision bands and the thresholds config (pure)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.errors import ConfigError
from kiosk.face import (
    FaceMeasurements,
    FaceThresholds,
    Guidance,
    LivenessEvidence,
    LivenessOutcome,
    LivenessReport,
    Verdict,
    assess_quality,
    decide,
    decide_band,
    judge_passive,
    load_thresholds,
    quality_score,
    usable,
)

T = FaceThresholds()
GOOD = FaceMeasurements(
    frame_width=640, frame_height=480, faces=1, box=(220.0, 100.0, 200.0, 240.0), sharpness=200.0,
    mean_grey=130.0, clipped_fraction=0.01, eye_open=0.3,
)


def test_a_good_frame_passes_every_gate() -> None:
    assert assess_quality(GOOD, T) == (Guidance.OK,)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"faces": 0, "box": None}, Guidance.NO_FACE),
        ({"faces": 2, "second_face_area_ratio": 0.8}, Guidance.ONE_PERSON_ONLY),
        ({"box": (2.0, 100.0, 200.0, 240.0)}, Guidance.CENTRE_FACE),
        ({"box": (250.0, 200.0, 70.0, 80.0)}, Guidance.COME_CLOSER),
        ({"box": (100.0, 20.0, 400.0, 440.0)}, Guidance.STEP_BACK),
        ({"mean_grey": 30.0}, Guidance.MORE_LIGHT),
        ({"mean_grey": 230.0}, Guidance.LESS_BACKLIGHT),
        ({"clipped_fraction": 0.3}, Guidance.LESS_BACKLIGHT),
        ({"yaw_deg": 35.0}, Guidance.FACE_CAMERA),
        ({"roll_deg": -25.0}, Guidance.FACE_CAMERA),
        ({"eye_open": 0.05}, Guidance.OPEN_EYES),
        ({"sharpness": 1.0}, Guidance.HOLD_STILL),
        ({"mask_suspected": True}, Guidance.REMOVE_MASK),
        ({"cap_suspected": True}, Guidance.REMOVE_CAP),
    ],
)
def test_each_gate_gives_its_guidance(change: dict[str, object], expected: Guidance) -> None:
    result = assess_quality(replace(GOOD, **change), T)  # type: ignore[arg-type]
    assert result[0] is expected
    assert Guidance.OK not in result


def test_occlusion_hints_prompt_but_do_not_block() -> None:
    hinted = assess_quality(replace(GOOD, mask_suspected=True, cap_suspected=True), T)
    assert hinted == (Guidance.REMOVE_MASK, Guidance.REMOVE_CAP) and usable(hinted)
    assert not usable(assess_quality(replace(GOOD, mask_suspected=True, sharpness=0.0), T))
    assert usable((Guidance.OK,)) and not usable((Guidance.NO_FACE,))


def test_a_small_second_face_behind_is_tolerated() -> None:
    assert assess_quality(replace(GOOD, faces=2, second_face_area_ratio=0.2), T) == (Guidance.OK,)


def test_guidance_is_ordered_most_fixable_first() -> None:
    m = replace(GOOD, box=(250.0, 200.0, 70.0, 80.0), mean_grey=20.0, sharpness=0.0)
    assert assess_quality(m, T) == (Guidance.COME_CLOSER, Guidance.MORE_LIGHT, Guidance.HOLD_STILL)


def test_every_guidance_and_verdict_has_japanese_and_english() -> None:
    from kiosk.screen_texts import FACE_HINTS, VERDICT_TEXTS
    from kiosk.translations import translate

    for en in [FACE_HINTS[g] for g in Guidance] + [VERDICT_TEXTS[v] for v in Verdict]:
        ja = translate("ja", en)
        assert ja and en and ja != en
        assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in ja)


def test_quality_score_prefers_frontal_sharp_frames() -> None:
    assert quality_score(GOOD, T) > quality_score(replace(GOOD, yaw_deg=15.0), T)
    assert quality_score(GOOD, T) > quality_score(replace(GOOD, sharpness=20.0), T)


def _evidence(**kw: object) -> LivenessEvidence:
    base = {"frames": 45, "duration_s": 3.0, "blinks": 1, "nonplanar": 0.06, "yaw_range_deg": 15.0,
            "track_continuous": True}
    return LivenessEvidence(**(base | kw))  # type: ignore[arg-type]


def test_passive_needs_both_blink_and_depth() -> None:
    assert judge_passive(_evidence(), T) is LivenessOutcome.PASSED
    assert judge_passive(_evidence(blinks=0), T) is LivenessOutcome.NEEDS_CHALLENGE
    assert judge_passive(_evidence(nonplanar=0.001), T) is LivenessOutcome.NEEDS_CHALLENGE
    assert judge_passive(_evidence(track_continuous=False), T) is LivenessOutcome.FAILED


def test_bands() -> None:
    assert decide_band(T.accept, T) is Verdict.ACCEPT
    assert decide_band((T.accept + T.reject) / 2, T) is Verdict.RETRY
    assert decide_band(T.reject, T) is Verdict.REJECT


LIVE = LivenessReport(LivenessOutcome.PASSED, _evidence(), identity_spread=0.2)


def test_decision_uses_the_median_and_records_how_it_was_made() -> None:
    d = decide([0.30, 0.45, 0.90], LIVE, T, frames_seen=80, frames_good=50, frames_used=[3, 20, 41],
               timings_ms={"encode": 230.04})
    assert d.verdict is Verdict.ACCEPT and d.median_distance == 0.45
    assert (d.accept_threshold, d.reject_threshold, d.model) == (T.accept, T.reject, T.model)
    assert d.frames_used == (3, 20, 41) and d.liveness is LIVE
    data = d.to_json()
    assert data["verdict"] == "accept" and data["liveness"]["outcome"] == "passed"
    assert data["timings_ms"] == {"encode": 230.0}
    json.dumps(data)
    with pytest.raises(AttributeError):
        d.verdict = Verdict.REJECT  # type: ignore[misc]


def test_a_spoof_never_gets_a_match_verdict() -> None:
    failed = LivenessReport(LivenessOutcome.FAILED, _evidence(blinks=0, nonplanar=0.0))
    d = decide([0.1, 0.1, 0.1], failed, T, frames_seen=100, frames_good=100, frames_used=[1, 2, 3])
    assert d.verdict is Verdict.LIVENESS_FAILED


def test_identity_change_within_the_window_fails() -> None:
    swapped = replace(LIVE, identity_spread=0.9)
    d = decide([0.3, 0.3, 0.3], swapped, T, frames_seen=60, frames_good=60, frames_used=[1, 2, 3])
    assert d.verdict is Verdict.LIVENESS_FAILED


def test_no_encodings_is_a_failure_to_acquire() -> None:
    d = decide([], None, T, frames_seen=300, frames_good=0, frames_used=[])
    assert d.verdict is Verdict.NO_USABLE_FACE and d.median_distance is None


def test_thresholds_round_trip_and_packaged_file_loads(tmp_path: Path) -> None:
    packaged = load_thresholds()
    assert 0 < packaged.accept <= packaged.reject
    path = tmp_path / "t.json"
    path.write_text(json.dumps(replace(T, accept=0.45).to_mapping()), encoding="utf-8")
    assert load_thresholds(path).accept == 0.45


@pytest.mark.parametrize(
    "content",
    ["{not json", "[1, 2]", '{"accept": "high"}', '{"accept": 0.7, "reject": 0.6}', '{"bogus": 1}',
     '{"frames_to_encode": 0}', '{"min_blinks": 1.5}', '{"mirror_probe": 1}', '{"accept": true}'],
)
def test_damaged_thresholds_are_a_config_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "t.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_thresholds(path)


def test_missing_named_thresholds_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_thresholds(tmp_path / "absent.json")
