"""A bench camera that answers prompts: a cooperative patient cut from real fixture footage.

`Footage.index` measures every frame of a fixture video once (pose and eye openness with the product's
own analyser) and finds, in the real footage, *rest* stretches (pose steady, no blink, ≥ 0.6 s) and
*action* clips: a turn to either side, a nod, a blink, each a stretch where the person really did that.
`CooperativePatient` then plays the rest stretch back and forth (a person holding still) and, when — and
only when — a prompt is on screen, waits a human reaction time and plays a clip of the prompted action
whose first pose matches the rest pose, then the same clip backwards (the real way back), then rests.
Honest transforms only: a real movement may be played backwards (a turn to the right, reversed, is a
real-looking turn to the left back to where it started), a steady stretch is played back and forth, and
the patient steps closer (a zoom) when told "少し近づいてください". Nothing is synthesised: a prompt the
footage has no clip for goes unanswered and counts against the system (BPCER), as it should.

Attack sources (`testbench.face.attacks`) share the `next_frame(prompt, guidance)` call and ignore both:
they play on their own clock.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
import numpy.typing as npt

from drivers.camera.sources import Frame, VideoFileSource
from drivers.face.landmarks import FaceAnalyser
from kiosk.face import Guidance
from kiosk.face_challenge import PROMPTS, Prompt

Image = npt.NDArray[Any]

REST_MIN_S = 0.4  # played back and forth, so a short steady stretch rests as long as needed
REST_MAX_DEG = 3.0  # the product's quiet test allows 5°; the session's own tracking differs a little
TURN_MIN_DEG = 13.0  # the footage's turn must clear the product's 10° with margin, so failures are the system's
NOD_MIN_DEG = 10.0
CLIP_MAX_S = 1.2
POSE_MATCH_DEG = 4.0  # a cut from the rest pose to a clip's first frame may not jump more than this ...
LEAD_IN_DEG = 8.0  # ... except along the prompted action, where the cut is just a fast start of the movement
MIRRORED = {Prompt.TURN_LEFT: Prompt.TURN_RIGHT, Prompt.TURN_RIGHT: Prompt.TURN_LEFT,
            Prompt.NOD: Prompt.NOD, Prompt.BLINK: Prompt.BLINK}


class BenchCamera(Protocol):
    """A bench frame source that sees the screen: `prompt` and `guidance` are what the kiosk shows now."""

    name: str

    def next_frame(self, prompt: Prompt | None, guidance: Sequence[Guidance]) -> Frame | None: ...


@dataclass(frozen=True)
class Clip:
    prompt: Prompt  # as recorded (before any mirroring)
    frames: tuple[int, ...]
    start_pose: tuple[float, float]  # yaw, pitch of the first frame
    end_pitch: float = 0.0


@dataclass(frozen=True)
class Rest:
    frames: tuple[int, ...]
    pose: tuple[float, float]


@dataclass
class Footage:
    name: str
    fps: float
    images: list[Image] = field(repr=False)
    yaw: npt.NDArray[np.float64] = field(repr=False)
    pitch: npt.NDArray[np.float64] = field(repr=False)
    ear: npt.NDArray[np.float64] = field(repr=False)
    rests: list[Rest] = field(default_factory=list)
    clips: list[Clip] = field(default_factory=list)

    @classmethod
    def index(cls, path: Path, *, frame_size: tuple[int, int] = (640, 480)) -> Footage:
        images, yaw, pitch, ear, times = [], [], [], [], []
        with FaceAnalyser() as analyser:
            for f in VideoFileSource(path).frames():
                image = _fit(f.image, *frame_size)
                obs = analyser.analyse(image)
                images.append(image)
                times.append(f.t)
                ok = obs.points is not None
                yaw.append(obs.measurements.yaw_deg if ok else math.nan)
                pitch.append(obs.measurements.pitch_deg if ok else math.nan)
                ear.append(obs.ear if ok else math.nan)
        fps = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 and times[-1] > times[0] else 25.0
        made = cls(path.name, fps, images, np.array(yaw), np.array(pitch), np.array(ear))
        made._find()
        return made

    def held_rests(self) -> list[Rest]:
        """For footage with no steady stretch at all: the first frame of each clip, held (a person keeping
        very still; the patient adds sensor noise so it is not a frozen picture). Labelled as such."""
        seen: dict[int, Rest] = {}
        for c in self.clips:
            seen.setdefault(c.frames[0], Rest((c.frames[0],), c.start_pose))
        return list(seen.values())

    def coverage(self) -> dict[str, int]:
        return {p.value: sum(1 for c in self.clips if c.prompt is p) for p in Prompt} | {"rests": len(self.rests)}

    def _blinky(self) -> npt.NDArray[np.bool_]:
        valid = ~np.isnan(self.ear)
        median = float(np.nanmedian(self.ear)) if valid.any() else 0.3
        return valid & (self.ear < 0.75 * median)

    def _find(self) -> None:
        n, valid, blinky = len(self.images), ~np.isnan(self.yaw), self._blinky()
        span_rest, span_clip = round(REST_MIN_S * self.fps), round(CLIP_MAX_S * self.fps)
        a = 0
        while a + span_rest <= n:  # rest stretches: greedy, non-overlapping
            b = a + span_rest
            seg = slice(a, b)
            if valid[seg].all() and not blinky[seg].any() and _range(self.yaw[seg]) <= REST_MAX_DEG \
                    and _range(self.pitch[seg]) <= REST_MAX_DEG:
                while b < n and valid[b] and not blinky[b] and _range(self.yaw[a : b + 1]) <= REST_MAX_DEG \
                        and _range(self.pitch[a : b + 1]) <= REST_MAX_DEG:
                    b += 1
                idx = tuple(range(a, b))
                local = self.ear[a:b]
                if float(np.min(local)) < 0.85 * float(np.median(local)):  # a half blink inside: not a rest
                    a += 1
                    continue
                self.rests.append(Rest(idx, (float(np.median(self.yaw[a:b])), float(np.median(self.pitch[a:b])))))
                a = b
            else:
                a += 1
        for a in range(n):  # action clips starting at every valid frame
            if not valid[a]:
                continue
            for b in range(a + 2, min(n, a + span_clip)):
                seg = slice(a, b + 1)
                if not valid[seg].all():
                    break
                dy, dp = self.yaw[b] - self.yaw[a], self.pitch[b] - self.pitch[a]
                moved = float(np.max(np.abs(self.yaw[seg] - self.yaw[a])))
                nodded = float(np.max(np.abs(self.pitch[seg] - self.pitch[a])))
                prompt = None
                if abs(dy) >= TURN_MIN_DEG and nodded < 0.6 * abs(dy):
                    prompt = Prompt.TURN_RIGHT if dy > 0 else Prompt.TURN_LEFT  # yaw grows to the patient's right
                elif abs(dp) >= NOD_MIN_DEG and moved < 0.4 * abs(dp) and moved < 6.0:
                    prompt = Prompt.NOD
                if prompt is not None and not blinky[seg].any():
                    forward = tuple(range(a, b + 1))
                    self.clips.append(Clip(prompt, forward, (float(self.yaw[a]), float(self.pitch[a])),
                                           float(self.pitch[b])))
                    # the same real movement played backwards is the opposite movement (a nod stays a nod)
                    back = tuple(reversed(forward))
                    self.clips.append(Clip(MIRRORED[prompt], back, (float(self.yaw[b]), float(self.pitch[b])),
                                           float(self.pitch[a])))
                    break
        i = 0
        while i < n:  # blinks: a dip with the head steady around it
            if blinky[i]:
                j = i
                while j < n and blinky[j]:
                    j += 1
                a, b = max(0, i - 3), min(n, j + 4)
                seg = slice(a, b)
                if valid[seg].all() and (j - i) / self.fps <= 0.5 and _range(self.yaw[seg]) <= 6 \
                        and _range(self.pitch[seg]) <= 6:
                    pose = (float(self.yaw[a]), float(self.pitch[a]))
                    self.clips.append(Clip(Prompt.BLINK, tuple(range(a, b)), pose, pose[1]))
                i = j
            else:
                i += 1


def fits_rest(clip: Clip, rest: tuple[float, float]) -> bool:
    """Whether a cut from the rest pose into the clip looks like the start of the clip's own movement."""
    dy, dp = clip.start_pose[0] - rest[0], clip.start_pose[1] - rest[1]
    if clip.prompt is Prompt.BLINK:
        return abs(dy) <= POSE_MATCH_DEG and abs(dp) <= POSE_MATCH_DEG
    if clip.prompt is Prompt.NOD:
        end_dp = clip.end_pitch - rest[1]
        along = abs(dp) <= LEAD_IN_DEG and dp * end_dp >= 0
        return abs(dy) <= POSE_MATCH_DEG and (abs(dp) <= POSE_MATCH_DEG or along)
    sign = 1.0 if clip.prompt is Prompt.TURN_RIGHT else -1.0
    along = 0.0 <= sign * dy <= LEAD_IN_DEG
    return abs(dp) <= POSE_MATCH_DEG and (abs(dy) <= POSE_MATCH_DEG or along)


