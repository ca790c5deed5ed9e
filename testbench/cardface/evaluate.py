"""Runs the card-face reader over the generated test set and measures what matters.

exact: 照合番号B equal to the printed one; rescan: the reader declined (or found no card); wrong
accepted: a value was returned and it is not the printed one (the figure that must stay 0, because each
wrong value spends one of the card's tries). ms/card (mean) and the median wall and CPU time are the
reader's own, without generation, after the warm-up the kiosk does at start. A card whose picture left a
field's print washed out (testbench.cardface.legibility: no reader could read it) is counted in its
outcome as any other and also as washed out, so that a re-scan of it is seen as the right answer.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass, field

from drivers.cardface.reader import CardFrontReader
from kiosk.errors import CardFaceUnreadable
from testbench.cardface.augment import SURFACES, generate
from testbench.cardface.legibility import washed_out


@dataclass(frozen=True)
class EvalReport:
    n: int
    exact: int
    rescan: int
    wrong_accepted: int
    no_card: int
    ms_per_card: float
    median_ms: float  # wall time of one reading, median over the cards (the figure a reception waits)
    median_cpu_ms: float  # CPU time of the whole process during one reading (all worker threads), median
    reasons: dict[str, int] = field(default_factory=dict)  # why re-scans happened
    per_surface: dict[str, dict[str, int]] = field(default_factory=dict)  # n / exact / wrong per counter kind
    washed_out: int = 0  # cards whose picture no reader could read (also counted in their outcome)

    @property
    def exact_pct(self) -> float:
        return 100.0 * self.exact / self.n if self.n else 0.0

    @property
    def rescan_pct(self) -> float:
        return 100.0 * (self.rescan + self.no_card) / self.n if self.n else 0.0

    def as_dict(self) -> dict[str, object]:
        d = asdict(self)
        d.update(exact_pct=round(self.exact_pct, 2), rescan_pct=round(self.rescan_pct, 2))
        return d

    def summary(self) -> str:
        lines = [
            f"cards {self.n}: exact {self.exact_pct:.1f} %, re-scan {self.rescan_pct:.1f} %, "
            f"wrong accepted {self.wrong_accepted}, {self.ms_per_card:.0f} ms/card, "
            f"median {self.median_ms:.0f} ms wall, {self.median_cpu_ms:.0f} ms CPU"
        ]
        for kind, c in self.per_surface.items():
            lines.append(f"  {kind:10s} read {c['exact']}/{c['n']} ({100.0 * c['exact'] / max(1, c['n']):.0f} %),"
                         f" no card {c['no_card']}, re-scan {c['rescan']}, wrong {c['wrong']},"
                         f" washed out {c['washed_out']}")
        return "\n".join(lines)


def evaluate(n: int = 200, seed: int = 0, reader: CardFrontReader | None = None,
             surfaces: tuple[str, ...] = SURFACES) -> EvalReport:
    reader = reader or CardFrontReader()
    exact = rescan = wrong = no_card = 0
    reasons: dict[str, int] = {}
    outcomes = ("n", "exact", "rescan", "no_card", "wrong", "washed_out")
    per: dict[str, dict[str, int]] = {k: dict.fromkeys(outcomes, 0) for k in surfaces}
    reader.warm_up()  # as the kiosk does at start: engine loading is no part of a reading
    walls: list[float] = []
    cpus: list[float] = []
    for sample in generate(n, seed, surfaces=surfaces):
        counts = per[sample.surface]
        counts["n"] += 1
        counts["washed_out"] += washed_out(sample.print_contrast)
        started, cpu = time.perf_counter(), time.process_time()
        try:
            reading = reader.read(sample.image, today=sample.today)
        except CardFaceUnreadable:
            no_card += 1
            counts["no_card"] += 1
            reasons["no card found"] = reasons.get("no card found", 0) + 1
            continue
        finally:
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
        if reading.verification_b is None:
            rescan += 1
            counts["rescan"] += 1
            reasons[reading.reason] = reasons.get(reading.reason, 0) + 1
        elif reading.verification_b == sample.expected:
            exact += 1
            counts["exact"] += 1
        else:
            wrong += 1
            counts["wrong"] += 1
    ms = 1000.0 * sum(walls) / max(1, n)
    median_ms = 1000.0 * statistics.median(walls) if walls else 0.0
    median_cpu = 1000.0 * statistics.median(cpus) if cpus else 0.0
    washed = sum(c["washed_out"] for c in per.values())
    return EvalReport(n, exact, rescan, wrong, no_card, ms, median_ms, median_cpu, reasons, per, washed)
