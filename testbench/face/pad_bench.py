"""The responsive bench: bona fide attempts by a cooperative patient and attacks on their own clock, through
the real live session (gates, passive window, prompted challenge, identity across the capture).

* BPCER: attempts by `CooperativePatient`s cut from each fixture video (random mirror, rest, reaction
  time, prompts), liveness level for every video and decision level where a chip from a *different*
  session exists (the Hamilton clip against the Lin-Manuel Miranda still). A prompt the footage holds no
  clip for is counted as a failure and also reported on its own (a gap of the fixtures, not of the system).
* APCER per species (ISO/IEC 30107-3): the share of attack presentations that pass liveness; plus how
  many a matcher would then have accepted against the same identity's chips.
Every rate comes with its 95 % Wilson and Clopper-Pearson intervals and the count it rests on.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from drivers.camera.sources import Frame, VideoFileSource
from drivers.face import metrics
from drivers.face.encoder import DlibEncoder
from drivers.face.landmarks import FaceAnalyser
from drivers.face.session import Capture, LiveFaceSession
from kiosk.face import FaceThresholds, Guidance, LivenessOutcome
from kiosk.face_challenge import Prompt
from testbench.face import attacks
from testbench.face.responsive import BenchCamera, CooperativePatient, Footage

SPECIES = ("print", "screen", "still_loop", "jittered", "waved_print", "bent_print", "warped_blinks",
           "replay", "replay_on_screen")


@dataclass
class Attempt:
    camera: str
    capture: Capture = field(repr=False)
    identity: str
    seconds: float
    frames: int
    unanswerable: tuple[Prompt, ...] = ()
    face_heights: list[float] = field(default_factory=list, repr=False)

    @property
    def live(self) -> bool:
        return self.capture.liveness is not None and self.capture.liveness.outcome is LivenessOutcome.PASSED


def run_camera(camera: BenchCamera, encoder: DlibEncoder, t: FaceThresholds, seed: int, identity: str,
               analyser: FaceAnalyser) -> Attempt:
    """One attempt: the camera sees what the kiosk shows after each frame (prompt and guidance)."""
    session = LiveFaceSession(encoder, t, analyser=analyser, rng=random.Random(seed), timeout_s=25.0)
    prompt: Prompt | None = None
    guidance: tuple[Guidance, ...] = ()
    heights: list[float] = []
    last_t = 0.0
    while not session.done:
        frame = camera.next_frame(prompt, guidance)
        if frame is None:
            session.source_ended()
            break
        feedback = session.feed(frame)
        prompt, guidance, last_t = feedback.prompt, feedback.guidance, frame.t
        if session.last_box is not None:
            heights.append(session.last_box[3])
    capture = session.capture(match_even_if_not_live=True)
    unanswerable = tuple(getattr(camera, "unanswerable", ()))
    return Attempt(camera.name, capture, identity, last_t, session.frames_seen, unanswerable, heights)


def rate(k: int, n: int) -> dict[str, Any]:
    w, cp = metrics.wilson(k, n), metrics.clopper_pearson(k, n)
    return {"k": k, "n": n, "rate": round(k / n, 4) if n else None,
            "wilson95": [round(w[0], 4), round(w[1], 4)], "clopper_pearson95": [round(cp[0], 4), round(cp[1], 4)]}


class ResponsiveBench:
    def __init__(self, root: Path, t: FaceThresholds, encoder: DlibEncoder, *, stills: list[tuple[str, str, Any]],
                 videos: list[tuple[str, str]], attempts_per_video: int = 8, attack_every: int = 6,
                 attack_fps: float = 15.0, progress: Callable[[str], None] = lambda _m: None) -> None:
        self.root, self.t, self.encoder = root, t, encoder
        self.stills, self.videos = stills, videos  # (rel, identity, BGR image) and (rel, identity)
        self.attempts_per_video, self.attack_every, self.fps = attempts_per_video, attack_every, attack_fps
        self.progress = progress

    # bona fide -------------------------------------------------------------------------------------------

    def bona_fide(self) -> tuple[list[Attempt], dict[str, dict[str, int]]]:
        out: list[Attempt] = []
        coverage = {}
        with FaceAnalyser() as analyser:
            for n, (rel, identity) in enumerate(self.videos):
                footage = Footage.index(self.root / rel)
                coverage[footage.name] = footage.coverage()
                for k in range(self.attempts_per_video):
                    rng = random.Random(1000 * n + k)
                    patient = CooperativePatient(footage, rng, prompts=self.t.prompts_allowed)
                    out.append(run_camera(patient, self.encoder, self.t, 1000 * n + k, identity, analyser))
                self.progress(f"bona fide {rel}: {self.attempts_per_video} attempts")
        return out, coverage

    # attacks ---------------------------------------------------------------------------------------------

    def _sources(self) -> dict[str, list[tuple[str, BenchCamera]]]:
        fps, dur = self.fps, 14.0
        species: dict[str, list[tuple[str, BenchCamera]]] = defaultdict(list)
        for rel, identity, image in self.stills:
            role = identity  # the print/screen samples are passed in with their role as identity
            if role in ("attack_print", "attack_screen"):
                name = role.removeprefix("attack_")
                framed = attacks.fit_frame(image)
                for seed in range(4):
                    loop = attacks.jittered(framed, seed, fps, dur) if seed else attacks.still_loop(framed, fps, dur)
                    species[name].append(("silentface_subject", attacks.OwnClock(f"{name}:{rel}:{seed}", loop)))
        picked = [s for s in self.stills if s[1] not in ("attack_print", "attack_screen")][:: self.attack_every]
        for n, (rel, identity, image) in enumerate(picked):
            framed = attacks.fit_frame(image)
            species["still_loop"].append((identity, attacks.OwnClock(rel, attacks.still_loop(framed, fps, dur))))
            species["jittered"].append((identity, attacks.OwnClock(rel, attacks.jittered(framed, n, fps, dur))))
            species["waved_print"].append((identity, attacks.OwnClock(rel, attacks.waved_print(framed, n, fps, dur))))
            species["bent_print"].append((identity, attacks.OwnClock(rel, attacks.bent_print(framed, n, fps, dur))))
            geometry = attacks.face_geometry(framed)
            if geometry is not None:
                eyes, box = geometry
                warped = attacks.warped_photo_with_blinks(framed, eyes, box, n, fps, dur)
                species["warped_blinks"].append((identity, attacks.OwnClock(rel, warped)))
        for rel, identity in self.videos:
            recorded = VideoFileSource(self.root / rel).frames()
            frames = [Frame(f.index, f.t, attacks.fit_frame(f.image)) for f in recorded]
            for seed in range(self.attempts_per_video):
                species["replay"].append((identity, attacks.OwnClock(
                    f"replay:{rel}:{seed}", attacks.replayed_recording(frames, seed, 16.0, screen=False))))
                species["replay_on_screen"].append((identity, attacks.OwnClock(
                    f"screen:{rel}:{seed}", attacks.replayed_recording(frames, seed, 16.0, screen=True))))
        return species

    def attacks(self) -> dict[str, list[Attempt]]:
        out: dict[str, list[Attempt]] = defaultdict(list)
        with FaceAnalyser() as analyser:
            for name, items in self._sources().items():
                for seed, (identity, camera) in enumerate(items):
                    out[name].append(run_camera(camera, self.encoder, self.t, seed, identity, analyser))
                self.progress(f"attacks {name}: {len(items)}")
        return out


def bona_fide_report(attempts: list[Attempt], coverage: dict[str, dict[str, int]],
                     decide: Callable[[Attempt], list[str]]) -> dict[str, Any]:
    """Liveness BPCER over every attempt; decision BPCER over attempts with a different-session chip."""
    per_video: dict[str, Any] = {}
    by_video: dict[str, list[Attempt]] = defaultdict(list)
    for a in attempts:
        by_video[a.camera.split(":")[1]].append(a)
    for video, items in by_video.items():
        reasons = Counter((a.capture.liveness.reason if a.capture.liveness else "no_usable_face") or "passed"
                          for a in items)
        gap = [a for a in items if a.unanswerable]
        per_video[video] = {
            "attempts": len(items), "live": sum(a.live for a in items),
            "outcomes": dict(reasons), "fixture_gap_attempts": len(gap),
            "clips": coverage.get(video, {}),
            "seconds_median": round(statistics.median(a.seconds for a in items), 2),
            "face_height_p5_p50_p95": _pcts([h for a in items for h in a.face_heights]),
            "identity_spread": sorted(round(a.capture.liveness.identity_spread or 0.0, 3)
                                      for a in items if a.capture.liveness is not None),
        }
    failed = sum(not a.live for a in attempts)
    answerable = [a for a in attempts if not a.unanswerable]
    decisions = [v for a in attempts for v in decide(a)]
    return {
        "per_video": per_video,
        "bpcer_liveness": rate(failed, len(attempts)),
        "bpcer_liveness_where_footage_answers": rate(sum(not a.live for a in answerable), len(answerable)),
        "bpcer_decision": rate(sum(v != "accept" for v in decisions), len(decisions)),
        "decision_verdicts": dict(Counter(decisions)),
    }


def attack_report(species: dict[str, list[Attempt]], decide: Callable[[Attempt], list[str]]) -> dict[str, Any]:
    out = {}
    for name, items in species.items():
        passed = sum(a.live for a in items)
        verdicts = [v for a in items for v in decide(a)]
        reasons = Counter((a.capture.liveness.reason if a.capture.liveness else "no_usable_face") or "passed"
                          for a in items)
        out[name] = {"apcer": rate(passed, len(items)), "system_accepts": sum(v == "accept" for v in verdicts),
                     "trials": len(verdicts), "outcomes": dict(reasons.most_common(4))}
    return out


def _pcts(values: list[float]) -> list[float] | None:
    return [round(float(v), 1) for v in np.percentile(values, [5, 50, 95])] if values else None
