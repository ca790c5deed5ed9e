"""`myna-testbench face eval`: the face path measured on the shared fixtures, end to end.

Protocol (face.md §7.4):
* Every usable still is turned into two chip-like enrolments (grey; face 80 px at ~1.6 KB and 120 px at
  ~2.4 KB JPEG 2000) and compared with every *other* still: same identity = genuine (a different photo,
  i.e. a different session), other identity = impostor. Stills are probes encoded in grey.
* Videos run through the whole live pipeline (gates, passive liveness, challenge, best frames) from a few
  start offsets; each capture is decided against the chips of its own identity (genuine) and of every
  other identity (impostor).
* Attacks run through the same pipeline: the print and screen samples and every still as a static looping
  video, plus every still as a hand-waved print (a tilting plane). APCER per species, BPCER on the
  genuine video captures.
Encodings are cached in memory for the run only; nothing is written except the optional plot.
"""

from __future__ import annotations

import csv
import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from drivers.camera.sources import Frame, StillImageSource, VideoFileSource
from drivers.face import metrics
from drivers.face.encoder import ChipEnrolment, DlibEncoder, distance, grey3
from drivers.face.landmarks import FaceAnalyser
from drivers.face.session import Capture, LiveFaceSession
from kiosk.errors import NoFaceInChipPhoto
from kiosk.face import FaceThresholds, LivenessOutcome, Verdict, assess_quality, usable
from testbench.face.attacks import chip_like, fit_frame, waved_print

log = logging.getLogger(__name__)

STILL_ROLES = {"probe", "reference_portrait", "reference_for_video", "small_crop", "bona_fide"}
CHIP_VARIANTS = (("chip80_1.6KB", 80, 1600), ("chip120_2.4KB", 120, 2400))
VIDEO_OFFSETS_S = (0.0, 1.0, 2.0)


@dataclass(frozen=True)
class Sample:
    rel: str
    identity: str
    role: str


def load_manifest(root: Path) -> list[Sample]:
    with (root / "MANIFEST.csv").open(encoding="utf-8", newline="") as fh:
        return [Sample(r["file"], r["identity"], r["role"]) for r in csv.DictReader(fh)]


def read_image(root: Path, sample: Sample) -> np.ndarray:
    image = cv2.imread(str(root / sample.rel), cv2.IMREAD_COLOR)
    if image is None:
        raise FileNotFoundError(sample.rel)
    # The Silent-Face files are stored rotated with an EXIF orientation tag (MANIFEST: "rotate clockwise");
    # cv2.imread applies EXIF orientation, so they arrive upright and need no further turn.
    return image


def skip_frames(frames: Iterable[Frame], offset_s: float) -> Iterator[Frame]:
    for f in frames:
        if f.t >= offset_s:
            yield Frame(f.index, f.t - offset_s, f.image)


