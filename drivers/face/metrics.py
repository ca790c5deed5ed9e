"""Verification metrics (ISO/IEC 19795-1 style) over distance scores: FNMR at a fixed FMR, EER, DET.

Lower distance = more alike. A comparison "matches" at threshold T when distance <= T. Every figure is
reported with the number of comparisons it rests on, because zero errors out of n only shows a rate
<= 3/n (rule of three).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RateAt:
    target_fmr: float
    threshold: float  # largest threshold whose FMR <= target
    fmr: float
    fnmr: float
    genuine: int
    impostor: int
    supported: bool  # False when the impostor count cannot resolve the target FMR (n < 3 / target)


def fnmr_at_fmr(genuine: Sequence[float], impostor: Sequence[float], target: float) -> RateAt:
    g = np.sort(np.asarray(genuine, dtype=np.float64))
    i = np.sort(np.asarray(impostor, dtype=np.float64))
    if g.size == 0 or i.size == 0:
        return RateAt(target, float("nan"), float("nan"), float("nan"), int(g.size), int(i.size), False)
    allowed = int(np.floor(target * i.size))  # impostors that may fall at or below the threshold
    # threshold just below the (allowed+1)-th smallest impostor distance
    threshold = float(np.nextafter(i[allowed], -np.inf)) if allowed < i.size else float(i[-1])
    fmr = float(np.count_nonzero(i <= threshold)) / i.size
    fnmr = float(np.count_nonzero(g > threshold)) / g.size
    return RateAt(target, threshold, fmr, fnmr, int(g.size), int(i.size), i.size >= 3.0 / target)


def rates_at(genuine: Sequence[float], impostor: Sequence[float], threshold: float) -> tuple[float, float]:
    """(FMR, FNMR) at a given threshold."""
    g, i = np.asarray(genuine, dtype=np.float64), np.asarray(impostor, dtype=np.float64)
    fmr = float(np.count_nonzero(i <= threshold)) / max(1, i.size)
    fnmr = float(np.count_nonzero(g > threshold)) / max(1, g.size)
    return fmr, fnmr


def det_curve(genuine: Sequence[float], impostor: Sequence[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(thresholds, FMR, FNMR) at every distinct score."""
    g, i = np.asarray(genuine, dtype=np.float64), np.asarray(impostor, dtype=np.float64)
    thresholds = np.unique(np.concatenate([g, i]))
    fmr = np.searchsorted(np.sort(i), thresholds, side="right") / max(1, i.size)
    fnmr = 1.0 - np.searchsorted(np.sort(g), thresholds, side="right") / max(1, g.size)
    return thresholds, fmr, fnmr


def eer(genuine: Sequence[float], impostor: Sequence[float]) -> tuple[float, float]:
    """(EER, threshold) where FMR and FNMR cross."""
    if not len(genuine) or not len(impostor):
        return float("nan"), float("nan")
    thresholds, fmr, fnmr = det_curve(genuine, impostor)
    k = int(np.argmin(np.abs(fmr - fnmr)))
    return float((fmr[k] + fnmr[k]) / 2.0), float(thresholds[k])


def upper_bound_zero_errors(n: int) -> float:
    """Rule of three: with 0 errors in n trials the 95% upper bound of the rate is about 3/n."""
    return 3.0 / n if n else float("nan")


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials (95 % by default)."""
    if n <= 0:
        return float("nan"), float("nan")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _binom_cdf(k: int, n: int, p: float) -> float:
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0 if k < n else 1.0
    logs = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * math.log(p)
            + (n - i) * math.log1p(-p) for i in range(k + 1)]
    top = max(logs)
    return min(1.0, math.exp(top) * sum(math.exp(v - top) for v in logs))


def clopper_pearson(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval for k successes in n trials, by bisection on the binomial CDF."""
    if n <= 0:
        return float("nan"), float("nan")

    def solve(f: Callable[[float], bool]) -> float:
        lo, hi = 0.0, 1.0
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if f(mid) else (lo, mid)
        return (lo + hi) / 2

    lower = 0.0 if k == 0 else solve(lambda p: 1.0 - _binom_cdf(k - 1, n, p) < alpha / 2)
    upper = 1.0 if k == n else solve(lambda p: _binom_cdf(k, n, p) > alpha / 2)
    return lower, upper
