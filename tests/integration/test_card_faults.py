"""The card pulled at every APDU of the full read, through pcscd + vpcd: a typed error, a clean state,
counters untouched, and the next read works."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from drivers.card.service import MyNumberCardService
from kiosk.errors import CardRemoved
from testbench.virtualcard.applications import load_card_model
from testbench.virtualcard.card import VirtualMyNumberCard
from testbench.virtualcard.model import CardModel
from testbench.virtualcard.profile import read_profile
from testbench.virtualcard.serving import Pcscd, insert_and_wait, remove_and_wait
from testbench.virtualcard.vpcd import VpcdCard

pytestmark = [pytest.mark.vpcd, pytest.mark.slow]


class PulledAt(VirtualMyNumberCard):
    """Leaves the reader when it receives APDU number `pull_at` (1-based), before executing it."""

    def __init__(self, model: CardModel) -> None:
        super().__init__(model)
        self.pull_at: int | None = None
        self.seen = 0
        self.vpcd: VpcdCard | None = None

    def execute(self, raw: bytes) -> bytes:
        self.seen += 1
        if self.seen == self.pull_at and self.vpcd is not None:
            self.vpcd.remove()
        return super().execute(raw)


def full_read(service: MyNumberCardService, verification_b: str) -> None:
    service.read_summary()
    service.read_chip_front(verification_b)


def test_card_pulled_at_every_apdu_of_the_full_read(pcscd: Pcscd, profile_dir: Callable[..., Path]) -> None:
    card_dir = profile_dir()
    verification_b = str(read_profile(card_dir).secrets["verification_b"])
    card = PulledAt(load_card_model(card_dir))
    vpcd = VpcdCard(card, port=pcscd.port)
    card.vpcd = vpcd
    service = MyNumberCardService()

    insert_and_wait(vpcd)
    card.seen = 0
    full_read(service, verification_b)
    total = card.seen
    remove_and_wait(vpcd)
    counters_before = json.loads((card_dir / "counters.json").read_text())
    assert total >= 30

    outcomes = []
    for position in range(1, total + 1):
        insert_and_wait(vpcd)
        card.seen, card.pull_at = 0, position
        with pytest.raises(CardRemoved):
            full_read(service, verification_b)
        outcomes.append(position)
        card.pull_at = None
        assert json.loads((card_dir / "counters.json").read_text()) == counters_before, position
        assert not vpcd.inserted
    # after all that, a clean insert reads as ever
    insert_and_wait(vpcd)
    card.seen = 0
    full_read(service, verification_b)
    remove_and_wait(vpcd)
    assert outcomes == list(range(1, total + 1))
    print(f"card pulled at each of {total} APDU positions: {len(outcomes)} typed CardRemoved, counters untouched")
