"""Calls for staff raised at a kiosk (「職員を呼ぶ」): kept in memory for the staff page, newest first.

A call says which kiosk and from which screen, nothing about the patient. The verifier only keeps the last
few hours' calls (a restart forgets them: a call is for now, not a record; the audit log has the row).
"""

from __future__ import annotations

import re
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

# The screen the patient called from: a phase name of the kiosk's flow, never free text from the patient.
REASON = re.compile(r"[a-z_]{1,32}")
KEEP = timedelta(hours=4)
MAX_CALLS = 500


@dataclass(frozen=True)
class StaffCall:
    kiosk_id: str
    reason: str
    at: datetime


class StaffCalls:
    def __init__(self) -> None:
        self._calls: deque[StaffCall] = deque(maxlen=MAX_CALLS)
        self._lock = threading.Lock()

    def add(self, call: StaffCall) -> None:
        with self._lock:
            self._calls.append(call)

    def recent(self, now: datetime) -> list[StaffCall]:
        with self._lock:
            return [c for c in reversed(self._calls) if now - c.at <= KEEP]
