"""Ports: the typing.Protocol interfaces the core needs from the outside world.

Adapters in drivers/ implement them; the core and tests depend only on these shapes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from kiosk.domain import BasicInfo, CardFace, CardSummary


class CancelToken(Protocol):
    """A `threading.Event` as seen by workers: checked between APDUs, frames and retries."""

    def is_set(self) -> bool: ...


class CardService(Protocol):
    """The My Number card behind one reader. Every call runs on the card thread and may be cancelled."""

    def read_summary(self, cancel: CancelToken | None = None) -> CardSummary:
        """Certificates and tries-left counters; spends no try."""
        ...

    def read_card_face(self, verification_b: str, cancel: CancelToken | None = None) -> CardFace:
        """VERIFY 照合番号B (one try), then read the card face; raises VerificationBWrong/Blocked."""
        ...

    def sign_challenge(self, pin: str, challenge: bytes, cancel: CancelToken | None = None) -> bytes:
        """VERIFY the auth PIN and sign SHA-256(challenge) with the auth key in one exclusive transaction."""
        ...

    def read_basic_info(self, pin: str, cancel: CancelToken | None = None) -> BasicInfo:
        """VERIFY the 券面事項入力補助 PIN and read the 4 basic attributes."""
        ...


CardPresenceListener = Callable[[str, bool], None]
"""Called with (reader name, present) whenever a card is inserted (True) or removed (False)."""
