"""The one table of patient- and staff-facing texts, keyed by the core's enums (phase, error code, notice,
face guidance, verdict, intent, consent choice), as English source text for Qt Linguist.

`make i18n` (pyside6-lupdate kiosk/screen_texts.py …) extracts the QT_TRANSLATE_NOOP calls into
assets/i18n/kiosk_{ja,en,zh,ko}.ts; the translations live there (Japanese is complete: it is the first
language) and `kiosk.translations` reads them, for the screens and for the operator commands alike.
"""

from __future__ import annotations

from kiosk.errors import ErrorCode
from kiosk.face import Guidance, Verdict
from kiosk.flow_types import Intent, Notice, Phase, StaffCallState
from kiosk.translations import translate


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark `text` for translation without translating it here (the core has no Qt)."""
    return text


# phase → (title, body lines…)
PHASE_TEXTS: dict[Phase, tuple[str, ...]] = {
    Phase.ATTRACT: (
        QT_TRANSLATE_NOOP("kiosk", "Please place your My Number card on the reader"),
        QT_TRANSLATE_NOOP("kiosk", "Take the card out of its case and lay it face up."),
    ),
    Phase.READING: (
        QT_TRANSLATE_NOOP("kiosk", "Reading your card…"),
        QT_TRANSLATE_NOOP("kiosk", "Please leave the card on the reader."),
    ),
    Phase.UNSUPPORTED: (
        QT_TRANSLATE_NOOP("kiosk", "This card cannot be used"),
        QT_TRANSLATE_NOOP("kiosk", "Please take your card."),
    ),
    Phase.READ_FAILED: (
        QT_TRANSLATE_NOOP("kiosk", "The card could not be read"),
        QT_TRANSLATE_NOOP("kiosk", "Please take your card and ask a member of staff."),
    ),
    Phase.CERT_EXPIRED: (
        QT_TRANSLATE_NOOP("kiosk", "The certificate on your card has expired"),
        QT_TRANSLATE_NOOP(
            "kiosk", "It expired more than 3 months ago. Please renew it at your municipal office."
        ),
        QT_TRANSLATE_NOOP("kiosk", "Please take your card and ask a member of staff."),
    ),
    Phase.NOT_REGISTERED: (
        QT_TRANSLATE_NOOP("kiosk", "Your card is not registered for health insurance use"),
        QT_TRANSLATE_NOOP("kiosk", "You can register it now. Registration needs your 4-digit PIN."),
    ),
    Phase.RENEWAL_NOTICE: (
        QT_TRANSLATE_NOOP("kiosk", "Your certificate expires soon"),
        QT_TRANSLATE_NOOP("kiosk", "Please renew it at your municipal office before it expires."),
    ),
    Phase.GRACE_NOTICE: (
        QT_TRANSLATE_NOOP("kiosk", "Your certificate has expired"),
        QT_TRANSLATE_NOOP(
            "kiosk",
            "For 3 months after expiry only your eligibility can be confirmed; medical information is not shared.",
        ),
        QT_TRANSLATE_NOOP("kiosk", "Please renew it at your municipal office."),
    ),
    Phase.METHOD: (
        QT_TRANSLATE_NOOP("kiosk", "How would you like to confirm your identity?"),
        QT_TRANSLATE_NOOP("kiosk", "Choose face recognition or your 4-digit PIN."),
    ),
    Phase.FACE_SCAN: (
        QT_TRANSLATE_NOOP("kiosk", "Reading the front of your card…"),
        QT_TRANSLATE_NOOP("kiosk", "Leave the card face up on the reader."),
    ),
    Phase.FACE_PHOTO: (
        QT_TRANSLATE_NOOP("kiosk", "Reading the photo on your card…"),
        QT_TRANSLATE_NOOP("kiosk", "Please leave the card on the reader."),
    ),
    Phase.FACE_CAPTURE: (
        QT_TRANSLATE_NOOP("kiosk", "Please look at the camera"),
        QT_TRANSLATE_NOOP("kiosk", "Keep your face inside the frame."),
    ),
    Phase.FACE_RETRY: (
        QT_TRANSLATE_NOOP("kiosk", "Face recognition did not succeed"),
        QT_TRANSLATE_NOOP("kiosk", "You can try again, or use your PIN."),
    ),
    Phase.FACE_FAILED: (
        QT_TRANSLATE_NOOP("kiosk", "Face recognition cannot be used"),
        QT_TRANSLATE_NOOP("kiosk", "Please use your PIN or ask a member of staff."),
    ),
    Phase.PIN_LAST_WARNING: (
        QT_TRANSLATE_NOOP("kiosk", "This is your last PIN attempt"),
        QT_TRANSLATE_NOOP(
            "kiosk",
            "If the PIN is wrong once more, it will be locked and can only be reset at your municipal office.",
        ),
    ),
    Phase.PIN_ENTRY: (
        QT_TRANSLATE_NOOP("kiosk", "Enter your 4-digit PIN"),
        QT_TRANSLATE_NOOP("kiosk", "Shield the keypad with your hand."),
    ),
    Phase.PIN_VERIFYING: (QT_TRANSLATE_NOOP("kiosk", "Checking your PIN…"),),
    Phase.PIN_WRONG: (
        QT_TRANSLATE_NOOP("kiosk", "The PIN is not correct"),
        QT_TRANSLATE_NOOP("kiosk", "To enter the PIN again, press Try again."),
    ),
    Phase.PIN_LOCKED: (
        QT_TRANSLATE_NOOP("kiosk", "Your PIN is locked"),
        QT_TRANSLATE_NOOP(
            "kiosk", "It can be reset at your municipal office. Face recognition can still be used today."
        ),
    ),
    Phase.STAFF_CALL: (
        QT_TRANSLATE_NOOP("kiosk", "Please ask a member of staff"),
        QT_TRANSLATE_NOOP("kiosk", "A member of staff will compare you with the photo on your card."),
    ),
    Phase.VISUAL_CHECK: (
        QT_TRANSLATE_NOOP("kiosk", "Staff visual check"),
        QT_TRANSLATE_NOOP(
            "kiosk", "Staff: compare the photo printed on the card with the patient. Confirm only if they match."
        ),
    ),
    Phase.CONSENT: (QT_TRANSLATE_NOOP("kiosk", "Consent"),),
    Phase.SUBMITTING: (
        QT_TRANSLATE_NOOP("kiosk", "Confirming your eligibility…"),
        QT_TRANSLATE_NOOP("kiosk", "Please wait a moment."),
    ),
    Phase.SUBMIT_FAILED: (
        QT_TRANSLATE_NOOP("kiosk", "Reception could not be completed"),
        QT_TRANSLATE_NOOP("kiosk", "Please take your card and ask a member of staff."),
    ),
    Phase.DONE: (
        QT_TRANSLATE_NOOP("kiosk", "Reception complete. Please take your card."),
        QT_TRANSLATE_NOOP("kiosk", "Thank you. Please wait to be called."),
    ),
    Phase.TAKE_CARD: (
        QT_TRANSLATE_NOOP("kiosk", "Please take your card"),
        QT_TRANSLATE_NOOP("kiosk", "The reception was not completed."),
    ),
    Phase.STAFF_PIN: (QT_TRANSLATE_NOOP("kiosk", "Staff PIN"),),
    Phase.STAFF_PANEL: (QT_TRANSLATE_NOOP("kiosk", "Staff panel"),),
    Phase.STAFF_SELF_TEST: (QT_TRANSLATE_NOOP("kiosk", "Self-test"),),
    Phase.PHONE_CHOOSE: (
        QT_TRANSLATE_NOOP("kiosk", "Which smartphone do you use?"),
        QT_TRANSLATE_NOOP("kiosk", "Android: enter the PIN here first. iPhone: no PIN here."),
    ),
    Phase.PHONE_PIN: (
        QT_TRANSLATE_NOOP("kiosk", "Enter the 4-digit PIN of your smartphone certificate"),
        QT_TRANSLATE_NOOP("kiosk", "Then hold your smartphone over the smartphone reader."),
    ),
    Phase.PHONE_HOLD: (
        QT_TRANSLATE_NOOP("kiosk", "Hold your smartphone over the smartphone reader"),
        QT_TRANSLATE_NOOP("kiosk", "iPhone: confirm with Face ID or Touch ID on the phone first."),
        QT_TRANSLATE_NOOP("kiosk", "Keep it still for 1–2 seconds."),
        # A phone with NFC off never answers, so the reader sees nothing: the only place to say it is here.
        QT_TRANSLATE_NOOP("kiosk", "If nothing happens, turn on NFC in the phone's settings."),
    ),
    Phase.PHONE_READING: (
        QT_TRANSLATE_NOOP("kiosk", "Reading your smartphone…"),
        QT_TRANSLATE_NOOP("kiosk", "Please keep the smartphone on the reader."),
    ),
    Phase.PHONE_LAST_WARNING: (
        QT_TRANSLATE_NOOP("kiosk", "This is the last PIN attempt for your smartphone"),
        QT_TRANSLATE_NOOP(
            "kiosk", "If the PIN is wrong once more, the certificate on your smartphone will be locked."
        ),
    ),
    Phase.PHONE_PIN_WRONG: (
        QT_TRANSLATE_NOOP("kiosk", "The PIN is not correct"),
        QT_TRANSLATE_NOOP("kiosk", "To enter the PIN again, press Try again."),
    ),
    Phase.PHONE_CERT_EXPIRED: (
        QT_TRANSLATE_NOOP("kiosk", "The certificate on your smartphone cannot be used"),
        QT_TRANSLATE_NOOP("kiosk", "Please use your My Number card on the card reader."),
    ),
}

_CARD_UNREADABLE = QT_TRANSLATE_NOOP("kiosk", "The card could not be read. Please place it again.")

ERROR_TEXTS: dict[ErrorCode, str] = {
    ErrorCode.KIOSK_ERROR: QT_TRANSLATE_NOOP("kiosk", "Something went wrong."),
    ErrorCode.PHONE_CERTIFICATE_EXPIRED: QT_TRANSLATE_NOOP(
        "kiosk", "The certificate on your smartphone has expired. Please use your My Number card instead."
    ),
    ErrorCode.PHONE_ON_CARD_READER: QT_TRANSLATE_NOOP(
        "kiosk", "Please hold your smartphone over the smartphone reader."
    ),
    ErrorCode.CARD_ON_PHONE_READER: QT_TRANSLATE_NOOP("kiosk", "Please place your My Number card on the card reader."),
    ErrorCode.PHONE_REMOVED: QT_TRANSLATE_NOOP(
        "kiosk", "The smartphone moved away before it was read. Please hold it again."
    ),
    ErrorCode.TIMEOUT: QT_TRANSLATE_NOOP("kiosk", "This took too long."),
    ErrorCode.TIMED_OUT: QT_TRANSLATE_NOOP("kiosk", "There was no input for a while, so the reception was stopped."),
    ErrorCode.CANCELLED: QT_TRANSLATE_NOOP("kiosk", "The reception was cancelled."),
    ErrorCode.VISUAL_REJECTED: QT_TRANSLATE_NOOP("kiosk", "The staff check did not confirm the card holder."),
    ErrorCode.UNSUPPORTED_CARD: QT_TRANSLATE_NOOP("kiosk", "Please use a My Number card."),
    ErrorCode.CARD_ERROR: _CARD_UNREADABLE,
    ErrorCode.CARD_COMMAND_FAILED: _CARD_UNREADABLE,
    ErrorCode.SECURITY_STATUS_NOT_SATISFIED: _CARD_UNREADABLE,
    ErrorCode.NO_CARD: QT_TRANSLATE_NOOP("kiosk", "No card is on the reader. Please place your My Number card."),
    ErrorCode.CARD_REMOVED: QT_TRANSLATE_NOOP("kiosk", "The card was removed."),
    ErrorCode.MALFORMED_RESPONSE: QT_TRANSLATE_NOOP("kiosk", "The card gave an unexpected answer."),
    ErrorCode.NO_READER: QT_TRANSLATE_NOOP("kiosk", "No card reader was found."),
    ErrorCode.CARD_FACE_UNREADABLE: QT_TRANSLATE_NOOP(
        "kiosk", "The front of the card could not be read. Place it face up and try again."
    ),
    ErrorCode.VERIFICATION_B_WRONG: QT_TRANSLATE_NOOP("kiosk", "The card face was read incorrectly."),
    ErrorCode.VERIFICATION_B_BLOCKED: QT_TRANSLATE_NOOP("kiosk", "The photo on this card cannot be read."),
    ErrorCode.VERIFICATION_B_LOW: QT_TRANSLATE_NOOP(
        "kiosk", "The photo on this card is protected after several failed reads; face recognition is not used."
    ),
    ErrorCode.NO_FACE_IN_CHIP_PHOTO: QT_TRANSLATE_NOOP("kiosk", "The photo on the card cannot be used for matching."),
    ErrorCode.CAMERA_LOST: QT_TRANSLATE_NOOP("kiosk", "The camera is not available."),
    ErrorCode.FACE_NO_MATCH: QT_TRANSLATE_NOOP("kiosk", "Your face could not be matched with the card photo."),
    ErrorCode.FACE_LIVENESS: QT_TRANSLATE_NOOP("kiosk", "The live check did not succeed."),
    ErrorCode.PIN_WRONG: QT_TRANSLATE_NOOP("kiosk", "The PIN is not correct."),
    ErrorCode.PIN_BLOCKED: QT_TRANSLATE_NOOP("kiosk", "The PIN is locked."),
    ErrorCode.PIN_NOT_SET: QT_TRANSLATE_NOOP("kiosk", "This card has no PIN (face-authentication card)."),
    ErrorCode.PIN_FORMAT: QT_TRANSLATE_NOOP("kiosk", "Please enter 4 digits."),
    ErrorCode.BACKEND_UNAVAILABLE: QT_TRANSLATE_NOOP("kiosk", "The verification service cannot be reached."),
    ErrorCode.BACKEND_TIMEOUT: QT_TRANSLATE_NOOP("kiosk", "The verification service did not answer in time."),
    ErrorCode.BACKEND_REJECTED: QT_TRANSLATE_NOOP("kiosk", "The verification service could not confirm this card."),
    ErrorCode.CARD_REVOKED: QT_TRANSLATE_NOOP(
        "kiosk", "This card's electronic certificate has been revoked. It cannot be used here today."
    ),
    ErrorCode.CARD_TIMEOUT: QT_TRANSLATE_NOOP("kiosk", "The card did not answer. Please place it again."),
    ErrorCode.CARD_NOT_AUTHENTIC: QT_TRANSLATE_NOOP(
        "kiosk", "The card's data could not be verified. Please use your PIN or ask staff to check."
    ),
    ErrorCode.OUT_OF_SERVICE: QT_TRANSLATE_NOOP("kiosk", "Staff have been told on the staff panel."),
    ErrorCode.OUTBOX_ERROR: QT_TRANSLATE_NOOP(
        "kiosk", "The reception could not be saved. Please ask a member of staff."
    ),
    ErrorCode.CONFIG_ERROR: QT_TRANSLATE_NOOP(
        "kiosk", "The kiosk is not configured correctly. Please ask a member of staff."
    ),
}

NOTICE_TEXTS: dict[Notice, str] = {
    Notice.CARD_REMOVED: QT_TRANSLATE_NOOP("kiosk", "The card was removed, so the reception was stopped."),
    Notice.THANKS: QT_TRANSLATE_NOOP("kiosk", "Thank you."),
    Notice.STAFF_PIN_WRONG: QT_TRANSLATE_NOOP("kiosk", "Wrong staff PIN. {n} tries left."),
    Notice.STAFF_LOCKED: QT_TRANSLATE_NOOP("kiosk", "Staff PIN locked. Try again in {n} seconds."),
}

# The end of a reception the verifier has not confirmed (stored in the outbox, or the verifier unreachable),
# and the kiosk's own refusal to start one: never 受付完了 for an unconfirmed eligibility.
RECORDED = QT_TRANSLATE_NOOP("kiosk", "Your reception has been recorded. Please take your card.")
STAFF_WILL_CONFIRM = QT_TRANSLATE_NOOP("kiosk", "Staff will confirm your eligibility. Please wait to be called.")
OUT_OF_SERVICE = QT_TRANSLATE_NOOP("kiosk", "This kiosk is out of service")
# The same ends for a phone, which the patient already took back: never "please take your card".
PHONE_DONE = QT_TRANSLATE_NOOP("kiosk", "Reception complete.")
PHONE_RECORDED = QT_TRANSLATE_NOOP("kiosk", "Your reception has been recorded.")
PHONE_NOT_DONE = QT_TRANSLATE_NOOP("kiosk", "The reception was not completed")
PHONE_UNREADABLE = QT_TRANSLATE_NOOP("kiosk", "The smartphone could not be read")
PHONE_ASK_STAFF = QT_TRANSLATE_NOOP("kiosk", "Please use your My Number card, or ask a member of staff.")

# Status lines of particular screens, and the window's own chrome.
VISUAL_ARMED = QT_TRANSLATE_NOOP("kiosk", "Staff visual check is on for the next patient.")
VISUAL_OFF = QT_TRANSLATE_NOOP("kiosk", "Staff visual check is off.")
STAFF_CALL_TEXTS = {
    StaffCallState.CALLING: QT_TRANSLATE_NOOP("kiosk", "Calling staff…"),
    StaffCallState.DELIVERED: QT_TRANSLATE_NOOP("kiosk", "Staff have been called. Please wait here."),
    StaffCallState.FAILED: QT_TRANSLATE_NOOP(
        "kiosk", "The call did not reach staff. Please ask at the reception desk."
    ),
}
CONSENT_STEP = QT_TRANSLATE_NOOP("kiosk", "Question {k} of {n}")
AGREED = QT_TRANSLATE_NOOP("kiosk", "You agreed to share: {items}")
DECLINED = QT_TRANSLATE_NOOP("kiosk", "You did not agree to share: {items}")
CHECK_OK = QT_TRANSLATE_NOOP("kiosk", "Working")
CHECK_FAILED = QT_TRANSLATE_NOOP("kiosk", "Needs attention")
NO_ERRORS = QT_TRANSLATE_NOOP("kiosk", "None today")
INTERNAL_ERROR = QT_TRANSLATE_NOOP("kiosk", "Internal error (see the kiosk log)")
STILL_THERE = QT_TRANSLATE_NOOP("kiosk", "Do you want to continue?")
STILL_THERE_BODY = QT_TRANSLATE_NOOP("kiosk", "If there is no answer, the reception stops when the time runs out.")
CHIP_PHOTO_SHOWN = QT_TRANSLATE_NOOP(
    "kiosk", "Staff: compare the photo read from the card's chip with the patient. Confirm only if they match."
)
NAME_NEEDS_PIN = QT_TRANSLATE_NOOP("kiosk", "The chip gives the name only with the patient's PIN: read it on the card.")
STAFF_PIN_TO_CONFIRM = QT_TRANSLATE_NOOP("kiosk", "Enter the staff PIN to confirm that this is the same person.")
STAFF_PIN_TO_REJECT = QT_TRANSLATE_NOOP("kiosk", "Enter the staff PIN to record that this is not the same person.")
CARD_LEFT = QT_TRANSLATE_NOOP("kiosk", "Your card is still on the reader!")
PHONE_LEFT = QT_TRANSLATE_NOOP("kiosk", "Your smartphone is still on the reader!")
TRIES_LEFT = QT_TRANSLATE_NOOP("kiosk", "Tries left: {n}")
EXPIRY_DATE = QT_TRANSLATE_NOOP("kiosk", "Expiry date: {date}")
SELF_TEST_RUNNING = QT_TRANSLATE_NOOP("kiosk", "Running the self-test…")
SOUND_ON = QT_TRANSLATE_NOOP("kiosk", "Sound on")
SOUND_OFF = QT_TRANSLATE_NOOP("kiosk", "Sound off")

FACE_HINTS: dict[Guidance, str] = {
    Guidance.OK: QT_TRANSLATE_NOOP("kiosk", "Please hold still."),
    Guidance.NO_FACE: QT_TRANSLATE_NOOP("kiosk", "Please look at the camera."),
    Guidance.ONE_PERSON_ONLY: QT_TRANSLATE_NOOP("kiosk", "One person at a time, please."),
    Guidance.COME_CLOSER: QT_TRANSLATE_NOOP("kiosk", "Please come a little closer."),
    Guidance.STEP_BACK: QT_TRANSLATE_NOOP("kiosk", "Please move back a little."),
    Guidance.CENTRE_FACE: QT_TRANSLATE_NOOP("kiosk", "Please move your face to the centre."),
    Guidance.FACE_CAMERA: QT_TRANSLATE_NOOP("kiosk", "Please face the camera straight on."),
    Guidance.HOLD_STILL: QT_TRANSLATE_NOOP("kiosk", "Please hold still."),
    Guidance.MORE_LIGHT: QT_TRANSLATE_NOOP("kiosk", "It is too dark here."),
    Guidance.LESS_BACKLIGHT: QT_TRANSLATE_NOOP("kiosk", "There is too much light behind you."),
    Guidance.OPEN_EYES: QT_TRANSLATE_NOOP("kiosk", "Please open your eyes."),
    Guidance.REMOVE_MASK: QT_TRANSLATE_NOOP("kiosk", "Please take off your mask."),
    Guidance.REMOVE_CAP: QT_TRANSLATE_NOOP("kiosk", "Please take off your hat."),
    Guidance.BLINK: QT_TRANSLATE_NOOP("kiosk", "Please blink."),
    Guidance.TURN_LEFT: QT_TRANSLATE_NOOP("kiosk", "Please turn your head slowly to your left."),
    Guidance.TURN_RIGHT: QT_TRANSLATE_NOOP("kiosk", "Please turn your head slowly to your right."),
    Guidance.NOD: QT_TRANSLATE_NOOP("kiosk", "Please nod slowly."),
}

VERDICT_TEXTS: dict[Verdict, str] = {
    Verdict.ACCEPT: QT_TRANSLATE_NOOP("kiosk", "Your identity has been confirmed."),
    Verdict.RETRY: QT_TRANSLATE_NOOP("kiosk", "Please try once more."),
    Verdict.REJECT: QT_TRANSLATE_NOOP(
        "kiosk", "Face check did not confirm you. Please use your PIN or ask staff to check."
    ),
    Verdict.LIVENESS_FAILED: QT_TRANSLATE_NOOP(
        "kiosk", "We could not confirm this. Please use your PIN or ask staff to check."
    ),
    Verdict.NO_USABLE_FACE: QT_TRANSLATE_NOOP(
        "kiosk", "Your face could not be captured. Please use your PIN or ask staff to check."
    ),
}

BUTTON_LABELS: dict[Intent, str] = {
    Intent.NEXT: QT_TRANSLATE_NOOP("kiosk", "Next"),
    Intent.CANCEL: QT_TRANSLATE_NOOP("kiosk", "Stop"),
    Intent.CONTINUE: QT_TRANSLATE_NOOP("kiosk", "Continue"),
    Intent.BACK: QT_TRANSLATE_NOOP("kiosk", "Back"),
    Intent.VOICE_GUIDE: QT_TRANSLATE_NOOP("kiosk", "Voice guide"),
    Intent.REGISTER: QT_TRANSLATE_NOOP("kiosk", "Register"),
    Intent.USE_FACE: QT_TRANSLATE_NOOP("kiosk", "Face recognition"),
    Intent.USE_PIN: QT_TRANSLATE_NOOP("kiosk", "PIN (4 digits)"),
    Intent.CALL_STAFF: QT_TRANSLATE_NOOP("kiosk", "Ask staff"),
    Intent.RETRY: QT_TRANSLATE_NOOP("kiosk", "Try again"),
    Intent.CONFIRM_LAST_TRY: QT_TRANSLATE_NOOP("kiosk", "I understand, enter the PIN"),
    Intent.TOGGLE_MUTE: QT_TRANSLATE_NOOP("kiosk", "Sound"),
    Intent.TOGGLE_CONTRAST: QT_TRANSLATE_NOOP("kiosk", "Large text"),
    Intent.STAFF_SIGN_IN: QT_TRANSLATE_NOOP("kiosk", "Staff only"),
    Intent.STAFF_ARM_VISUAL: QT_TRANSLATE_NOOP("kiosk", "Visual check for next patient"),
    Intent.STAFF_DISARM_VISUAL: QT_TRANSLATE_NOOP("kiosk", "Turn visual check off"),
    Intent.STAFF_SELF_TEST: QT_TRANSLATE_NOOP("kiosk", "Self-test and counts"),
    Intent.STAFF_EXIT: QT_TRANSLATE_NOOP("kiosk", "Close"),
    Intent.VISUAL_CONFIRMED: QT_TRANSLATE_NOOP("kiosk", "Same person: confirm"),
    Intent.VISUAL_REJECTED: QT_TRANSLATE_NOOP("kiosk", "Not the same person"),
    Intent.USE_PHONE: QT_TRANSLATE_NOOP("kiosk", "Smartphone"),
    Intent.PHONE_ANDROID: QT_TRANSLATE_NOOP("kiosk", "Android"),
    Intent.PHONE_IPHONE: QT_TRANSLATE_NOOP("kiosk", "iPhone"),
}

# (consent kind, choice) → label
CHOICE_LABELS: dict[tuple[str, str], str] = {
    ("comprehensive", "consent_all"): QT_TRANSLATE_NOOP("kiosk", "Agree to all"),
    ("comprehensive", "individual"): QT_TRANSLATE_NOOP("kiosk", "Choose item by item"),
    ("agree", "consent"): QT_TRANSLATE_NOOP("kiosk", "Agree"),
    ("agree", "decline"): QT_TRANSLATE_NOOP("kiosk", "Do not agree"),
    ("provide", "consent"): QT_TRANSLATE_NOOP("kiosk", "Provide"),
    ("provide", "decline"): QT_TRANSLATE_NOOP("kiosk", "Do not provide"),
    ("info", "ok"): QT_TRANSLATE_NOOP("kiosk", "OK"),
    ("prescription", "electronic"): QT_TRANSLATE_NOOP("kiosk", "Electronic prescription"),
    ("prescription", "paper"): QT_TRANSLATE_NOOP("kiosk", "Paper prescription"),
}

# Row labels of the staff screens: self-test probe names and reception methods (their stable codes).
STAFF_LABELS: dict[str, str] = {
    "reader": QT_TRANSLATE_NOOP("kiosk", "Card reader"),
    "card_face_camera": QT_TRANSLATE_NOOP("kiosk", "Card-face camera"),
    "camera": QT_TRANSLATE_NOOP("kiosk", "Camera"),
    "face_camera": QT_TRANSLATE_NOOP("kiosk", "Face camera"),
    "face_models": QT_TRANSLATE_NOOP("kiosk", "Face models"),
    "disk": QT_TRANSLATE_NOOP("kiosk", "Disk"),
    "backend": QT_TRANSLATE_NOOP("kiosk", "Verification service"),
    "outbox": QT_TRANSLATE_NOOP("kiosk", "Outbox"),
    "quarantine": QT_TRANSLATE_NOOP("kiosk", "Refused results held"),
    "version": QT_TRANSLATE_NOOP("kiosk", "Version"),
    "last_errors": QT_TRANSLATE_NOOP("kiosk", "Last errors"),
    "counts": QT_TRANSLATE_NOOP("kiosk", "Today"),
    "face": QT_TRANSLATE_NOOP("kiosk", "Face"),
    "pin": QT_TRANSLATE_NOOP("kiosk", "PIN"),
    "visual": QT_TRANSLATE_NOOP("kiosk", "Visual check"),
    "smartphone-android": QT_TRANSLATE_NOOP("kiosk", "Smartphone (Android)"),
    "smartphone-iphone": QT_TRANSLATE_NOOP("kiosk", "Smartphone (iPhone)"),
    "phone_reader": QT_TRANSLATE_NOOP("kiosk", "Smartphone reader"),
    "staff_mode": QT_TRANSLATE_NOOP("kiosk", "Staff"),
}


def error_message(code: ErrorCode) -> str:
    """An error's patient text, Japanese first with English beside it (for the operator commands)."""
    text = ERROR_TEXTS[code]
    return f"{translate('ja', text)} / {text}"
