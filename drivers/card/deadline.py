"""A deadline for every PC/SC call that can block.

pcsc-lite's SCardTransmit has no timeout of its own: it waits for the reader driver, and a driver talking
to a card that never answers (vpcd, or a reader whose driver has no waiting-time limit) waits for ever.
SCardCancel does not help — in pcsc-lite it only interrupts SCardGetStatusChange — and SCardDisconnect
from another thread queues behind the blocked call on the same context. So each connection runs its
blocking calls on its own daemon thread and waits for them with a timeout; a call that misses its deadline
leaves the connection broken (every later call raises at once) and the stuck thread is abandoned: it
finishes by itself when the card answers late or leaves the reader, which releases pcscd.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import TypeVar

from kiosk.errors import CardTimeout

T = TypeVar("T")


class _Call:
    def __init__(self, fn: Callable[[], object]) -> None:
        self.fn = fn
        self.done = threading.Event()
        self.result: object = None
        self.error: BaseException | None = None


class BoundedCaller:
    """Runs calls one at a time on a daemon worker and gives up on each after its deadline."""

    def __init__(self, name: str = "pcsc-call") -> None:
        self._name = name
        self._queue: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.broken: str | None = None  # what missed its deadline; nothing more is sent after it

    def call(self, fn: Callable[[], T], deadline_s: float, what: str) -> T:
        if self.broken is not None:
            raise CardTimeout(f"{what}: the card stopped answering earlier ({self.broken})")
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()
        job = _Call(fn)
        self._queue.put(job)
        if not job.done.wait(deadline_s):
            self.broken = what
            self._queue.put(None)  # the worker stops once the stuck call returns
            raise CardTimeout(f"{what}: no answer within {deadline_s:.1f} s")
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[return-value]

    def stop(self) -> None:
        if self._thread is not None and self.broken is None:
            self._queue.put(None)

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                job.result = job.fn()
            except BaseException as exc:  # handed to the caller's thread, raised there
                job.error = exc
            job.done.set()
