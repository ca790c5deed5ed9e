"""A fault-injecting virtual card: answers like the real virtual card except at one chosen APDU.

Used by the fault matrix (tests/integration/test_card_faults.py) through pcscd + vpcd: every kind of
fault at every APDU position of every read the kiosk makes. The fault is applied to APDU number `at`
(1-based, counted since `arm`) and only once; every other APDU is answered normally.
"""

from __future__ import annotations

import random
import threading
import time
from enum import Enum

from testbench.virtualcard.card import VirtualMyNumberCard
from testbench.virtualcard.model import CardModel
from testbench.virtualcard.vpcd import VpcdCard

VPCD_MAX_PAYLOAD = 65535  # vpcd frames carry a 2-byte length


class Fault(Enum):
    PULL = "pull"  # the card leaves the reader before answering
    SW_6F00 = "6f00"  # "no precise diagnosis", the command not executed
    TRUNCATED = "truncated"  # the real answer cut in half (status word lost or data short)
    MISSING_SW = "missing_sw"  # the real data without its status word
    RANDOM = "random"  # random bytes of random length, the command not executed
    LYING_TLV = "lying_tlv"  # a TLV header that claims far more than is there
    HUGE = "64k"  # a 64 KB reply (the most vpcd can carry)
    SLOW = "slow"  # answers correctly, but after the deadline
    SILENT = "silent"  # never answers while the card stays in the reader


class FaultyCard(VirtualMyNumberCard):
    def __init__(self, model: CardModel, *, slow_s: float = 2.0, seed: int = 0) -> None:
        super().__init__(model)
        self.slow_s = slow_s
        self.vpcd: VpcdCard | None = None
        self._fault: Fault | None = None
        self._at = 0
        self._rng = random.Random(seed)
        self._released = threading.Event()
        self.seen = 0
        self.fired = False

    def arm(self, fault: Fault | None, at: int = 0) -> None:
        """Count APDUs from now; fault number `at` (None: a clean card)."""
        self.seen, self.fired = 0, False
        self._fault, self._at = fault, at
        self._released.clear()

    def release(self) -> None:
        """Let a silent card's stuck answer go (the test pulls the card right after)."""
        self._released.set()

    def execute(self, raw: bytes) -> bytes:
        self.seen += 1
        fault = self._fault if self.seen == self._at else None
        if fault is None:
            return super().execute(raw)
        self.fired = True
        match fault:
            case Fault.PULL:
                if self.vpcd is not None:
                    self.vpcd.remove()
                return b""
            case Fault.SW_6F00:
                return b"\x6f\x00"
            case Fault.RANDOM:
                return self._rng.randbytes(self._rng.randint(0, 300))
            case Fault.SILENT:
                self._released.wait(600)
                return b""
            case Fault.SLOW:
                time.sleep(self.slow_s)
                return super().execute(raw)
        real = super().execute(raw)
        data, sw = real[:-2], real[-2:]
        match fault:
            case Fault.TRUNCATED:
                return real[: len(real) // 2]
            case Fault.MISSING_SW:
                return data
            case Fault.LYING_TLV:
                if data:  # keep the first (tag) byte, then claim 0x7FF0 bytes
                    return data[:1] + b"\x82\x7f\xf0" + data[4:] + sw
                return b"\xdf\x21\x81\xc8\x00" + sw
            case Fault.HUGE:
                return (data + b"\xff" * VPCD_MAX_PAYLOAD)[: VPCD_MAX_PAYLOAD - 2] + sw
        return real
