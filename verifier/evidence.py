"""Judging a result's identification evidence by the verifier's own policy (never the kiosk's figures).

Face: the policy's largest distance for the named model, and liveness. PIN: the card's signature either over
the kiosk's own proof statement (needs no live challenge; replay refused by (kiosk, counter); a late one is
accepted and flagged delayed) or, in the older form, over a challenge this verifier issued (also accepted late
now: the challenge is single-use and bound to the kiosk, so its age is only a delay, not a reason to lose it).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from verifier.errors import Refused
from verifier.pki import CheckedCertificate
from verifier.policy import Policy
from verifier.proof import parse_signed_at, statement_bytes
from verifier.store import Store, parse_utc, utc_text


@dataclass(frozen=True)
class Timing:
    signed_at: datetime | None  # when the card signed (PIN path), by the kiosk's or the verifier's clock
    delay_s: int  # arrival minus signing (or minus the kiosk's completed_at without a card signature)
    delayed: bool
    clock_suspect: bool = False  # a higher counter signed clearly earlier than a lower one: kiosk clock set back


def check_face(policy: Policy, evidence: dict[str, Any]) -> None:
    limit = policy.face_max_distance.get(evidence["model"])
    if limit is None:
        raise Refused("face_model_not_allowed", f"no threshold configured for model {evidence['model'][:64]!r}")
    liveness = evidence["liveness"]
    if liveness == "failed" or (policy.face_require_liveness and liveness != "passed"):
        raise Refused("face_evidence_insufficient", f"liveness {liveness}")
    if evidence["distance"] > limit:
        raise Refused("face_evidence_insufficient")


def check_pin(store: Store, policy: Policy, conn: Connection, result: dict[str, Any], cert: CheckedCertificate,
              now: datetime) -> Timing:
    evidence = result["evidence"]
    if "proof_version" in evidence:
        return _check_proof(store, policy, conn, result, cert, now)
    return _check_challenge(store, policy, conn, result, cert, now)


def _check_proof(store: Store, policy: Policy, conn: Connection, result: dict[str, Any], cert: CheckedCertificate,
                 now: datetime) -> Timing:
    evidence, kiosk_id, tx = result["evidence"], result["kiosk_id"], result["transaction_id"]
    signed_at = parse_signed_at(evidence["signed_at"])
    if signed_at > now + policy.clock_skew:
        raise Refused("proof_from_future", f"signed {int((signed_at - now).total_seconds())} s ahead of the verifier")
    if now - signed_at > policy.max_age:
        raise Refused("proof_too_old", f"signed {(now - signed_at).days} days ago")
    statement = statement_bytes(kiosk_id, evidence["counter"], evidence["signed_at"], tx)
    if not cert.verify_card_signature(b64(evidence["signature"], "card_signature_invalid"), statement):
        raise Refused("card_signature_invalid", "the card's signature does not cover this result's statement")
    owner = store.proof_owner(conn, kiosk_id, evidence["counter"])
    if owner is not None and owner != tx:
        raise Refused("proof_replayed")
    latest = store.latest_signed_before(conn, kiosk_id, evidence["counter"])
    suspect = latest is not None and parse_utc(latest) > signed_at + policy.clock_skew
    store.add_proof(conn, kiosk_id, evidence["counter"], tx, utc_text(signed_at))
    return _timing(policy, signed_at, now, suspect)


def _check_challenge(store: Store, policy: Policy, conn: Connection, result: dict[str, Any],
                     cert: CheckedCertificate, now: datetime) -> Timing:
    evidence = result["evidence"]
    issued = store.challenge(conn, evidence["challenge_id"])
    if issued is None or issued["kiosk_id"] != result["kiosk_id"]:
        raise Refused("challenge_unknown")
    challenge = b64(evidence["challenge"], "challenge_mismatch")
    if challenge != bytes(issued["value"]):
        raise Refused("challenge_mismatch")
    if issued["used_by"] is not None:
        raise Refused("challenge_reused")
    issued_at = parse_utc(issued["issued_at"])
    if now - issued_at > policy.max_age:
        raise Refused("proof_too_old", "the challenge is older than the policy accepts")
    if not cert.verify_card_signature(b64(evidence["signature"], "card_signature_invalid"), challenge):
        raise Refused("card_signature_invalid")
    if not store.use_challenge(conn, evidence["challenge_id"], result["transaction_id"]):
        raise Refused("challenge_reused")
    return _timing(policy, issued_at, now)


def unsigned_timing(policy: Policy, completed_at: datetime, now: datetime) -> Timing:
    """Face and visual results carry only the kiosk's word for their time: recorded, flagged, never refused."""
    delay = max(0, int((now - completed_at).total_seconds()))
    return Timing(None, delay, delay > policy.delayed_after.total_seconds())


def _timing(policy: Policy, signed_at: datetime, now: datetime, suspect: bool = False) -> Timing:
    delay = max(0, int((now - signed_at).total_seconds()))
    return Timing(signed_at, delay, delay > policy.delayed_after.total_seconds(), suspect)


def b64(text: str, code: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Refused(code) from exc
