"""The APDU traffic log at DEBUG never carries the PIN, 照合番号B, personal records or the photo."""

from __future__ import annotations

import json
import logging

import pytest

from drivers.card import jpki, kenhojo, kenkaku
from drivers.card.connection import CardChannel
from testbench.virtualcard.applications import load_card_model
from testbench.virtualcard.card import VirtualMyNumberCard
from testbench.virtualcard.profile import Variant


def test_traffic_log_is_redacted(profile_dir, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    directory = profile_dir(Variant.ORDINARY)
    secrets = json.loads((directory / "profile.json").read_text())["secrets"]
    card = VirtualMyNumberCard(load_card_model(directory, persist_counters=False))

    class Direct:
        def transmit(self, raw: bytes) -> bytes:
            return card.execute(raw)

    channel = CardChannel(Direct())
    with caplog.at_level(logging.DEBUG, logger="kiosk.traffic.apdu"):
        jpki.sign_with_auth_key(channel, "1234", b"challenge")
        kenkaku.verify_verification_b(channel, secrets["verification_b"])
        face = kenkaku.read_card_face_record(channel)
        info = kenhojo.read_basic_info(channel, "1234")
    text = caplog.text.replace(" ", "").lower()
    assert len(caplog.records) > 40
    for secret in ("1234", secrets["verification_b"]):
        assert secret.encode().hex() not in text
    photo = face.fields[kenkaku.TAG_PHOTO]
    assert photo[20:40].hex() not in text
    assert info.name.encode().hex() not in text and info.name not in caplog.text
    assert "redacted" in caplog.text
