"""One representative FlowState per screen (reached through the real flow where it matters), shared by the
screen-model unit tests and the ui screenshot gallery."""

from __future__ import annotations

from dataclasses import replace

from kiosk.config import DeviceSettings
from kiosk.domain import CredentialCarrier
from kiosk.errors import ErrorCode
from kiosk.face import Guidance
from kiosk.flow_types import CertState, FlowState, Intent, Notice, Phase, SelfTestItem, SelfTestReport, StaffCallState
from kiosk.ports import FaceBox
from kiosk.reception import Method
from tests.unit.flow_harness import FlowDriver, summary, with_config

PHONE_CONFIG = with_config(devices=DeviceSettings(reader="Virtual PCD 00 00", phone_reader="Virtual PCD 00 01"))


def sample_states() -> dict[str, FlowState]:
    base = FlowDriver.new().state
    phone = FlowDriver.new(PHONE_CONFIG).state
    card = summary(days_left=40)
    s = replace(base, summary=card, pin_tries=3, card_present=True, timers=(("phase", 7),))
    report = SelfTestReport(
        items=(
            SelfTestItem("reader", True, "Virtual PCD 00 00"),
            SelfTestItem("card_face_camera", True, "rendered card front"),
            SelfTestItem("camera", False, "no frames for 5 s"),
            SelfTestItem("backend", True, "200 in 12 ms"),
            SelfTestItem("outbox", True, "0"),
            SelfTestItem("version", True, "0.1.0"),
        ),
        counts=(("face", 12), ("pin", 4), ("visual", 1)),
        last_errors=("camera_lost", "pin_wrong", "pin_wrong", "ValueError"),
    )
    out: dict[str, FlowState] = {
        "attract": base,
        "attract_notice": replace(base, notice=Notice.CARD_REMOVED, visual_armed=True),
        "reading": replace(s, phase=Phase.READING, summary=None, job=3),
        "unsupported": replace(base, phase=Phase.UNSUPPORTED, error=ErrorCode.UNSUPPORTED_CARD),
        "read_failed": replace(base, phase=Phase.READ_FAILED, error=ErrorCode.BACKEND_UNAVAILABLE, alarm=True),
        "cert_expired": replace(base, phase=Phase.CERT_EXPIRED),
        "not_registered": replace(s, phase=Phase.NOT_REGISTERED),
        "renewal_notice": replace(s, phase=Phase.RENEWAL_NOTICE, cert=CertState.EXPIRING),
        "grace_notice": replace(s, phase=Phase.GRACE_NOTICE, cert=CertState.GRACE),
        "method": replace(s, phase=Phase.METHOD),
        "face_scan": replace(s, phase=Phase.FACE_SCAN, job=4),
        "face_photo": replace(s, phase=Phase.FACE_PHOTO, job=5),
        "face_capture": replace(
            s, phase=Phase.FACE_CAPTURE, job=6, face_hint=Guidance.COME_CLOSER, face_box=FaceBox(0.35, 0.25, 0.3, 0.4),
            face_progress=0.4,
        ),
        "face_retry": replace(s, phase=Phase.FACE_RETRY, face_hint=Guidance.REMOVE_MASK, face_attempts=1),
        "face_failed": replace(s, phase=Phase.FACE_FAILED, error=ErrorCode.FACE_NO_MATCH, face_exhausted=True),
        "pin_last_warning": replace(s, phase=Phase.PIN_LAST_WARNING, pin_tries=1),
        "pin_entry": replace(s, phase=Phase.PIN_ENTRY, pin_entry_count=1),
        "pin_verifying": replace(s, phase=Phase.PIN_VERIFYING, job=8),
        "pin_wrong": replace(s, phase=Phase.PIN_WRONG, pin_tries=2, error=ErrorCode.PIN_WRONG),
        "pin_locked": replace(s, phase=Phase.PIN_LOCKED, pin_tries=0, error=ErrorCode.PIN_BLOCKED),
        "staff_call": replace(s, phase=Phase.STAFF_CALL, staff_call=StaffCallState.DELIVERED),
        "staff_call_failed": replace(s, phase=Phase.STAFF_CALL, staff_call=StaffCallState.FAILED),
        "visual_check": replace(s, phase=Phase.VISUAL_CHECK),
        "visual_check_photo": replace(s, phase=Phase.VISUAL_CHECK, face_photo_ready=True),
        "staff_pin_confirm": replace(s, phase=Phase.STAFF_PIN, staff_for_visual=True,
                                     staff_pending=Intent.VISUAL_CONFIRMED, pin_entry_count=3),
        "still_there": replace(s, phase=Phase.METHOD, still_there=True),
        "consent_comprehensive": replace(
            s, phase=Phase.CONSENT, method=Method.PIN, consent_queue=("comprehensive", "limit_info")
        ),
        "consent_item": replace(s, phase=Phase.CONSENT, method=Method.PIN, consent_queue=("diagnosis",)),
        "consent_prescription": replace(
            s, phase=Phase.CONSENT, method=Method.PIN, consent_queue=("prescription_form",)
        ),
        "submitting": replace(s, phase=Phase.SUBMITTING, job=9),
        "submit_failed": replace(base, phase=Phase.SUBMIT_FAILED, error=ErrorCode.BACKEND_TIMEOUT),
        "done": replace(base, phase=Phase.DONE, queued=True),
        "done_agreed": replace(s, phase=Phase.DONE, method=Method.PIN, consent_answers=(
            ("comprehensive", "consent_all"), ("specific_diseases", "consent"), ("public_expense", "decline"))),
        "done_alarm": replace(base, phase=Phase.DONE, alarm=True),
        "take_card": replace(base, phase=Phase.TAKE_CARD, error=ErrorCode.TIMED_OUT),
        "staff_pin": replace(base, phase=Phase.STAFF_PIN, staff_message=Notice.STAFF_PIN_WRONG, staff_tries_left=3),
        "staff_panel": replace(base, phase=Phase.STAFF_PANEL),
        "staff_self_test": replace(base, phase=Phase.STAFF_SELF_TEST, self_test=report),
        "attract_phone": phone,
        "phone_choose": replace(phone, phase=Phase.PHONE_CHOOSE, phone_session=True),
        "phone_pin": replace(phone, phase=Phase.PHONE_PIN, phone_session=True, carrier=CredentialCarrier.ANDROID,
                             pin_entry_count=1),
        "phone_hold": replace(phone, phase=Phase.PHONE_HOLD, phone_session=True, carrier=CredentialCarrier.IPHONE),
        "phone_reading": replace(phone, phase=Phase.PHONE_READING, phone_session=True, job=11, phone_present=True),
        "phone_last_warning": replace(phone, phase=Phase.PHONE_LAST_WARNING, phone_session=True, pin_tries=1,
                                      carrier=CredentialCarrier.ANDROID),
        "phone_pin_wrong": replace(phone, phase=Phase.PHONE_PIN_WRONG, phone_session=True, pin_tries=2,
                                   carrier=CredentialCarrier.ANDROID, error=ErrorCode.PIN_WRONG),
        "phone_cert_expired": replace(phone, phase=Phase.PHONE_CERT_EXPIRED, phone_session=True,
                                      error=ErrorCode.PHONE_CERTIFICATE_EXPIRED),
    }
    return out
