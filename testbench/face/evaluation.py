"""`myna-testbench face eval`: the face path measured on the shared fixtures, end to end.

Protocol (docs/face.md §3–§4):
* Every usable still is turned into two chip-like enrolments (grey; face 80 px at ~1.6 KB and 120 px at
  ~2.4 KB JPEG 2000) and compared with every *other* still: same identity = genuine (a different photo,
  i.e. a different session), other identity = impostor. Stills are probes encoded in grey.
* Thresholds are chosen on one half of the identities (calibration) and reported on the other (held out).
* The live pipeline is measured on the responsive bench (testbench/face/pad_bench.py): cooperative
  patients cut from the fixture videos answer the prompts (BPCER), attacks of every species play on their
  own clock (APCER per species), each rate with 95 % intervals.
Encodings are cached in memory for the run only; nothing is written except the optional plot.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from drivers.camera.sources import VideoFileSource
from drivers.face import metrics
from drivers.face.encoder import ChipEnrolment, DlibEncoder, distance, grey3
from drivers.face.landmarks import FaceAnalyser
from kiosk.errors import NoFaceInChipPhoto
from kiosk.face import FaceThresholds, assess_quality, usable
from testbench.face.attacks import chip_like
from testbench.face.pad_bench import Attempt, ResponsiveBench, attack_report, bona_fide_report, rate

log = logging.getLogger(__name__)

STILL_ROLES = {"probe", "reference_portrait", "reference_for_video", "small_crop", "bona_fide"}
CHIP_VARIANTS = (("chip80_1.6KB", 80, 1600), ("chip120_2.4KB", 120, 2400))


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

    # live pipeline ---------------------------------------------------------------------------------------------

    def per_frame_distances(self, every: int = 5) -> dict[str, Any]:
        """Every `every`-th video frame that passes the gates, encoded alone and compared with every chip
        (docs/face.md §4: the per-frame rates, to set beside the decision-level ones)."""
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

    # the report -----------------------------------------------------------------------------------------------

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
        report["split"] = self.split_report()
        report["derived_thresholds"] = report["split"]["derived_on_calibration"]
        report["videos"] = {"per_frame": self.per_frame_distances()}
        report["bench"] = self.responsive_bench()
        report["elapsed_s"] = round(time.perf_counter() - started, 1)
        report["_scores"] = scores  # for the plot; removed before printing
        return report

    # calibration on one split, report on the other -------------------------------------------------------

    def split_of(self, identity: str) -> str:
        """A stable split of the identities: half calibrate, half are held out (never seen when choosing)."""
        return "calibration" if hashlib.sha256(identity.encode()).digest()[0] % 2 == 0 else "held_out"

    def split_scores(self, split: str) -> tuple[list[float], list[float]]:
        genuine: list[float] = []
        impostor: list[float] = []
        for (_name, rel), chip in self.chips.items():
            enrol_id = self._identity(rel)
            if chip is None or self.split_of(enrol_id) != split:
                continue
            for probe in self.stills:
                enc = self.encodings.get(probe.rel)
                if probe.rel == rel or enc is None or self.split_of(probe.identity) != split:
                    continue
                (genuine if probe.identity == enrol_id else impostor).append(distance(chip.encoding, enc))
        return genuine, impostor

    def split_report(self) -> dict[str, Any]:
        cal_g, cal_i = self.split_scores("calibration")
        held_g, held_i = self.split_scores("held_out")
        derived = derive_thresholds(cal_g, cal_i)
        fmr_a, fnmr_a = metrics.rates_at(held_g, held_i, derived["accept"])
        oracle = metrics.fnmr_at_fmr(held_g, held_i, 1e-3)
        ids = sorted({s.identity for s in self.stills})
        return {
            "identities": {k: sum(1 for i in ids if self.split_of(i) == k) for k in ("calibration", "held_out")},
            "derived_on_calibration": derived,
            "held_out_at_derived_accept": {
                "threshold": derived["accept"], "fmr": fmr_a, "fnmr": round(fnmr_a, 4),
                "impostor_accepts": sum(1 for d in held_i if d <= derived["accept"]),
                "genuine": len(held_g), "impostor": len(held_i),
                "fnmr_ci95": rate(sum(1 for d in held_g if d > derived["accept"]), len(held_g)),
            },
            "held_out_own_fnmr_at_fmr_1e-3": {"threshold": round(oracle.threshold, 4), "fnmr": round(oracle.fnmr, 4),
                                              "resolvable": oracle.supported},
        }

    # the responsive bench ------------------------------------------------------------------------------------

    def responsive_bench(self) -> dict[str, Any]:
        still_images = [(s.rel, s.identity, read_image(self.root, s)) for s in self.stills]
        still_images += [(s.rel, s.role, read_image(self.root, s)) for s in self.samples
                         if s.role in ("attack_print", "attack_screen")]
        videos = [(s.rel, s.identity) for s in self.samples if s.role == "video_probe"]
        bench = ResponsiveBench(self.root, self.t, self.encoder, stills=still_images, videos=videos,
                                attempts_per_video=4 if self.quick else 10, attack_every=12 if self.quick else 5,
                                progress=self.progress)
        bona, coverage = bench.bona_fide()
        species = bench.attacks()
        return {"bona_fide": bona_fide_report(bona, coverage, self._decide),
                "attacks": attack_report(species, self._decide)}

    def _decide(self, attempt: Attempt) -> list[str]:
        """Verdicts against every chip of the attempt's identity made from another photo (another session)."""
        source = attempt.camera.split(":")[0] if ":" not in attempt.camera else attempt.camera.split(":")[1]
        return [attempt.capture.decide(chip, self.t).verdict.value
                for _name, chip in self._chips_of(attempt.identity, exclude=source)]

    # the report -----------------------------------------------------------------------------------------------

    def _chips_of(self, identity: str, exclude: str = "") -> list[tuple[str, ChipEnrolment]]:
        return [
            (name, chip)
            for (name, rel), chip in self.chips.items()
            if chip is not None and rel != exclude and self._identity(rel) == identity
        ]

    def _identity(self, rel: str) -> str:
        return self._identity_of[rel]


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
