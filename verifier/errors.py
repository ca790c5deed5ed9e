"""Refusals: every way the verifier can turn a request down, each with its own stable error code.

The code is what the kiosk keeps in its outbox and staff read; the HTTP status only tells the client
whether trying again could help (4xx: never; the verifier does not use 5xx for a refusal).
"""

from __future__ import annotations

# code -> (HTTP status, what it means)
CODES: dict[str, tuple[int, str]] = {
    "kiosk_unknown": (401, "the X-Kiosk-Id is not an enrolled kiosk"),
    "device_key_not_enrolled": (401, "the result was signed with a key not enrolled for this kiosk"),
    "payload_tampered": (401, "the body does not match the kiosk's signature"),
    "client_certificate_mismatch": (403, "the TLS client certificate belongs to another kiosk"),
    "client_certificate_required": (403, "mutual TLS is on: a client certificate whose subject CN is the kiosk id "
                                         "is required"),
    "request_expired": (401, "the signed request's requested_at is outside the allowed window"),
    "request_replayed": (401, "this signed request (nonce) was already used"),
    "staff_login_required": (401, "sign in as staff first (/staff/login)"),
    "login_failed": (401, "unknown user or wrong password"),
    "csrf_invalid": (403, "the form's CSRF token is missing or wrong"),
    "rate_limited": (429, "too many requests; try again after Retry-After seconds"),
    "invalid_json": (400, "the body is not JSON"),
    "json_too_deep": (400, "the JSON is nested deeper than the verifier accepts"),
    "invalid_time": (400, "a date-time is not RFC 3339 with ASCII digits"),
    "invalid_request": (400, "the request is malformed"),
    "schema_invalid": (422, "the body does not follow reception-result-v1.json"),
    "kiosk_mismatch": (400, "the body names another kiosk than the signer"),
    "idempotency_key_mismatch": (400, "Idempotency-Key differs from transaction_id"),
    "idempotency_conflict": (409, "this transaction id was already used with a different body"),
    "certificate_malformed": (422, "the auth certificate cannot be parsed or is not an RSA auth certificate"),
    "certificate_unknown_root": (422, "the auth certificate does not come from a configured JPKI root"),
    "certificate_signature_invalid": (422, "the auth certificate's signature does not verify (tampered)"),
    "certificate_not_yet_valid": (422, "the auth certificate is not valid yet"),
    "certificate_expired": (422, "the auth certificate expired more than 3 months ago"),
    "phone_certificate_expired": (422, "the smartphone's certificate expired (no grace period for a phone)"),
    "certificate_wrong_carrier": (422, "a phone method with a card certificate, or the other way round"),
    "certificate_revoked": (422, "the auth certificate is on the CRL"),
    "certificate_revocation_unknown": (422, "no CRL is configured for the issuing root"),
    "challenge_unknown": (422, "the PIN-path challenge was not issued to this kiosk"),
    "challenge_mismatch": (422, "the challenge bytes differ from the ones issued"),
    "challenge_expired": (422, "the PIN-path challenge expired (no longer used: a late one is accepted, delayed)"),
    "challenge_reused": (422, "the PIN-path challenge was already used"),
    "card_signature_invalid": (422, "the card's signature over the challenge does not verify"),
    "proof_malformed": (422, "the PIN-path proof statement's fields are not in canonical form"),
    "proof_replayed": (422, "this kiosk's proof counter was already used by another result"),
    "proof_from_future": (422, "the proof was signed later than the verifier's clock allows (kiosk clock ahead)"),
    "proof_too_old": (422, "the proof (or challenge) is older than the verifier's policy accepts"),
    "method_not_allowed": (422, "the verifier's policy does not accept this identification method"),
    "face_model_not_allowed": (422, "the verifier's policy has no threshold for this face model"),
    "face_evidence_insufficient": (422, "the face distance is above the verifier's own threshold for the model, "
                                        "or liveness failed (or was required and not checked)"),
    "registration_requires_face_or_pin": (422, "保険証利用登録 needs the face or PIN path, not a visual check"),
    "payload_too_large": (413, "a reception result is never this large"),
    "not_found": (404, "no such resource"),
}


class Refused(Exception):
    def __init__(self, code: str, message: str = "", retry_after: float | None = None) -> None:
        if code not in CODES:
            raise ValueError(f"unknown refusal code {code}")
        super().__init__(message or CODES[code][1])
        self.code = code
        self.message = message or CODES[code][1]
        self.retry_after = retry_after

    @property
    def http_status(self) -> int:
        return CODES[self.code][0]

    def to_json(self) -> dict[str, str]:
        return {"error": self.code, "message": self.message}
