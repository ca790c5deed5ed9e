"""X.509 certificates read from the JPKI AP, as the kiosk's CertificateInfo."""

from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import NameOID

from kiosk.domain import CertificateInfo
from kiosk.errors import MalformedResponse


def certificate_info(der: bytes) -> CertificateInfo:
    """Parse everything the kiosk uses inside the try: `cryptography` parses names and validity lazily,
    so a certificate whose outer DER is fine can still fail on `subject` or `not_valid_after_utc`."""
    try:
        cert = x509.load_der_x509_certificate(der)
        common_names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return CertificateInfo(
            der=der,
            subject_id=str(common_names[0].value) if common_names else cert.subject.rfc4514_string(),
            serial=cert.serial_number,
            issuer=cert.issuer.rfc4514_string(),
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
        )
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise MalformedResponse(f"the certificate on the card cannot be parsed ({type(exc).__name__})") from exc
