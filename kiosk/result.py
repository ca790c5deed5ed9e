"""The signed result's content, built in the core from typed values. Pure, stdlib only.

The runtime gathers `ResultFacts` — what happened in this session, as typed values — and `build_result`
turns them into the `kiosk.reception.ReceptionResult` that the backend adapter only signs, stores and sends.
The rules that decide what the result says live here, once:

- each consent answer is recorded ONCE, with the id, version and SHA-256 of the text the patient actually
  saw: "consent to all" on the 包括同意 screen gives one record per item it covers, each pointing at the
  包括同意 text (not at item texts nobody was shown); "choose individually" gives no record itself;
  an item asked twice is a programming error, refused here;
- the face evidence is the face check's own decision (`kiosk.face.FaceDecision`): its model, liveness
  outcome, median distance and thresholds; only an accepted decision can be reported;
- the times are the session's real start and end, with the step timings measured on the way;
- the result id is fixed when the session starts, before anything is written, and is the idempotency key.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.face import FaceDecision, LivenessOutcome, Verdict
from kiosk.reception import (
    Choice,
    ConsentItem,
    ConsentRecord,
    Evidence,
    FaceEvidence,
    Liveness,
    Method,
    PinEvidence,
    PinProofEvidence,
    Prescription,
    ReceptionResult,
    VisualEvidence,
)

COMPREHENSIVE_SCREEN = "comprehensive"
PRESCRIPTION_SCREEN = "prescription_form"
VISUAL_STAFF_ID = "staff-pin"  # the flow proves a staff member by the staff PIN, not by name


@dataclass(frozen=True)
class ShownText:
    """A consent text exactly as it was on screen."""

    text_id: str
    version: str
    sha256: str
    lang: str


@dataclass(frozen=True)
class ScreenAnswer:
    """One consent screen as the patient answered it. `covers` names the items a 包括同意 answer stands for."""

    screen: ShownText
    choice: str  # the screen's own choice id: consent, decline, consent_all, individual, electronic, ok, …
    at: datetime
    covers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResultFacts:
    """What one session did, as typed values; the runtime hands this to the backend port."""

    result_id: str
    method: Method
    auth_certificate: bytes = field(repr=False)
    started_at: datetime
    completed_at: datetime
    answers: tuple[ScreenAnswer, ...] = ()
    step_timings_ms: tuple[tuple[str, int], ...] = ()
    face: FaceDecision | None = None
    pin: PinProofEvidence | PinEvidence | None = None
    visual_staff_id: str | None = None
    registration_request: bool = False
    language: str = "ja"
    eligibility_only: bool = False


class ResultNotReportable(ValueError):
    """The facts do not make a result the verifier could accept (a programming error upstream)."""


def new_result_id() -> str:
    return str(uuid.uuid4())


def build_result(facts: ResultFacts, kiosk_id: str, software_version: str) -> ReceptionResult:
    consents, prescription = consent_records(facts.answers)
    return ReceptionResult(
        kiosk_id=kiosk_id,
        transaction_id=facts.result_id,
        started_at=facts.started_at,
        completed_at=facts.completed_at,
        method=facts.method,
        evidence=_evidence(facts),
        auth_certificate=facts.auth_certificate,
        consents=consents,
        registration_request=facts.registration_request,
        prescription=prescription,
        language=facts.language,
        timings_ms=dict(facts.step_timings_ms),
        software_version=software_version,
    )


def consent_records(answers: tuple[ScreenAnswer, ...]) -> tuple[tuple[ConsentRecord, ...], Prescription | None]:
    records: list[ConsentRecord] = []
    prescription: Prescription | None = None
    seen: set[ConsentItem] = set()

    def add(item_id: str, choice: Choice, answer: ScreenAnswer) -> None:
        item = ConsentItem(item_id)
        if item in seen:
            raise ResultNotReportable(f"consent item {item_id} answered twice")
        seen.add(item)
        s = answer.screen
        records.append(ConsentRecord(item, choice, s.text_id, s.version, s.sha256, answer.at))

    for answer in answers:
        screen_id = answer.screen.text_id
        if screen_id == COMPREHENSIVE_SCREEN:
            if answer.choice == "consent_all":
                for item_id in answer.covers:
                    add(item_id, Choice.CONSENT, answer)
            # "individual": the covered items follow one by one, each with its own screen and text
        elif screen_id == PRESCRIPTION_SCREEN:
            prescription = Prescription(answer.choice)
        elif screen_id in _ITEM_IDS and answer.choice in ("consent", "decline"):
            add(screen_id, Choice(answer.choice), answer)
        # information screens ("limit_info": 限度額 is always provided) need no record
    return tuple(records), prescription


_ITEM_IDS = frozenset(item.value for item in ConsentItem)


def face_evidence(decision: FaceDecision) -> FaceEvidence:
    if decision.verdict is not Verdict.ACCEPT or decision.median_distance is None:
        raise ResultNotReportable(f"a {decision.verdict.value} face decision is not a proof of identity")
    thresholds: Mapping[str, float] = {"accept": decision.accept_threshold, "reject": decision.reject_threshold}
    return FaceEvidence(decision.median_distance, thresholds, decision.model, _liveness(decision))


def _liveness(decision: FaceDecision) -> Liveness:
    if decision.liveness is None:
        return Liveness.NOT_CHECKED
    return Liveness.PASSED if decision.liveness.outcome is LivenessOutcome.PASSED else Liveness.FAILED


def _evidence(facts: ResultFacts) -> Evidence:
    if facts.method is Method.FACE:
        if facts.face is None:
            raise ResultNotReportable("a face reception needs the face decision")
        return face_evidence(facts.face)
    if facts.method in {Method.PIN, Method.SMARTPHONE_ANDROID, Method.SMARTPHONE_IPHONE}:
        if facts.pin is None:
            raise ResultNotReportable("a PIN reception needs the card's signature")
        return facts.pin
    return VisualEvidence(facts.visual_staff_id or VISUAL_STAFF_ID)
