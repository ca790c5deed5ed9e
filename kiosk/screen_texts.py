"""Every patient- and staff-facing string of the kiosk screens, as English source text for Qt Linguist.

`pyside6-lupdate kiosk/screen_texts.py …` extracts the QT_TRANSLATE_NOOP calls into assets/i18n/kiosk_*.ts;
the Japanese, Chinese and Korean translations live there (Japanese is complete: it is the first language).
"""

from __future__ import annotations

from kiosk.flow_types import Intent, Phase


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
        QT_TRANSLATE_NOOP("kiosk", "The kiosk never tries again on its own."),
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
}

ERROR_TEXTS: dict[str, str] = {
    "kiosk_error": QT_TRANSLATE_NOOP("kiosk", "Something went wrong."),
    "timeout": QT_TRANSLATE_NOOP("kiosk", "This took too long."),
    "timed_out": QT_TRANSLATE_NOOP("kiosk", "There was no input for a while, so the reception was stopped."),
    "cancelled": QT_TRANSLATE_NOOP("kiosk", "The reception was cancelled."),
    "visual_rejected": QT_TRANSLATE_NOOP("kiosk", "The staff check did not confirm the card holder."),
    "unsupported_card": QT_TRANSLATE_NOOP("kiosk", "Please use a My Number card."),
    "card_error": QT_TRANSLATE_NOOP("kiosk", "The card could not be read. Please place it again."),
    "card_removed": QT_TRANSLATE_NOOP("kiosk", "The card was removed."),
    "malformed_response": QT_TRANSLATE_NOOP("kiosk", "The card gave an unexpected answer."),
    "no_reader": QT_TRANSLATE_NOOP("kiosk", "No card reader was found."),
    "card_face_unreadable": QT_TRANSLATE_NOOP(
        "kiosk", "The front of the card could not be read. Place it face up and try again."
    ),
    "verification_b_wrong": QT_TRANSLATE_NOOP("kiosk", "The card face was read incorrectly."),
    "verification_b_blocked": QT_TRANSLATE_NOOP("kiosk", "The photo on this card cannot be read."),
    "verification_b_low": QT_TRANSLATE_NOOP(
        "kiosk", "The photo on this card is protected after several failed reads; face recognition is not used."
    ),
    "no_face_in_chip_photo": QT_TRANSLATE_NOOP("kiosk", "The photo on the card cannot be used for matching."),
    "camera_lost": QT_TRANSLATE_NOOP("kiosk", "The camera is not available."),
    "face_no_match": QT_TRANSLATE_NOOP("kiosk", "Your face could not be matched with the card photo."),
    "face_liveness": QT_TRANSLATE_NOOP("kiosk", "The live check did not succeed."),
    "pin_wrong": QT_TRANSLATE_NOOP("kiosk", "The PIN is not correct."),
    "pin_blocked": QT_TRANSLATE_NOOP("kiosk", "The PIN is locked."),
    "pin_not_set": QT_TRANSLATE_NOOP("kiosk", "This card has no PIN (face-authentication card)."),
    "pin_format": QT_TRANSLATE_NOOP("kiosk", "Please enter 4 digits."),
    "backend_unavailable": QT_TRANSLATE_NOOP("kiosk", "The verification service cannot be reached."),
    "backend_timeout": QT_TRANSLATE_NOOP("kiosk", "The verification service did not answer in time."),
    "backend_rejected": QT_TRANSLATE_NOOP("kiosk", "The verification service could not confirm this card."),
}

NOTICES: dict[str, str] = {
    "card_removed": QT_TRANSLATE_NOOP("kiosk", "The card was removed, so the reception was stopped."),
    "thanks": QT_TRANSLATE_NOOP("kiosk", "Thank you."),
    "visual_armed": QT_TRANSLATE_NOOP("kiosk", "Staff visual check is on for the next patient."),
    "visual_off": QT_TRANSLATE_NOOP("kiosk", "Staff visual check is off."),
    "queued": QT_TRANSLATE_NOOP("kiosk", "Your reception is saved and will be sent shortly."),
    "staff_pin_wrong": QT_TRANSLATE_NOOP("kiosk", "Wrong staff PIN. {n} tries left."),
    "staff_locked": QT_TRANSLATE_NOOP("kiosk", "Staff PIN locked. Try again in {n} seconds."),
    "card_left": QT_TRANSLATE_NOOP("kiosk", "Your card is still on the reader!"),
}