class Evaluation:
    def __init__(
        self,
        root: Path,
        thresholds: FaceThresholds,
        encoder: DlibEncoder,
        *,
        quick: bool = False,
        attack_fps: float = 10.0,
        progress: Callable[[str], None] = lambda _m: None,
    ) -> None:
        self.root, self.t, self.encoder = root, thresholds, encoder
        self.quick, self.attack_fps, self.progress = quick, attack_fps, progress
        self.samples = load_manifest(root)
        self._identity_of = {s.rel: s.identity for s in self.samples}
        self.stills = [s for s in self.samples if s.role in STILL_ROLES]
        self.encodings: dict[str, np.ndarray | None] = {}
        self.chips: dict[tuple[str, str], ChipEnrolment | None] = {}

    # stills and chips ------------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Encode every still (grey, one HOG detection at <= 800 px) and build its chip-like enrolments."""
        for n, s in enumerate(self.stills):
            image = read_image(self.root, s)
            scale = min(1.0, 800 / max(image.shape[:2]))
            small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
            small3 = grey3(small)
            boxes = self.encoder.detect(small3, 1)
            self.encodings[s.rel] = (
                self.encoder.encode_probes([self.encoder.aligned_chip(small3, boxes[0])], self.t.mirror_probe)[0]
                if boxes else None
            )
            for name, px, size in CHIP_VARIANTS:
                chip: ChipEnrolment | None = None
                if boxes:
                    x, y, w, h = boxes[0]
                    box = int(x / scale), int(y / scale), int(w / scale), int(h / scale)
                    try:
                        chip = self.encoder.enrol_chip(chip_like(image, box, px, size))
                    except NoFaceInChipPhoto:
                        chip = None
                self.chips[(name, s.rel)] = chip
            if n % 20 == 0:
                self.progress(f"stills and chips {n + 1}/{len(self.stills)}")

    def still_scores(self) -> dict[str, dict[str, list[float]]]:
        scores: dict[str, dict[str, list[float]]] = {}
        for name, _, _ in CHIP_VARIANTS:
            genuine: list[float] = []
            impostor: list[float] = []
            for enrol in self.stills:
                chip = self.chips.get((name, enrol.rel))
                if chip is None:
                    continue
                for probe in self.stills:
                    enc = self.encodings.get(probe.rel)
                    if probe.rel == enrol.rel or enc is None:
                        continue
                    d = distance(chip.encoding, enc)
                    (genuine if probe.identity == enrol.identity else impostor).append(d)
            scores[name] = {"genuine": genuine, "impostor": impostor}
        return scores

    # live pipeline --------------------------------------------------------------------------------------------

    def run_capture(self, frames: Iterable[Frame], seed: int) -> Capture:
        with FaceAnalyser() as analyser:
            session = LiveFaceSession(self.encoder, self.t, analyser=analyser, rng=random.Random(seed))
            for frame in frames:
                session.feed(frame)
                if session.done:
                    break
            return session.capture(match_even_if_not_live=True)

    def video_captures(self) -> list[tuple[Sample, float, Capture]]:
        out = []
        for n, s in enumerate(x for x in self.samples if x.role == "video_probe"):
            for k, offset in enumerate(VIDEO_OFFSETS_S):
                frames = skip_frames(VideoFileSource(self.root / s.rel).frames(), offset)
                out.append((s, offset, self.run_capture(frames, seed=100 * n + k)))
            self.progress(f"video {s.rel} done")
        return out

    def per_frame_distances(self, every: int = 5) -> dict[str, Any]:
        """Every `every`-th video frame that passes the gates, encoded alone and compared with every chip
        (face.md §7.4 step 4: the per-frame rates, to set beside the decision-level ones)."""
        genuine: list[float] = []
        impostor: list[float] = []
        frames = 0
        for s in (x for x in self.samples if x.role == "video_probe"):
            with FaceAnalyser() as analyser:
                for frame in VideoFileSource(self.root / s.rel).frames():
                    obs = analyser.analyse(frame.image)
                    if frame.index % every or obs.box is None:
                        continue
                    if not usable(assess_quality(obs.measurements, self.t)):
                        continue
                    grey = cv2.cvtColor(frame.image, cv2.COLOR_BGR2GRAY)
                    enc = self.encoder.encode_near(grey, obs.box, self.t.mirror_probe)
                    if enc is None:
                        continue
                    frames += 1
                    for (_name, rel), chip in self.chips.items():
                        if chip is not None:
                            same = self._identity(rel) == s.identity
                            (genuine if same else impostor).append(distance(enc, chip.encoding))
        return {
            "frames": frames, "genuine": len(genuine), "impostor": len(impostor),
            "genuine_median": round(float(np.median(genuine)), 4) if genuine else None,
            "genuine_at_or_below_accept": sum(1 for d in genuine if d <= self.t.accept),
            "genuine_at_or_above_reject": sum(1 for d in genuine if d >= self.t.reject),
            "impostor_min": round(float(np.min(impostor)), 4) if impostor else None,
            "impostor_at_or_below_accept": sum(1 for d in impostor if d <= self.t.accept),
        }

    def attack_captures(self) -> dict[str, list[tuple[Sample, Capture]]]:
        species: dict[str, list[tuple[Sample, Capture]]] = defaultdict(list)
        for s in self.samples:
            if s.role in ("attack_print", "attack_screen"):
                frames = StillImageSource(image=fit_frame(read_image(self.root, s)), fps=self.attack_fps,
                                          duration_s=10.0).frames()
                species[s.role.removeprefix("attack_")].append((s, self.run_capture(frames, seed=7)))
        stills = self.stills[::4] if self.quick else self.stills
        for n, s in enumerate(stills):
            framed = fit_frame(read_image(self.root, s))
            replay = StillImageSource(image=framed, fps=self.attack_fps, duration_s=10.0).frames()
            species["still_replay"].append((s, self.run_capture(replay, n)))
            species["waved_print"].append((s, self.run_capture(waved_print(framed, n, self.attack_fps, 10.0), n)))
            if n % 10 == 0:
                self.progress(f"attacks {n + 1}/{len(stills)}")
        return species

    # the report -----------------------------------------------------------------------------------------------

    def _chips_of(self, identity: str, exclude: str = "") -> list[tuple[str, ChipEnrolment]]:
        return [
            (name, chip)
            for (name, rel), chip in self.chips.items()
            if chip is not None and rel != exclude and self._identity(rel) == identity
        ]

    def _identity(self, rel: str) -> str:
        return self._identity_of[rel]

    def run(self) -> dict[str, Any]:
        started = time.perf_counter()
        self.prepare()
        report: dict[str, Any] = {"fixtures": str(self.root), "thresholds": self.t.to_mapping()}
        stills_fta = sum(1 for v in self.encodings.values() if v is None)
        chips_fte = {
            name: sum(1 for (n, _), c in self.chips.items() if n == name and c is None) for name, _, _ in CHIP_VARIANTS
        }
        report["acquisition"] = {"stills": len(self.stills), "stills_no_face": stills_fta, "chips_no_face": chips_fte}
        scores = self.still_scores()
        report["stills"] = {name: comparison_report(v["genuine"], v["impostor"], self.t) for name, v in scores.items()}
        pooled_g = [d for v in scores.values() for d in v["genuine"]]
        pooled_i = [d for v in scores.values() for d in v["impostor"]]
        report["stills"]["pooled"] = comparison_report(pooled_g, pooled_i, self.t)
        report["derived_thresholds"] = derive_thresholds(pooled_g, pooled_i)
        report["videos"] = self._video_report(self.video_captures())
        report["videos"]["per_frame"] = self.per_frame_distances()
        report["attacks"] = self._attack_report(self.attack_captures())
        report["elapsed_s"] = round(time.perf_counter() - started, 1)
        report["_scores"] = scores  # for the plot; removed before printing
        return report

    def _video_report(self, captures: list[tuple[Sample, float, Capture]]) -> dict[str, Any]:
        genuine_verdicts: list[str] = []
        impostor_verdicts: list[str] = []
        genuine_d: list[float] = []
        impostor_d: list[float] = []
        per_capture = []
        for s, offset, cap in captures:
            live = cap.liveness is not None and cap.liveness.outcome is LivenessOutcome.PASSED
            per_capture.append({
                "video": s.rel, "offset_s": offset, "live": live,
                "liveness": cap.liveness.outcome.value if cap.liveness else "no_usable_face",
                "challenge": cap.liveness.challenge.value if cap.liveness and cap.liveness.challenge else None,
                "frames_seen": cap.frames_seen, "frames_good": cap.frames_good, "encoded": len(cap.encodings),
            })
            for (_name, rel), chip in self.chips.items():
                if chip is None:
                    continue
                decision = cap.decide(chip, self.t)
                same = self._identity(rel) == s.identity
                (genuine_verdicts if same else impostor_verdicts).append(decision.verdict.value)
                if decision.median_distance is not None:
                    (genuine_d if same else impostor_d).append(decision.median_distance)
        live_count = sum(1 for c in per_capture if c["live"])
        passive_only = sum(1 for c in per_capture if c["live"] and c["challenge"] is None)
        return {
            "captures": per_capture,
            "bpcer": {"rate": 1 - live_count / max(1, len(per_capture)), "attempts": len(per_capture)},
            "passed_without_challenge": passive_only,
            "fta": sum(1 for c in per_capture if c["frames_good"] == 0),
            "genuine_decisions": _count(genuine_verdicts),
            "impostor_decisions": _count(impostor_verdicts),
            "genuine_median_distances": sorted(round(d, 3) for d in genuine_d),
            "impostor_min_distance": round(min(impostor_d), 3) if impostor_d else None,
            "impostor_match_only_accepts": sum(1 for d in impostor_d if d <= self.t.accept),
        }

    def _attack_report(self, species: dict[str, list[tuple[Sample, Capture]]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, items in species.items():
            passed = accepted = match_only = trials = 0
            for s, cap in items:
                if cap.liveness is not None and cap.liveness.outcome is LivenessOutcome.PASSED:
                    passed += 1
                for _variant, chip in self._chips_of(s.identity, exclude=s.rel):
                    decision = cap.decide(chip, self.t)
                    trials += 1
                    accepted += decision.verdict is Verdict.ACCEPT
                    match_only += decision.median_distance is not None and decision.median_distance <= self.t.accept
            out[name] = {
                "attacks": len(items), "apcer": passed / max(1, len(items)), "liveness_passed": passed,
                "iapmr_trials": trials, "system_accepts": accepted, "matcher_alone_accepts": match_only,
            }
        return out


def _count(verdicts: list[str]) -> dict[str, int]:
    counts = {v.value: 0 for v in Verdict}
    for v in verdicts:
        counts[v] += 1
    counts["total"] = len(verdicts)
    return counts


def comparison_report(genuine: list[float], impostor: list[float], t: FaceThresholds) -> dict[str, Any]:
    e, e_thr = metrics.eer(genuine, impostor)
    at = {}
    for target in (1e-2, 1e-3):
        r = metrics.fnmr_at_fmr(genuine, impostor, target)
        at[f"{target:g}"] = {"threshold": round(r.threshold, 4), "fmr": r.fmr, "fnmr": round(r.fnmr, 4),
                             "resolvable": r.supported}
    fmr_a, fnmr_a = metrics.rates_at(genuine, impostor, t.accept)
    band_retry = sum(1 for d in genuine if t.accept < d < t.reject)
    return {
        "genuine": len(genuine), "impostor": len(impostor),
        "eer": round(e, 4), "eer_threshold": round(e_thr, 4),
        "fnmr_at_fmr": at,
        "at_accept_threshold": {"threshold": t.accept, "fmr": fmr_a, "fnmr": round(fnmr_a, 4),
                                "impostor_accepts": sum(1 for d in impostor if d <= t.accept),
                                "genuine_in_retry_band": band_retry,
                                "genuine_rejected": sum(1 for d in genuine if d >= t.reject)},
        "genuine_median": round(float(np.median(genuine)), 4) if genuine else None,
        "impostor_min": round(float(np.min(impostor)), 4) if impostor else None,
    }


def derive_thresholds(genuine: list[float], impostor: list[float]) -> dict[str, Any]:
    """accept: the largest threshold at FMR <= 1e-3 (rounded down to 0.01); reject: FMR <= 1e-2 point
    (rounded up), never below accept."""
    accept = metrics.fnmr_at_fmr(genuine, impostor, 1e-3)
    loose = metrics.fnmr_at_fmr(genuine, impostor, 1e-2)
    a = float(np.floor(accept.threshold * 100) / 100)
    r = max(a, float(np.ceil(loose.threshold * 100) / 100))
    return {"accept": a, "reject": r, "genuine": len(genuine), "impostor": len(impostor)}


def plot_det(scores: dict[str, dict[str, list[float]]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 5))
    for name, v in scores.items():
        _, fmr, fnmr = metrics.det_curve(v["genuine"], v["impostor"])
        keep = (fmr > 0) & (fnmr > 0)  # a log axis cannot show zero rates
        label = f"{name} ({len(v['genuine'])} gen / {len(v['impostor'])} imp)"
        ax.plot(fmr[keep], fnmr[keep], label=label, drawstyle="steps-post")
        ax.axvline(3.0 / max(1, len(v["impostor"])), color="grey", linestyle=":", linewidth=0.8)
    ax.axvline(1e-3, color="red", linestyle="--", linewidth=0.8, label="FMR 1e-3 (target)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("FMR")
    ax.set_ylabel("FNMR")
    ax.set_title("DET: chip-like enrolment vs grey stills (dlib ResNet)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
