"""The patient's secrets while the session lasts, and the typed facts of what the session did.

Secrets and personal data (照合番号B, chip photo, challenge, signature, the Android PIN) live in the runtime's
SessionVault, never in the flow state, a log or an event; ClearSensitiveData wipes it. `session_facts` reads it
at submission, for `kiosk.result` to turn into the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.consent import ConsentCatalogue
from kiosk.domain import CardSummary, PhoneProof
from kiosk.errors import KioskError
from kiosk.flow_effects import SubmitPlan
from kiosk.proof import ProofStatement
from kiosk.reception import Method, PinEvidence, PinProofEvidence
from kiosk.result import ResultFacts, ScreenAnswer, ShownText


@dataclass
class SessionVault:
    """The patient's secrets while the session lasts. `generation` stops a late job writing after a wipe."""

    summary: CardSummary | None = None
    nonce: bytes | None = field(default=None, repr=False)
    verification_b: str | None = field(default=None, repr=False)
    chip_photo: bytes | None = field(default=None, repr=False)
    signature: bytes | None = field(default=None, repr=False)
    challenge_id: str = ""
    proof: ProofStatement | None = None  # what the card signed on the PIN path (kiosk-made statement)
    phone_pin: str | None = field(default=None, repr=False)  # Android's PIN until the phone is held
    phone_proof: PhoneProof | None = None  # the phone's certificate and signature (a phone reception)
    # Fixed when the session starts, before anything is written: the result's id and idempotency key.
    result_id: str = ""
    started_at: datetime | None = None
    timings_ms: dict[str, int] = field(default_factory=dict)
    last_step_end: datetime | None = None
    generation: int = 0

    def clear(self) -> None:
        self.summary = self.nonce = self.verification_b = self.chip_photo = self.signature = None
        self.challenge_id = self.result_id = ""
        self.proof = None
        self.phone_pin = None
        self.phone_proof = None
        self.started_at = self.last_step_end = None
        self.timings_ms = {}
        self.generation += 1


def session_facts(vault: SessionVault, plan: SubmitPlan, consents: ConsentCatalogue,
                  now: Callable[[], datetime]) -> ResultFacts:
    """What this session did, typed, for kiosk.result to turn into the result (each answer once).

    The caller holds the lock that guards the vault (`kiosk.runtime.Runtime.build_facts`)."""
    if vault.summary is not None:
        certificate = vault.summary.auth_certificate.der
    elif vault.phone_proof is not None:
        certificate = vault.phone_proof.auth_certificate.der
    else:
        raise KioskError("no card data in the session")
    if not vault.result_id or vault.started_at is None:
        raise KioskError("no card data in the session")
    completed = now()
    timings = dict(vault.timings_ms)
    if vault.last_step_end is not None and plan.consents:
        timings["consent"] = int((completed - vault.last_step_end).total_seconds() * 1000)
    timings["total"] = int((completed - vault.started_at).total_seconds() * 1000)
    answers = []
    for screen_id, choice in plan.consents:
        text = consents.get(screen_id)
        shown = ShownText(screen_id, text.version, text.sha256(plan.lang), text.lang_shown(plan.lang))
        covers = plan.covered_by_comprehensive if screen_id == "comprehensive" else ()
        answers.append(ScreenAnswer(shown, choice, completed, covers))
    method = plan.method
    pin: PinProofEvidence | PinEvidence | None = None
    if method in {Method.PIN, Method.SMARTPHONE_ANDROID, Method.SMARTPHONE_IPHONE} and vault.signature is not None:
        if vault.proof is not None:
            pin = PinProofEvidence(vault.proof.counter, vault.proof.signed_at, vault.signature)
        elif vault.nonce is not None:
            pin = PinEvidence(vault.challenge_id, vault.nonce, vault.signature)
    return ResultFacts(
        result_id=vault.result_id,
        method=method,
        auth_certificate=certificate,
        started_at=vault.started_at,
        completed_at=completed,
        answers=tuple(answers),
        step_timings_ms=tuple(sorted(timings.items())),
        face=plan.face if method is Method.FACE else None,
        pin=pin,
        registration_request=plan.register_for_insurance,
        language=plan.lang,
        eligibility_only=plan.eligibility_only,
    )
