"""JPKI user-authentication certificate checks: chain, validity with the 3-month grace, CRL revocation.

J-LIS keeps several root generations per certificate type, all with one DN, and a card issued under an
older root still chains to it; so every configured root whose name (and key identifier, when the
certificate names one) fits is tried. Each way to fail has its own error code, because the kiosk and
staff need to tell "renew your certificate" apart from "this card is not genuine".
"""

from __future__ import annotations

import calendar
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.x509.oid import NameOID

from verifier.errors import Refused

GRACE_MONTHS = 3
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckedCertificate:
    identifier: str  # subject CN: the opaque id the registry is keyed on
    serial: int
    not_after: datetime
    status: str  # "valid" | "grace" (expired at most GRACE_MONTHS ago: eligibility only)
    public_key: rsa.RSAPublicKey
    phone: bool = False  # chained to a smartphone root (スマホ用電子証明書), not to the card's

    def verify_card_signature(self, signature: bytes, challenge: bytes) -> bool:
        """The card signs DigestInfo(SHA-256(challenge)) with PKCS#1 v1.5 padding."""
        try:
            self.public_key.verify(signature, challenge, padding.PKCS1v15(), SHA256())
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class _Chained:
    """A certificate that verified under `root`, with what every later check reads from them, taken once
    (the root's fingerprint keys the CRLs and the phone roots; key and CN are judged in `check`)."""

    cert: x509.Certificate
    root: x509.Certificate
    root_fingerprint: bytes
    public_key: object
    common_names: tuple[str, ...]


