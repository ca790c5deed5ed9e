"""Runs the card-face reader over the generated test set and measures what matters.

exact: 照合番号B equal to the printed one; rescan: the reader declined (or found no card); wrong
accepted: a value was returned and it is not the printed one (the figure that must stay 0, because each
wrong value spends one of the card's tries). ms/card is the reader's own time, without generation.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from drivers.cardface.reader import CardFrontReader
from kiosk.errors import CardFaceUnreadable
from testbench.cardface.augment import generate


@dataclass(frozen=True)
class EvalReport:
    n: int
    exact: int
    rescan: int
    wrong_accepted: int
    no_card: int
    ms_per_card: float
    reasons: dict[str, int] = field(default_factory=dict)  # why re-scans happened

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
        return (
            f"cards {self.n}: exact {self.exact_pct:.1f} %, re-scan {self.rescan_pct:.1f} %, "
            f"wrong accepted {self.wrong_accepted}, {self.ms_per_card:.0f} ms/card"
        )


def evaluate(n: int = 200, seed: int = 0, reader: CardFrontReader | None = None) -> EvalReport:
    reader = reader or CardFrontReader()
    exact = rescan = wrong = no_card = 0
    reasons: dict[str, int] = {}
    spent = 0.0
    for sample in generate(n, seed):
        started = time.perf_counter()
        try:
            reading = reader.read(sample.image, today=sample.today)
        except CardFaceUnreadable:
            no_card += 1
            reasons["no card found"] = reasons.get("no card found", 0) + 1
            continue
        finally:
            spent += time.perf_counter() - started
        if reading.verification_b is None:
            rescan += 1
            reasons[reading.reason] = reasons.get(reading.reason, 0) + 1
        elif reading.verification_b == sample.expected:
            exact += 1
        else:
            wrong += 1
    return EvalReport(n, exact, rescan, wrong, no_card, 1000.0 * spent / max(1, n), reasons)
