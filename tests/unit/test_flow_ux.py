"""Issue 12, flow side: consent voice clips, staff-only visual check, staff calls, the timeout warning."""

from __future__ import annotations

from kiosk.flow_types import ConsentAnswered, Intent, Phase, PinEntered, PinVerified, PlayVoice, Pressed, VerifyPin
from tests.unit.flow_harness import FlowDriver
from tests.unit.test_flow_paths import read_card


def to_consents(d: FlowDriver) -> None:
    read_card(d)
    d.send(Pressed(Intent.USE_PIN))
    d.send(PinEntered("1234"))
    d.send(PinVerified(d.token_of(VerifyPin)))
    assert d.phase is Phase.CONSENT


def test_each_consent_screen_plays_its_own_clip() -> None:
    d = FlowDriver.new()
    to_consents(d)
    assert PlayVoice("consent_comprehensive", "ja") in d.effects
    effects = d.send(ConsentAnswered("comprehensive", "consent_all"))
    assert d.phase is Phase.CONSENT  # same phase, next item: a new clip all the same
    assert PlayVoice(f"consent_{d.state.consent_queue[0]}", "ja") in effects
