"""Domain errors: everything a person in front of the kiosk can be told about.

Drivers translate foreign exceptions (pyscard, OpenCV, requests, …) into these at their edge; the core
and the ui never see a foreign exception type. Every class carries a stable `code` (for logs, results and
the ui's message table, kiosk.screen_texts.ERROR_TEXTS, which says it calmly in the patient's language).
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Why something did not work, as logs, results, the flow and the text table name it. The flow's own
    reasons (a timeout, a cancel, a face that did not match) sit beside the errors' codes: one vocabulary."""

    KIOSK_ERROR = "kiosk_error"
    CANCELLED = "cancelled"
    CARD_ERROR = "card_error"
    NO_READER = "no_reader"
    NO_CARD = "no_card"
    CARD_REMOVED = "card_removed"
    UNSUPPORTED_CARD = "unsupported_card"
    MALFORMED_RESPONSE = "malformed_response"
    CARD_COMMAND_FAILED = "card_command_failed"
    SECURITY_STATUS_NOT_SATISFIED = "security_status_not_satisfied"
    PIN_WRONG = "pin_wrong"
    PIN_BLOCKED = "pin_blocked"
    PIN_NOT_SET = "pin_not_set"
    VERIFICATION_B_WRONG = "verification_b_wrong"
    VERIFICATION_B_BLOCKED = "verification_b_blocked"
    CAMERA_LOST = "camera_lost"
    CARD_FACE_UNREADABLE = "card_face_unreadable"
    NO_FACE_IN_CHIP_PHOTO = "no_face_in_chip_photo"
    BACKEND_UNAVAILABLE = "backend_unavailable"
    CARD_TIMEOUT = "card_timeout"
    CARD_NOT_AUTHENTIC = "card_not_authentic"
    OUTBOX_ERROR = "outbox_error"
    OUT_OF_SERVICE = "out_of_service"
    BACKEND_REJECTED = "backend_rejected"
    CARD_REVOKED = "card_revoked"  # the verifier says, at card read, that the card's certificate is revoked
    CONFIG_ERROR = "config_error"
    PHONE_CERTIFICATE_EXPIRED = "phone_certificate_expired"
    PHONE_ON_CARD_READER = "phone_on_card_reader"
    CARD_ON_PHONE_READER = "card_on_phone_reader"
    PHONE_REMOVED = "phone_removed"
    # reasons the flow decides on its own (no exception behind them)
    TIMEOUT = "timeout"
    TIMED_OUT = "timed_out"
    VISUAL_REJECTED = "visual_rejected"
    VERIFICATION_B_LOW = "verification_b_low"
    FACE_NO_MATCH = "face_no_match"
    FACE_LIVENESS = "face_liveness"
    PIN_FORMAT = "pin_format"
    BACKEND_TIMEOUT = "backend_timeout"


class KioskError(Exception):
    """Base of every error the kiosk can explain to a person."""

    code: ErrorCode = ErrorCode.KIOSK_ERROR

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code.value)
        self.detail = detail

    def message(self) -> str:
        """The patient text for this error, Japanese first with English beside it (for the operator CLIs)."""
        from kiosk.screen_texts import error_message  # the text table imports the flow types, which import us

        return error_message(self.code)


class Cancelled(KioskError):
    code = ErrorCode.CANCELLED


# --- card -------------------------------------------------------------------------------------------


class CardError(KioskError):
    code = ErrorCode.CARD_ERROR


class NoReader(CardError):
    code = ErrorCode.NO_READER


class NoCard(CardError):
    code = ErrorCode.NO_CARD


class CardRemoved(CardError):
    code = ErrorCode.CARD_REMOVED


class UnsupportedCard(CardError):
    code = ErrorCode.UNSUPPORTED_CARD


class PhoneCertificateExpired(CardError):
    """A phone's スマホ用電子証明書 expired: unlike the card there is no 3-month grace (it lapses with the card's)."""

    code = ErrorCode.PHONE_CERTIFICATE_EXPIRED


class PhoneOnCardReader(CardError):
    """A phone answered on the card reader (where the protocol allows, the kiosk reads it anyway)."""

    code = ErrorCode.PHONE_ON_CARD_READER


class CardOnPhoneReader(CardError):
    code = ErrorCode.CARD_ON_PHONE_READER


class MalformedResponse(CardError):
    code = ErrorCode.MALFORMED_RESPONSE


class CardTimeout(CardError):
    """The card (or the reader) did not answer one command within its deadline."""

    code = ErrorCode.CARD_TIMEOUT


class CardNotAuthentic(CardError):
    """The 券面 record's issuer signature did not verify against any configured issuer key (or none is
    configured): its photo and attributes are not used for anything."""

    code = ErrorCode.CARD_NOT_AUTHENTIC


class CardCommandFailed(CardError):
    """A status word the protocol does not expect at this point."""

    code = ErrorCode.CARD_COMMAND_FAILED

    def __init__(self, sw: int, detail: str = "") -> None:
        super().__init__(detail or f"card answered SW {sw:04X}")
        self.sw = sw


class SecurityStatusNotSatisfied(CardCommandFailed):
    code = ErrorCode.SECURITY_STATUS_NOT_SATISFIED


class SecretWrong(CardError):
    """A secret (PIN, 照合番号) was wrong; `tries_left` more attempts remain before the card blocks it."""

    def __init__(self, tries_left: int, detail: str = "") -> None:
        super().__init__(detail or f"wrong, {tries_left} tries left")
        self.tries_left = tries_left


class SecretBlocked(CardError):
    """The secret's retry counter is used up; only the municipal office can reset it."""


class PinWrong(SecretWrong):
    code = ErrorCode.PIN_WRONG


class PinBlocked(SecretBlocked):
    code = ErrorCode.PIN_BLOCKED


class PinNotSet(CardError):
    code = ErrorCode.PIN_NOT_SET


class VerificationBWrong(SecretWrong):
    code = ErrorCode.VERIFICATION_B_WRONG


class VerificationBBlocked(SecretBlocked):
    code = ErrorCode.VERIFICATION_B_BLOCKED


# --- camera, card face and face matching ----------------------------------------------------------------


class CameraLost(KioskError):
    code = ErrorCode.CAMERA_LOST


class CardFaceUnreadable(KioskError):
    code = ErrorCode.CARD_FACE_UNREADABLE


class NoFaceInChipPhoto(KioskError):
    code = ErrorCode.NO_FACE_IN_CHIP_PHOTO


# --- backend ----------------------------------------------------------------------------------------------


class BackendUnavailable(KioskError):
    code = ErrorCode.BACKEND_UNAVAILABLE


class OutboxError(KioskError):
    """The finished reception could not be written to the kiosk's durable outbox (disk full, damaged file)."""

    code = ErrorCode.OUTBOX_ERROR


class OutOfService(OutboxError):
    """Too little disk left to be sure a reception could be saved: no new reception is started."""

    code = ErrorCode.OUT_OF_SERVICE


class BackendRejected(KioskError):
    """The verification service refused the request with its own error code."""

    code = ErrorCode.BACKEND_REJECTED

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason


class CardRevoked(KioskError):
    """The verifier found the card's authentication certificate on the JPKI revocation list (失効)."""

    code = ErrorCode.CARD_REVOKED


class ConfigError(KioskError):
    code = ErrorCode.CONFIG_ERROR
