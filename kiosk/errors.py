"""Domain errors: everything a person in front of the kiosk can be told about.

Drivers translate foreign exceptions (pyscard, OpenCV, requests, …) into these at their edge; the core
and the ui never see a foreign exception type. Every class carries a stable `code` (for logs, results and
the ui's message table) and a calm Japanese message with its English beside it.
"""

from __future__ import annotations


class KioskError(Exception):
    """Base of every error the kiosk can explain to a person."""

    code = "kiosk_error"
    ja = "エラーが発生しました。職員にお声がけください。"
    en = "Something went wrong. Please ask a member of staff."

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.en)
        self.detail = detail

    def message(self) -> str:
        """Japanese first, English beside it."""
        return f"{self.ja} / {self.en}"


class Cancelled(KioskError):
    code = "cancelled"
    ja = "操作を中止しました。"
    en = "The operation was cancelled."


# --- card -------------------------------------------------------------------------------------------


class CardError(KioskError):
    code = "card_error"
    ja = "カードを読み取れませんでした。カードを置き直してください。"
    en = "The card could not be read. Please place it again."


class NoReader(CardError):
    code = "no_reader"
    ja = "カードリーダーが見つかりません。職員にお声がけください。"
    en = "No card reader was found. Please ask a member of staff."


class NoCard(CardError):
    code = "no_card"
    ja = "カードが置かれていません。マイナンバーカードを置いてください。"
    en = "No card is on the reader. Please place your My Number card."


class CardRemoved(CardError):
    code = "card_removed"
    ja = "カードが取り外されました。最初からやり直してください。"
    en = "The card was removed. Please start again."


class UnsupportedCard(CardError):
    code = "unsupported_card"
    ja = "このカードは使えません。マイナンバーカードを置いてください。"
    en = "This card cannot be used. Please place a My Number card."


class PhoneCertificateExpired(CardError):
    """A phone's スマホ用電子証明書 expired: unlike the card there is no 3-month grace (it lapses with the card's)."""

    code = "phone_certificate_expired"
    ja = "スマートフォンの電子証明書の有効期限が切れています。マイナンバーカードをお使いください。"
    en = "The certificate on your smartphone has expired. Please use your My Number card instead."


class PhoneOnCardReader(CardError):
    """A phone answered on the card reader (where the protocol allows, the kiosk reads it anyway)."""

    code = "phone_on_card_reader"
    ja = "スマートフォンはスマートフォン用の読み取り機にかざしてください。"
    en = "Please hold your smartphone over the smartphone reader."


class CardOnPhoneReader(CardError):
    code = "card_on_phone_reader"
    ja = "マイナンバーカードはカード読み取り機に置いてください。"
    en = "Please place your My Number card on the card reader."


class MalformedResponse(CardError):
    code = "malformed_response"
    ja = "カードから正しい応答がありませんでした。カードを置き直してください。"
    en = "The card gave an unexpected answer. Please place it again."


class CardCommandFailed(CardError):
    """A status word the protocol does not expect at this point."""

    code = "card_command_failed"

    def __init__(self, sw: int, detail: str = "") -> None:
        super().__init__(detail or f"card answered SW {sw:04X}")
        self.sw = sw


class SecurityStatusNotSatisfied(CardCommandFailed):
    code = "security_status_not_satisfied"


class SecretWrong(CardError):
    """A secret (PIN, 照合番号) was wrong; `tries_left` more attempts remain before the card blocks it."""

    def __init__(self, tries_left: int, detail: str = "") -> None:
        super().__init__(detail or f"wrong, {tries_left} tries left")
        self.tries_left = tries_left


class SecretBlocked(CardError):
    """The secret's retry counter is used up; only the municipal office can reset it."""


class PinWrong(SecretWrong):
    code = "pin_wrong"
    ja = "暗証番号が違います。"
    en = "The PIN is not correct."


class PinBlocked(SecretBlocked):
    code = "pin_blocked"
    ja = "暗証番号がロックされています。お住まいの市区町村の窓口で再設定してください。"
    en = "The PIN is locked. It can be reset at your municipal office."


class PinNotSet(CardError):
    code = "pin_not_set"
    ja = "このカードには暗証番号が設定されていません（顔認証マイナンバーカード）。顔認証をご利用ください。"
    en = "This card has no PIN (face-authentication card). Please use face recognition."


class VerificationBWrong(SecretWrong):
    code = "verification_b_wrong"
    ja = "カード券面の読み取り結果が違いました。職員にお声がけください。"
    en = "The card face was read incorrectly. Please ask a member of staff."


class VerificationBBlocked(SecretBlocked):
    code = "verification_b_blocked"
    ja = "このカードの顔写真は読み出せません。暗証番号か職員による確認をご利用ください。"
    en = "The photo on this card cannot be read. Please use your PIN or ask staff to check."


# --- camera, card face and face matching ----------------------------------------------------------------


class CameraLost(KioskError):
    code = "camera_lost"
    ja = "カメラが使えません。職員にお声がけください。"
    en = "The camera is not available. Please ask a member of staff."


class CardFaceUnreadable(KioskError):
    code = "card_face_unreadable"
    ja = "カードの表面を読み取れませんでした。カードを表向きに置き直してください。"
    en = "The front of the card could not be read. Please place it face up again."


class NoFaceInChipPhoto(KioskError):
    code = "no_face_in_chip_photo"
    ja = "カードの顔写真を照合に使えません。暗証番号か職員による確認をご利用ください。"
    en = "The card's photo cannot be used for matching. Please use your PIN or ask staff to check."


# --- backend ----------------------------------------------------------------------------------------------


class BackendUnavailable(KioskError):
    code = "backend_unavailable"
    ja = "ただいま確認サービスにつながりません。受付内容は保存され、後で送信されます。"
    en = "The verification service cannot be reached. Your reception is saved and will be sent later."


class OutboxError(KioskError):
    """The finished reception could not be written to the kiosk's durable outbox (disk full, damaged file)."""

    code = "outbox_error"
    ja = "受付内容を保存できませんでした。職員にお声がけください。"
    en = "The reception could not be saved. Please ask a member of staff."


class BackendRejected(KioskError):
    """The verification service refused the request with its own error code."""

    code = "backend_rejected"
    ja = "確認できませんでした。職員にお声がけください。"
    en = "This could not be confirmed. Please ask a member of staff."

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason


class ConfigError(KioskError):
    code = "config_error"
    ja = "設定に誤りがあります。職員にお声がけください。"
    en = "The kiosk is not configured correctly. Please ask a member of staff."
