"""The スマホのマイナ保険証 part of the flow: choosing the phone, Android's PIN (entered on the kiosk before the
phone is held, with the card's last-try confirmation), holding the phone, and the phone's proof.

A phone carries only the JPKI 利用者証明用電子証明書: no chip photo, so no face matching; after the proof the
consents follow as for the card. The phone is held for a moment and taken back, so its leaving the reader ends
nothing once it has been read; leaving in the middle of a read asks to hold it again (docs/smartphone.md).
"""

from __future__ import annotations

import re
from dataclasses import replace

from kiosk.domain import CredentialCarrier
from kiosk.errors import ErrorCode
from kiosk.flow_effects import HoldPhonePin, IdentifyPhone, ProvePhone
from kiosk.flow_events import Event, JobFailed, PhoneIdentified, PhoneProved, PinEntered, PinRejected, Pressed
from kiosk.flow_steps import (
    Offer,
    Role,
    Transition,
    cancel_job,
    end_session,
    enter,
    new_token,
    start_consents,
    to_idle,
)
from kiosk.flow_types import CARD_OUT_PHASES, FlowState, Intent, Notice, Phase
from kiosk.reception import Method

_PHONE_PIN = re.compile(r"[0-9]{4}")  # the スマホ用利用者証明用電子証明書 PIN: 4 digits, as the card's
METHOD_OF = {CredentialCarrier.ANDROID: Method.SMARTPHONE_ANDROID, CredentialCarrier.IPHONE: Method.SMARTPHONE_IPHONE}
# A read that broke because the phone left the field: hold it again (nothing was spent that the counter hides).
_PULLED_AWAY = frozenset({ErrorCode.CARD_REMOVED, ErrorCode.NO_CARD, ErrorCode.CARD_TIMEOUT})


def phone_reader_configured(s: FlowState) -> bool:
    # The phone signs the kiosk-made statement (kiosk.proof): without PIN proofs there is no phone path.
    return bool(s.settings.config.devices.phone_reader) and s.settings.config.delivery.pin_proofs


def start_phone_choice(s: FlowState) -> Transition:
    return enter(s, Phase.PHONE_CHOOSE, phone_session=True, notice=None, carrier=None)


def phone_placed_at_idle(s: FlowState) -> Transition:
    """A phone (or anything) on the smartphone reader starts a phone reception: first find out what it is."""
    return _identify(replace(s, phone_session=True, notice=None, carrier=None))


def _identify(s: FlowState) -> Transition:
    s, tok = new_token(s)
    s, effects = enter(s, Phase.PHONE_READING, job=tok)
    return s, [*effects, IdentifyPhone(tok)]


def await_phone(s: FlowState) -> Transition:
    """Read the phone if it is already on the reader, else show where to hold it."""
    return _identify(s) if s.phone_present else enter(s, Phase.PHONE_HOLD)


def _start_android(s: FlowState) -> Transition:
    s = replace(s, carrier=CredentialCarrier.ANDROID)
    return _ask_pin(s) if not s.phone_pin_held else await_phone(s)


def _ask_pin(s: FlowState) -> Transition:
    return enter(s, Phase.PHONE_PIN, pin_entry_count=s.pin_entry_count + 1, error=None)


def _start_iphone(s: FlowState) -> Transition:
    return await_phone(replace(s, carrier=CredentialCarrier.IPHONE, error=None))


def _prove(s: FlowState) -> Transition:
    carrier = s.carrier
    assert carrier is not None and carrier.is_phone
    s, tok = new_token(s)
    s, effects = enter(s, Phase.PHONE_READING, job=tok, error=None)
    return s, [*effects, ProvePhone(tok, carrier)]


def _confirm_last_try(s: FlowState) -> Transition:
    s = replace(s, last_try_confirmed=True)
    return _prove(s) if s.phone_present else enter(s, Phase.PHONE_HOLD)


# --- offers ------------------------------------------------------------------------------------------------


def phone_choose_offers(s: FlowState) -> list[Offer]:
    return [Offer(Pressed(Intent.PHONE_ANDROID), Role.PRIMARY, _start_android),
            Offer(Pressed(Intent.PHONE_IPHONE), Role.PRIMARY, _start_iphone)]  # fmt: skip


def phone_last_warning_offers(s: FlowState) -> list[Offer]:
    return [Offer(Pressed(Intent.CONFIRM_LAST_TRY), Role.DANGER, _confirm_last_try)]


