"""Token buckets in memory, per key (a kiosk id or a client address). Nothing is written anywhere.

Limits are the verifier's own policy (verifier/policy.py). A bucket holds `burst` tokens and refills at
`rate` per second; `take` answers how long to wait (0: allowed). Buckets idle long enough to be full again
are dropped, so an address flood cannot grow the table without bound beyond `max_keys`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    rate: float  # tokens per second
    burst: float


class Buckets:
    def __init__(self, limit: Rate, clock: Callable[[], float] = time.monotonic, max_keys: int = 50_000) -> None:
        self.limit = limit
        self._clock = clock
        self._max_keys = max_keys
        self._state: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: str, cost: float = 1.0) -> float:
        """0.0 when allowed (and spent); otherwise the seconds until `cost` tokens are there."""
        now = self._clock()
        with self._lock:
            tokens, at = self._state.pop(key, (self.limit.burst, now))
            tokens = min(self.limit.burst, tokens + (now - at) * self.limit.rate)
            wait = 0.0
            if tokens >= cost:
                tokens -= cost
            else:
                wait = (cost - tokens) / self.limit.rate
            self._state[key] = (tokens, now)
            while len(self._state) > self._max_keys:
                self._state.popitem(last=False)
            return wait

    def peek(self, key: str) -> float:
        """Like `take` with cost 1 but spends nothing."""
        now = self._clock()
        with self._lock:
            tokens, at = self._state.get(key, (self.limit.burst, now))
        tokens = min(self.limit.burst, tokens + (now - at) * self.limit.rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.limit.rate