FACE_HINTS: dict[str, str] = {
    "ok": QT_TRANSLATE_NOOP("kiosk", "Please hold still."),
    "no_face": QT_TRANSLATE_NOOP("kiosk", "Please look at the camera."),
    "one_person_only": QT_TRANSLATE_NOOP("kiosk", "One person at a time, please."),
    "come_closer": QT_TRANSLATE_NOOP("kiosk", "Please come a little closer."),
    "step_back": QT_TRANSLATE_NOOP("kiosk", "Please move back a little."),
    "centre_face": QT_TRANSLATE_NOOP("kiosk", "Please move your face to the centre."),
    "face_camera": QT_TRANSLATE_NOOP("kiosk", "Please face the camera straight on."),
    "hold_still": QT_TRANSLATE_NOOP("kiosk", "Please hold still."),
    "more_light": QT_TRANSLATE_NOOP("kiosk", "It is too dark here."),
    "less_backlight": QT_TRANSLATE_NOOP("kiosk", "There is too much light behind you."),
    "open_eyes": QT_TRANSLATE_NOOP("kiosk", "Please open your eyes."),
    "remove_mask": QT_TRANSLATE_NOOP("kiosk", "Please take off your mask."),
    "remove_cap": QT_TRANSLATE_NOOP("kiosk", "Please take off your hat."),
    "blink": QT_TRANSLATE_NOOP("kiosk", "Please blink."),
    "turn_head": QT_TRANSLATE_NOOP("kiosk", "Please turn your head slowly."),
    "turn_left": QT_TRANSLATE_NOOP("kiosk", "Please turn your head slowly to your left."),
    "turn_right": QT_TRANSLATE_NOOP("kiosk", "Please turn your head slowly to your right."),
    "nod": QT_TRANSLATE_NOOP("kiosk", "Please nod slowly."),
}

BUTTON_LABELS: dict[Intent, str] = {
    Intent.NEXT: QT_TRANSLATE_NOOP("kiosk", "Next"),
    Intent.CANCEL: QT_TRANSLATE_NOOP("kiosk", "Stop"),
    Intent.REGISTER: QT_TRANSLATE_NOOP("kiosk", "Register"),
    Intent.USE_FACE: QT_TRANSLATE_NOOP("kiosk", "Face recognition"),
    Intent.USE_PIN: QT_TRANSLATE_NOOP("kiosk", "PIN (4 digits)"),
    Intent.CALL_STAFF: QT_TRANSLATE_NOOP("kiosk", "Ask staff"),
    Intent.RETRY: QT_TRANSLATE_NOOP("kiosk", "Try again"),
    Intent.CONFIRM_LAST_TRY: QT_TRANSLATE_NOOP("kiosk", "I understand, enter the PIN"),
    Intent.TOGGLE_MUTE: QT_TRANSLATE_NOOP("kiosk", "Sound"),
    Intent.TOGGLE_CONTRAST: QT_TRANSLATE_NOOP("kiosk", "Large text"),
    Intent.STAFF_GESTURE: QT_TRANSLATE_NOOP("kiosk", "Staff only"),
    Intent.STAFF_ARM_VISUAL: QT_TRANSLATE_NOOP("kiosk", "Visual check for next patient"),
    Intent.STAFF_DISARM_VISUAL: QT_TRANSLATE_NOOP("kiosk", "Turn visual check off"),
    Intent.STAFF_SELF_TEST: QT_TRANSLATE_NOOP("kiosk", "Self-test and counts"),
    Intent.STAFF_EXIT: QT_TRANSLATE_NOOP("kiosk", "Close"),
    Intent.VISUAL_CONFIRMED: QT_TRANSLATE_NOOP("kiosk", "Same person: confirm"),
    Intent.VISUAL_REJECTED: QT_TRANSLATE_NOOP("kiosk", "Not the same person"),
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

# Labels used by the ui chrome (language bar, self-test rows, counts).
UI_LABELS: dict[str, str] = {
    "reader": QT_TRANSLATE_NOOP("kiosk", "Card reader"),
    "card_face_camera": QT_TRANSLATE_NOOP("kiosk", "Card-face camera"),
    "camera": QT_TRANSLATE_NOOP("kiosk", "Camera"),
    "backend": QT_TRANSLATE_NOOP("kiosk", "Verification service"),
    "outbox": QT_TRANSLATE_NOOP("kiosk", "Outbox"),
    "version": QT_TRANSLATE_NOOP("kiosk", "Version"),
    "last_errors": QT_TRANSLATE_NOOP("kiosk", "Last errors"),
    "counts": QT_TRANSLATE_NOOP("kiosk", "Today"),
    "face": QT_TRANSLATE_NOOP("kiosk", "Face"),
    "pin": QT_TRANSLATE_NOOP("kiosk", "PIN"),
    "visual": QT_TRANSLATE_NOOP("kiosk", "Visual check"),
    "sound_on": QT_TRANSLATE_NOOP("kiosk", "Sound on"),
    "sound_off": QT_TRANSLATE_NOOP("kiosk", "Sound off"),
    "card_left": NOTICES["card_left"],
    "staff_mode": QT_TRANSLATE_NOOP("kiosk", "Staff"),
}