def phone_pin_wrong_offers(s: FlowState) -> list[Offer]:
    return [Offer(Pressed(Intent.RETRY), Role.PRIMARY, _ask_pin)]


# --- events ------------------------------------------------------------------------------------------------


def phone_pin(s: FlowState, e: Event) -> Transition:
    if isinstance(e, PinEntered):
        if not _PHONE_PIN.fullmatch(e.pin):
            return replace(s, error=ErrorCode.PIN_FORMAT), []
        s, effects = await_phone(replace(s, phone_pin_held=True, last_try_confirmed=False, error=None))
        return s, [HoldPhonePin(e.pin), *effects]
    return s, []


def phone_reading(s: FlowState, e: Event) -> Transition:
    match e:
        case PhoneIdentified(carrier=CredentialCarrier.CARD):
            # A card on the flat reader: this reception is the card's, on the card reader.
            return end_session(replace(s, job=None, phone_session=False, carrier=None), Phase.TAKE_CARD,
                               error=ErrorCode.CARD_ON_PHONE_READER)
        case PhoneIdentified(carrier=CredentialCarrier.ANDROID, tries_left=tries):
            s = replace(s, job=None, carrier=CredentialCarrier.ANDROID, pin_tries=tries)
            if tries is None or tries <= 0:
                return end_session(s, Phase.TAKE_CARD, error=ErrorCode.PIN_BLOCKED)
            if not s.phone_pin_held:
                return _ask_pin(s)  # placed without choosing first (or chosen as an iPhone): the PIN now
            if tries == 1 and not s.last_try_confirmed:
                return enter(s, Phase.PHONE_LAST_WARNING)  # never spend the last try unconfirmed
            return _prove(s)
        case PhoneIdentified(carrier=carrier):
            return _prove(replace(s, job=None, carrier=carrier))
        case PhoneProved(not_after=not_after, now=now):
            s = replace(s, job=None)
            if not_after < now:  # no 3-month grace for a phone: it lapsed with the card's certificate
                return end_session(s, Phase.PHONE_CERT_EXPIRED, error=ErrorCode.PHONE_CERTIFICATE_EXPIRED)
            assert s.carrier is not None
            return start_consents(s, METHOD_OF[s.carrier])
        case PinRejected(tries_left=tries):
            s = replace(s, job=None, phone_pin_held=False, pin_tries=max(tries, 0), last_try_confirmed=False)
            if tries <= 0:
                return end_session(s, Phase.TAKE_CARD, error=ErrorCode.PIN_BLOCKED)
            return enter(s, Phase.PHONE_PIN_WRONG, error=ErrorCode.PIN_WRONG)
        case JobFailed(code=ErrorCode.PIN_BLOCKED):
            return end_session(replace(s, job=None, pin_tries=0), Phase.TAKE_CARD, error=ErrorCode.PIN_BLOCKED)
        case JobFailed(code=code) if code in _PULLED_AWAY:
            return enter(s, Phase.PHONE_HOLD, job=None, error=ErrorCode.PHONE_REMOVED)
        case JobFailed(code=ErrorCode.UNSUPPORTED_CARD):
            return end_session(replace(s, job=None), Phase.UNSUPPORTED, error=ErrorCode.UNSUPPORTED_CARD)
        case JobFailed(code=code):
            return end_session(replace(s, job=None), Phase.READ_FAILED, error=code)
    return s, []


def phone_taken(s: FlowState) -> Transition:
    """The phone left the smartphone reader (its presence flag is already cleared)."""
    if not s.phone_session:
        return s, []
    if s.phase is Phase.PHONE_READING:
        s, effects = cancel_job(s)  # pulled away mid-read: ask to hold it again
        s, more = enter(s, Phase.PHONE_HOLD, error=ErrorCode.PHONE_REMOVED)
        return s, effects + more
    if s.phase in CARD_OUT_PHASES:
        return to_idle(s, Notice.THANKS if s.phase is Phase.DONE else None)
    return s, []  # taken back after the read, as it should be: the consents go on


def phone_placed(s: FlowState) -> Transition:
    """Something arrived on the smartphone reader (its presence flag is already set)."""
    if s.phase is Phase.ATTRACT:
        return phone_placed_at_idle(s)
    if s.phase is Phase.PHONE_HOLD:
        return _identify(s)
    return s, []  # a card session, or a phone screen that reads the phone later: only remembered