def _range(values: npt.NDArray[np.float64]) -> float:
    return float(np.nanmax(values) - np.nanmin(values)) if values.size else 0.0


def _fit(image: Image, width: int, height: int) -> Image:
    h, w = image.shape[:2]
    if (w, h) == (width, height):
        return image
    scale = min(width / w, height / h)
    resized = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    out = np.full((height, width, 3), 90, np.uint8)
    y0, x0 = (height - resized.shape[0]) // 2, (width - resized.shape[1]) // 2
    out[y0 : y0 + resized.shape[0], x0 : x0 + resized.shape[1]] = resized
    return out


def zoom(image: Image, factor: float) -> Image:
    """The patient stepping closer: magnify about the centre (an honest optical change, no new detail)."""
    if factor <= 1.001:
        return image
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), 0.0, factor)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


class CooperativePatient:
    """Rests, answers each prompt once after a reaction time, steps closer when asked."""

    def __init__(self, footage: Footage, rng: random.Random, *, mirror: bool | None = None,
                 latency_s: tuple[float, float] = (0.3, 0.8), max_s: float = 25.0,
                 prompts: Sequence[Prompt] = PROMPTS) -> None:
        rng.random()  # keeps the draws of earlier runs (the mirror coin) for the same seeds
        self.f, self.rng = footage, rng
        # Not mirrored by default: FaceMesh is not mirror-symmetric (a rest stretch steady in the footage
        # measured 5° of pitch wobble mirrored), so the footage's index would not hold for the mirror image.
        self.mirror = bool(mirror)
        self.name = f"patient:{footage.name}{':mirrored' if self.mirror else ''}"
        self.latency_s, self.max_frames = latency_s, round(max_s * footage.fps)
        rests = footage.rests or footage.held_rests()
        self.held = not footage.rests
        # a patient stands the way they stand: among the footage's rest poses, one from which the most kinds
        # of prompt can be answered (a choice among real poses, nothing made up)
        reach = {id(r): sum(any(c.prompt is p and fits_rest(c, r.pose) for c in footage.clips) for p in prompts)
                 for r in rests}
        best = max(reach.values(), default=0)
        self.rest = rng.choice([r for r in rests if reach[id(r)] == best]) if rests else None
        self.name += ":held" if self.held else ""
        self.n, self._rest_pos, self._zoom = 0, 0, 1.0
        self._noise = np.random.default_rng(rng.randrange(2**32))
        self._queue: list[int] = []  # frames to play before resting again (reaction, clip, way back)
        self._answered: Prompt | None = None  # the prompt being answered (answer once per showing)
        self.unanswerable: list[Prompt] = []  # prompts the footage had no matching clip for

    def _effective(self, prompt: Prompt) -> Prompt:
        return MIRRORED[prompt] if self.mirror else prompt

    def _rest_frame(self) -> int:
        frames = self.rest.frames if self.rest else (0,)
        period = max(1, 2 * len(frames) - 2)
        k = self._rest_pos % period
        self._rest_pos += 1
        return frames[k] if k < len(frames) else frames[period - k]

    def _pick_clip(self, prompt: Prompt) -> Clip | None:
        if self.rest is None:
            return None
        wanted = self._effective(prompt)  # the recorded action that, mirrored or not, shows the prompt
        fits = [c for c in self.f.clips if c.prompt is wanted and fits_rest(c, self.rest.pose)]
        return self.rng.choice(fits) if fits else None

    def next_frame(self, prompt: Prompt | None, guidance: Sequence[Guidance]) -> Frame | None:
        if self.n >= self.max_frames:
            return None
        if prompt is None:
            self._answered = None
        elif prompt is not self._answered and not self._queue:
            self._answered = prompt
            clip = self._pick_clip(prompt)
            if clip is None:
                self.unanswerable.append(prompt)
            else:
                wait = round(self.rng.uniform(*self.latency_s) * self.f.fps)
                hold = round(self.rng.uniform(0.2, 0.5) * self.f.fps)
                self._queue = [self._rest_frame() for _ in range(wait)] + list(clip.frames) \
                    + [clip.frames[-1]] * hold + list(reversed(clip.frames))
        if Guidance.COME_CLOSER in guidance[:1] and self._zoom < 1.8:
            self._zoom *= 1.0 + 0.4 / self.f.fps  # about 40 % closer per second while asked
        playing = bool(self._queue)
        index = self._queue.pop(0) if playing else self._rest_frame()
        image = self.f.images[index]
        if self.held and not playing:
            image = np.clip(image + self._noise.normal(0, 2.0, image.shape), 0, 255).astype(np.uint8)
        if self.mirror:
            image = np.ascontiguousarray(image[:, ::-1])
        image = zoom(image, self._zoom)
        frame = Frame(self.n, self.n / self.f.fps, image)
        self.n += 1
        return frame