class TrustStore:
    """Roots of every generation plus their CRLs. Chain results are cached per certificate (by hash)."""

    def __init__(
        self, roots: Iterable[x509.Certificate], crls: Iterable[x509.CertificateRevocationList] = (),
        *, require_crl: bool = True, phone_roots: Iterable[x509.Certificate] = (),
    ) -> None:
        phone = tuple(phone_roots)
        self.roots = (*tuple(roots), *phone)
        self._phone_roots = frozenset(_fingerprint(r) for r in phone)
        self.require_crl = require_crl
        self._crls: dict[bytes, x509.CertificateRevocationList] = {}
        self.add_crls(crls)
        self._cache: OrderedDict[bytes, _Chained] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._crl_files: tuple[Path, ...] = ()
        self._crl_stamps: tuple[float, ...] = ()
        self.crl_refresh_s = 60.0
        self._next_refresh = 0.0

    @classmethod
    def from_files(cls, roots: Iterable[Path], crls: Iterable[Path] = (), *, require_crl: bool = True,
                   phone_roots: Iterable[Path] = ()) -> TrustStore:
        """Roots and CRL files; the CRL files are read again when they change (checked every `crl_refresh_s`)."""
        crl_files = tuple(crls)
        store = cls([_load_cert(p.read_bytes()) for p in roots], [_load_crl(p.read_bytes()) for p in crl_files],
                    require_crl=require_crl, phone_roots=[_load_cert(p.read_bytes()) for p in phone_roots])
        store._crl_files = crl_files
        store._crl_stamps = tuple(p.stat().st_mtime for p in crl_files)
        return store

    def add_crls(self, crls: Iterable[x509.CertificateRevocationList]) -> None:
        """Take each CRL whose signature verifies under a configured root (replacing that root's older one)."""
        for crl in crls:
            for root in self.roots:
                if crl.issuer == root.subject and crl.is_signature_valid(root.public_key()):  # type: ignore[arg-type]
                    current = self._crls.get(_fingerprint(root))
                    if current is None or crl.last_update_utc >= current.last_update_utc:
                        self._crls[_fingerprint(root)] = crl

    def _refresh_crls(self) -> None:
        if not self._crl_files or time.monotonic() < self._next_refresh:
            return
        self._next_refresh = time.monotonic() + self.crl_refresh_s
        try:
            stamps = tuple(p.stat().st_mtime for p in self._crl_files)
            if stamps != self._crl_stamps:
                self.add_crls([_load_crl(p.read_bytes()) for p in self._crl_files])
                self._crl_stamps = stamps
        except (OSError, ValueError):
            log.warning("CRL files could not be read again; keeping the ones loaded")

    def check(self, der: bytes, now: datetime | None = None, grace_months: int = GRACE_MONTHS, *,
              phone: bool = False) -> CheckedCertificate:
        """`phone`: the certificate must come from a smartphone root, and it has no grace (it lapses with the
        card's certificate); otherwise it must come from a card root."""
        now = now or datetime.now(UTC)
        self._refresh_crls()
        chained = self._chain(der)
        cert = chained.cert
        if (chained.root_fingerprint in self._phone_roots) != phone:
            raise Refused("certificate_wrong_carrier", "phone method with a card certificate, or the reverse")
        if phone and now > cert.not_valid_after_utc:
            raise Refused("phone_certificate_expired", "the phone's certificate expired; a phone has no grace")
        if now < cert.not_valid_before_utc:
            raise Refused("certificate_not_yet_valid", "the certificate is not valid yet")
        status = "valid"
        if now > cert.not_valid_after_utc:
            if now > add_months(cert.not_valid_after_utc, grace_months):
                raise Refused("certificate_expired", f"the certificate expired more than {grace_months} months ago")
            status = "grace"
        crl = self._crls.get(chained.root_fingerprint)
        if crl is None:
            if self.require_crl:
                raise Refused("certificate_revocation_unknown", "no CRL for the issuing root")
        elif crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None:
            raise Refused("certificate_revoked", "the certificate is revoked")
        key = chained.public_key
        if not isinstance(key, rsa.RSAPublicKey):
            raise Refused("certificate_malformed", "not an RSA certificate")
        if not chained.common_names:
            raise Refused("certificate_malformed", "no subject CN")
        return CheckedCertificate(chained.common_names[0], cert.serial_number, cert.not_valid_after_utc, status, key,
                                  phone)

    def _chain(self, der: bytes) -> _Chained:
        digest = hashlib.sha256(der).digest()
        with self._cache_lock:
            hit = self._cache.get(digest)
            if hit is not None:
                self._cache.move_to_end(digest)
                return hit
        try:
            cert = x509.load_der_x509_certificate(der)
        except ValueError as exc:
            raise Refused("certificate_malformed", "the certificate cannot be parsed") from exc
        candidates = [r for r in self.roots if r.subject == cert.issuer and _key_id_fits(cert, r)]
        if not candidates:
            raise Refused("certificate_unknown_root", "the certificate does not come from a configured root")
        for root in candidates:
            try:
                cert.verify_directly_issued_by(root)
            except (InvalidSignature, ValueError, TypeError):
                continue
            chained = _Chained(cert, root, _fingerprint(root), cert.public_key(),
                               tuple(str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)))
            with self._cache_lock:
                self._cache[digest] = chained
                if len(self._cache) > 4096:
                    self._cache.popitem(last=False)
            return chained
        raise Refused("certificate_signature_invalid", "the certificate's signature does not verify (tampered?)")


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _key_id_fits(cert: x509.Certificate, root: x509.Certificate) -> bool:
    """When both sides carry key identifiers they must agree; otherwise the name decides."""
    try:
        aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
        ski = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except x509.ExtensionNotFound:
        return True
    return aki is None or aki == ski


def _fingerprint(cert: x509.Certificate) -> bytes:
    return cert.fingerprint(SHA256())


def _load_cert(data: bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(data) if data.lstrip().startswith(b"-----") else \
        x509.load_der_x509_certificate(data)


def _load_crl(data: bytes) -> x509.CertificateRevocationList:
    return x509.load_pem_x509_crl(data) if data.lstrip().startswith(b"-----") else x509.load_der_x509_crl(data)
