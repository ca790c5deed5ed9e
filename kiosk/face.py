"""Face verification domain: guidance codes, quality gates, liveness outcomes, decision bands, thresholds.

Pure and stdlib only. The drivers measure (pixels, landmarks, encodings); this module decides. Everything
here can be tested with plain numbers, and every decision is recorded in a frozen `FaceDecision` that says
how it was made (distances, thresholds, model, frames used, liveness evidence, timings) and nothing more:
no frame, no photo and no encoding ever enters these records.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

from kiosk.errors import ConfigError
from kiosk.face_challenge import ChallengeRules, Prompt, PromptResult

# --- guidance -------------------------------------------------------------------------------------------


# The face encoder every decision names (drivers/face/encoder.py loads its weights; results report it).
FACE_MODEL_ID = "dlib_face_recognition_resnet_model_v1"


class Guidance(Enum):
    """What the screen tells the patient while the camera looks for a usable face. Value = stable code;
    the words are in kiosk.screen_texts.FACE_HINTS."""

    OK = "ok"
    NO_FACE = "no_face"
    ONE_PERSON_ONLY = "one_person_only"
    COME_CLOSER = "come_closer"
    STEP_BACK = "step_back"
    CENTRE_FACE = "centre_face"
    FACE_CAMERA = "face_camera"
    HOLD_STILL = "hold_still"
    MORE_LIGHT = "more_light"
    LESS_BACKLIGHT = "less_backlight"
    OPEN_EYES = "open_eyes"
    REMOVE_MASK = "remove_mask"
    REMOVE_CAP = "remove_cap"
    BLINK = "blink"
    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"
    NOD = "nod"

PROMPT_GUIDANCE: dict[Prompt, Guidance] = {
    Prompt.TURN_LEFT: Guidance.TURN_LEFT,
    Prompt.TURN_RIGHT: Guidance.TURN_RIGHT,
    Prompt.NOD: Guidance.NOD,
    Prompt.BLINK: Guidance.BLINK,
}

# Order in which to show problems when several apply: the first one the patient can fix wins.
GUIDANCE_PRIORITY: tuple[Guidance, ...] = (
    Guidance.NO_FACE,
    Guidance.ONE_PERSON_ONLY,
    Guidance.CENTRE_FACE,
    Guidance.COME_CLOSER,
    Guidance.STEP_BACK,
    Guidance.REMOVE_MASK,
    Guidance.REMOVE_CAP,
    Guidance.MORE_LIGHT,
    Guidance.LESS_BACKLIGHT,
    Guidance.FACE_CAMERA,
    Guidance.OPEN_EYES,
    Guidance.HOLD_STILL,
)


# Occlusion hints are prompts, not gates: a frame that only draws one of them still counts (a mask or cap is
# asked off, never a reason to wait silently).
ADVISORY: frozenset[Guidance] = frozenset({Guidance.REMOVE_MASK, Guidance.REMOVE_CAP})


def usable(guidance: Sequence[Guidance]) -> bool:
    """Whether a frame with this guidance may be used (for liveness and matching)."""
    return all(g is Guidance.OK or g in ADVISORY for g in guidance)


# --- thresholds (config) --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FaceThresholds:
    """Every number the face path decides with. Loaded from assets/face/thresholds.json (derived by
    `myna-testbench face eval`) or from a file named in the kiosk config."""

    model: str = FACE_MODEL_ID
    accept: float = 0.50  # median distance at or below: same person
    reject: float = 0.60  # median distance at or above: not the same person (go to PIN/staff)
    frames_to_encode: int = 3  # best frames encoded after capture, one per segment of the window
    mirror_probe: bool = True  # average each probe's encoding with its mirror's (eval: FNMR@1e-3 4.1 → 3.6 %)
    min_good_frames: int = 6  # frames passing every gate before a decision is attempted
    # quality gates (pixels are at the analysed frame size, normally 640x480)
    min_face_height: float = 100.0  # FaceMesh box (forehead to chin), about a 85-px HOG box
    max_face_fraction: float = 0.85  # face box height over frame height: above this, step back
    second_face_ratio: float = 0.5  # a second face larger than this share of the main face's area
    edge_margin: float = 0.02  # the face box must stay this share of the frame away from the edges
    max_yaw_deg: float = 20.0
    max_pitch_deg: float = 20.0
    max_roll_deg: float = 15.0
    min_sharpness: float = 15.0  # variance of the Laplacian on the grey face crop (scaled to 128 px)
    min_mean_grey: float = 60.0
    max_mean_grey: float = 200.0
    max_clipped_fraction: float = 0.08
    min_eye_open: float = 0.18  # eye aspect ratio
    # liveness
    blink_ratio: float = 0.75  # an EAR dip below this share of the window's median EAR is a blink
    min_blinks: int = 1
    min_nonplanar: float = 0.035  # 90th percentile homography residual / inter-ocular distance
    max_track_gap_s: float = 0.5  # a face missing for longer breaks the track (identity continuity)
    max_identity_spread: float = 0.55  # largest distance between encodings taken across the window
    passive_window_s: float = 3.0
    # the prompted challenge (kiosk/face_challenge.py): policy and the numbers each prompt is judged by
    always_challenge: bool = True  # prompt even after a passive pass (false: only when passive evidence is weak)
    challenge_prompts: int = 2  # distinct prompts per capture, drawn at random
    challenge_actions: str = "turn_left,turn_right,nod,blink"  # the prompts that may be drawn
    prompt_hold_min_s: float = 0.4  # random hold before each prompt, once the face is quiet
    prompt_hold_max_s: float = 1.6
    quiet_timeout_s: float = 6.0  # the face never quiet for this long before a prompt: liveness failed
    quiet_s: float = 1.0
    quiet_max_deg: float = 5.0
    min_latency_s: float = 0.15
    response_window_s: float = 2.0
    turn_deg: float = 10.0
    nod_deg: float = 7.0
    min_depth: float = 0.02
    provenance: str = "built-in defaults (assets/face/thresholds.json replaces them)"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> FaceThresholds:
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ConfigError(f"unknown face threshold keys: {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for name, value in data.items():
            default = getattr(cls, name)
            if isinstance(default, bool):
                if not isinstance(value, bool):
                    raise ConfigError(f"face threshold {name} must be true or false")
            elif isinstance(default, str):
                if not isinstance(value, str):
                    raise ConfigError(f"face threshold {name} must be text")
            elif isinstance(default, int) and not isinstance(default, bool):
                if not isinstance(value, int) or isinstance(value, bool):
                    raise ConfigError(f"face threshold {name} must be a whole number")
            elif not isinstance(value, int | float) or isinstance(value, bool):
                raise ConfigError(f"face threshold {name} must be a number")
            values[name] = value
        made = cls(**values)
        if not 0.0 < made.accept <= made.reject < 2.0:
            raise ConfigError(f"face thresholds need 0 < accept <= reject < 2 (got {made.accept}, {made.reject})")
        if made.frames_to_encode < 1 or made.min_good_frames < made.frames_to_encode:
            raise ConfigError("face thresholds need 1 <= frames_to_encode <= min_good_frames")
        try:
            allowed = made.prompts_allowed
        except ValueError:
            raise ConfigError(f"face challenge_actions: unknown prompt in {made.challenge_actions!r}") from None
        if not 0 <= made.challenge_prompts <= len(allowed) or made.prompt_hold_min_s > made.prompt_hold_max_s:
            raise ConfigError("face challenge: challenge_prompts must not exceed the allowed actions, hold min <= max")
        return made

    def to_mapping(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def prompts_allowed(self) -> tuple[Prompt, ...]:
        return tuple(Prompt(v.strip()) for v in self.challenge_actions.split(",") if v.strip())

    @property
    def challenge_rules(self) -> ChallengeRules:
        return ChallengeRules(
            quiet_s=self.quiet_s, quiet_max_deg=self.quiet_max_deg, min_latency_s=self.min_latency_s,
            response_window_s=self.response_window_s, turn_deg=self.turn_deg, nod_deg=self.nod_deg,
            blink_ratio=self.blink_ratio, min_depth=self.min_depth,
        )


def load_thresholds(path: Path | None = None) -> FaceThresholds:
    """Thresholds from `path`, or the packaged assets/face/thresholds.json; a damaged file is a ConfigError."""
    try:
        if path is None:
            text = (resources.files("assets") / "face" / "thresholds.json").read_text(encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except FileNotFoundError:
        if path is None:
            return FaceThresholds()
        raise ConfigError(f"face thresholds file not found: {path}") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"face thresholds unreadable: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError("face thresholds must be a JSON object")
    return FaceThresholds.from_mapping(data)


# --- quality gates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FaceMeasurements:
    """What the drivers measured on one frame (numbers only)."""

    frame_width: int
    frame_height: int
    faces: int
    box: tuple[float, float, float, float] | None = None  # x, y, w, h of the main face
    second_face_area_ratio: float = 0.0
    yaw_deg: float = 0.0
    pitch_deg: float = 0.0
    roll_deg: float = 0.0
    sharpness: float = 0.0
    mean_grey: float = 128.0
    clipped_fraction: float = 0.0
    eye_open: float = 0.3  # mean EAR of both eyes
    mask_suspected: bool = False
    cap_suspected: bool = False


def assess_quality(m: FaceMeasurements, t: FaceThresholds) -> tuple[Guidance, ...]:
    """Every gate that fails, most fixable first; `(Guidance.OK,)` when the frame may be used."""
    if m.faces == 0 or m.box is None:
        return (Guidance.NO_FACE,)
    problems: set[Guidance] = set()
    if m.faces > 1 and m.second_face_area_ratio > t.second_face_ratio:
        problems.add(Guidance.ONE_PERSON_ONLY)
    x, y, w, h = m.box
    margin_x, margin_y = t.edge_margin * m.frame_width, t.edge_margin * m.frame_height
    if x < margin_x or y < margin_y or x + w > m.frame_width - margin_x or y + h > m.frame_height - margin_y:
        problems.add(Guidance.CENTRE_FACE)
    if h < t.min_face_height:
        problems.add(Guidance.COME_CLOSER)
    if h > t.max_face_fraction * m.frame_height:
        problems.add(Guidance.STEP_BACK)
    if m.mask_suspected:
        problems.add(Guidance.REMOVE_MASK)
    if m.cap_suspected:
        problems.add(Guidance.REMOVE_CAP)
    if m.mean_grey < t.min_mean_grey:
        problems.add(Guidance.MORE_LIGHT)
    elif m.mean_grey > t.max_mean_grey or m.clipped_fraction > t.max_clipped_fraction:
        problems.add(Guidance.LESS_BACKLIGHT)
    if abs(m.yaw_deg) > t.max_yaw_deg or abs(m.pitch_deg) > t.max_pitch_deg or abs(m.roll_deg) > t.max_roll_deg:
        problems.add(Guidance.FACE_CAMERA)
    if m.eye_open < t.min_eye_open:
        problems.add(Guidance.OPEN_EYES)
    if m.sharpness < t.min_sharpness:
        problems.add(Guidance.HOLD_STILL)
    if not problems:
        return (Guidance.OK,)
    return tuple(g for g in GUIDANCE_PRIORITY if g in problems)


def quality_score(m: FaceMeasurements, t: FaceThresholds) -> float:
    """Rank usable frames: frontal, sharp, well exposed and large is best. Higher is better."""
    if m.box is None:
        return 0.0
    pose = 1.0 - min(1.0, (abs(m.yaw_deg) / t.max_yaw_deg + abs(m.pitch_deg) / t.max_pitch_deg) / 2.0)
    sharp = min(1.0, m.sharpness / (4.0 * t.min_sharpness))
    exposure = 1.0 - min(1.0, abs(m.mean_grey - 128.0) / 128.0)
    size = min(1.0, m.box[3] / (2.0 * t.min_face_height))
    return round(0.35 * pose + 0.3 * sharp + 0.15 * exposure + 0.2 * size, 6)


# --- liveness --------------------------------------------------------------------------------------------


class LivenessOutcome(Enum):
    PASSED = "passed"  # enough passive or challenge evidence of a live, continuous person
    NEEDS_CHALLENGE = "needs_challenge"  # passive evidence weak: prompt a blink or a head turn
    FAILED = "failed"  # no evidence after the challenge, or the identity changed mid-window


@dataclass(frozen=True)
class LivenessEvidence:
    """Numbers the liveness analysis measured over one window."""

    frames: int
    duration_s: float
    blinks: int
    nonplanar: float  # 90th percentile homography residual over the window, in inter-ocular distances
    yaw_range_deg: float
    track_continuous: bool


@dataclass(frozen=True)
class LivenessReport:
    outcome: LivenessOutcome
    passive: LivenessEvidence | None
    identity_spread: float | None = None  # largest distance between the window's encodings
    reason: str = ""
    prompts: tuple[PromptResult, ...] = ()  # the prompted challenge, one result per prompt shown
    checks: tuple[str, ...] = ()  # which checks ran: track, passive, prompts, depth, identity_spread


def judge_passive(e: LivenessEvidence, t: FaceThresholds) -> LivenessOutcome:
    """Passive: natural blinks AND non-planar (3-D) landmark motion on one continuous track."""
    if not e.track_continuous:
        return LivenessOutcome.FAILED
    if e.blinks >= t.min_blinks and e.nonplanar >= t.min_nonplanar:
        return LivenessOutcome.PASSED
    return LivenessOutcome.NEEDS_CHALLENGE


# --- decision --------------------------------------------------------------------------------------------


class Verdict(Enum):
    """The outcome of one face check; the words are in kiosk.screen_texts.VERDICT_TEXTS."""

    ACCEPT = "accept"
    RETRY = "retry"  # median in the band between accept and reject: try again with guidance
    REJECT = "reject"  # not the card holder as far as the face can tell: go to PIN or staff
    LIVENESS_FAILED = "liveness_failed"
    NO_USABLE_FACE = "no_usable_face"  # failure to acquire within the time limit


def decide_band(median_distance: float, t: FaceThresholds) -> Verdict:
    if median_distance <= t.accept:
        return Verdict.ACCEPT
    if median_distance >= t.reject:
        return Verdict.REJECT
    return Verdict.RETRY


@dataclass(frozen=True)
class FaceDecision:
    """The audit record of one face check. Numbers and codes only; no image, photo or encoding."""

    verdict: Verdict
    median_distance: float | None
    distances: tuple[float, ...]
    accept_threshold: float
    reject_threshold: float
    model: str
    frames_seen: int
    frames_good: int
    frames_used: tuple[int, ...]  # frame indices whose encodings were compared
    liveness: LivenessReport | None
    guidance: tuple[Guidance, ...] = ()  # most frequent problems, for the retry screen
    timings_ms: tuple[tuple[str, float], ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, Enum):
                return value.value
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        data = plain(asdict(self))
        data["timings_ms"] = dict(self.timings_ms)
        return data

    @property
    def retry_hint(self) -> Guidance:
        """What to tell the patient before another attempt: the problem seen most, when the face was the issue."""
        if self.verdict in (Verdict.RETRY, Verdict.NO_USABLE_FACE) and self.guidance:
            return self.guidance[0]
        return Guidance.OK


def no_decision(t: FaceThresholds) -> FaceDecision:
    """The record of an attempt stopped before it decided (cancelled): nothing seen, nothing matched."""
    return FaceDecision(Verdict.NO_USABLE_FACE, None, (), t.accept, t.reject, t.model, 0, 0, (), None)


def decide(
    distances: Sequence[float],
    liveness: LivenessReport | None,
    t: FaceThresholds,
    *,
    frames_seen: int,
    frames_good: int,
    frames_used: Sequence[int],
    guidance: Sequence[Guidance] = (),
    timings_ms: Mapping[str, float] | None = None,
) -> FaceDecision:
    """Liveness first (a spoof never gets a match verdict), then the band of the median distance."""
    median = round(statistics.median(distances), 4) if distances else None
    if liveness is not None and liveness.outcome is not LivenessOutcome.PASSED:
        verdict = Verdict.LIVENESS_FAILED
    elif median is None:
        verdict = Verdict.NO_USABLE_FACE
    elif (
        liveness is not None
        and liveness.identity_spread is not None
        and liveness.identity_spread > t.max_identity_spread
    ):
        verdict = Verdict.LIVENESS_FAILED  # the face changed during the window
    else:
        verdict = decide_band(median, t)
    return FaceDecision(
        verdict=verdict,
        median_distance=median,
        distances=tuple(round(d, 4) for d in distances),
        accept_threshold=t.accept,
        reject_threshold=t.reject,
        model=t.model,
        frames_seen=frames_seen,
        frames_good=frames_good,
        frames_used=tuple(frames_used),
        liveness=liveness,
        guidance=tuple(guidance),
        timings_ms=tuple(sorted((k, round(v, 1)) for k, v in (timings_ms or {}).items())),
    )
