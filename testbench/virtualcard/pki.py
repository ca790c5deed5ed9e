"""A test JPKI: roots for user authentication and for signing in several generations, a 券面 issuer key,
end-entity certificates for virtual cards, and CRLs.

Every name carries O=JPKI-TEST, as J-LIS's own test cards do; nothing here chains to the real J-LIS roots.
All generations of one kind share a DN (as J-LIS's do) and differ by key, so chains are told apart by the
authority key identifier.
"""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

AUTH, SIGN = "auth", "sign"
OU_KIND = {AUTH: "JPKI for user authentication", SIGN: "JPKI for digital signature"}
OU_AGENCY = "Japan Agency for Local Authority Information Systems"
# Root generations: overlapping ten-year lifetimes, like J-LIS's authca01–03 / signca01–03.
GENERATIONS = ((1, date(2014, 10, 20), date(2034, 10, 19)), (2, date(2019, 7, 16), date(2039, 7, 15)),
               (3, date(2024, 1, 10), date(2044, 1, 9)))
# subjectAltName otherName OIDs for the signing certificate's 4 attributes (a private test arc).
OID_NAME, OID_ADDRESS, OID_BIRTH, OID_SEX = (x509.ObjectIdentifier(f"1.3.6.1.4.1.55555.1.{i}") for i in (1, 2, 3, 4))
JST_END_OF_DAY = time(14, 59, 59)  # 23:59:59 JST in UTC


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def root_name(kind: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "JPKI-TEST"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, OU_KIND[kind]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, OU_AGENCY),
    ])


def opaque_identifier() -> str:
    """The auth certificate carries no personal attribute, only an opaque identifier (about 23 chars)."""
    alphabet = string.ascii_uppercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(23))


@dataclass(frozen=True)
class Authority:
    kind: str
    generation: int
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey = field(repr=False)

    def issue(self, builder: x509.CertificateBuilder) -> x509.Certificate:
        ski = x509.SubjectKeyIdentifier.from_public_key(self.key.public_key())
        builder = builder.issuer_name(self.certificate.subject).add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        return builder.sign(self.key, hashes.SHA256())


@dataclass(frozen=True)
class TestPki:
    __test__ = False  # not a pytest test class, despite its name

    directory: Path
    authorities: tuple[Authority, ...]
    issuer_key: rsa.RSAPrivateKey = field(repr=False)  # signs the 券面 APs' records

    def authority(self, kind: str, generation: int | None = None) -> Authority:
        matching = [a for a in self.authorities if a.kind == kind]
        if generation is None:
            return max(matching, key=lambda a: a.generation)
        return next(a for a in matching if a.generation == generation)

    def roots(self, kind: str) -> list[x509.Certificate]:
        return [a.certificate for a in self.authorities if a.kind == kind]

    def revoke(self, certificate: x509.Certificate, when: datetime) -> None:
        """Add a certificate to its issuer's CRL (rewritten at once)."""
        revoked = self._revoked()
        revoked.append({"serial": certificate.serial_number, "aki": _aki_hex(certificate), "when": when.isoformat()})
        (self.directory / "revoked.json").write_text(json.dumps(revoked, indent=1))
        self.write_crls(when)

    def _revoked(self) -> list[dict[str, object]]:
        path = self.directory / "revoked.json"
        return json.loads(path.read_text()) if path.exists() else []

    def write_crls(self, now: datetime) -> None:
        revoked = self._revoked()
        for authority in self.authorities:
            ski = x509.SubjectKeyIdentifier.from_public_key(authority.key.public_key()).digest.hex()
            builder = (x509.CertificateRevocationListBuilder().issuer_name(authority.certificate.subject)
                       .last_update(now - timedelta(hours=1)).next_update(now + timedelta(days=2))
                       .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                           authority.key.public_key()), critical=False))
            for entry in revoked:
                if entry["aki"] == ski:
                    builder = builder.add_revoked_certificate(
                        x509.RevokedCertificateBuilder().serial_number(int(str(entry["serial"])))
                        .revocation_date(datetime.fromisoformat(str(entry["when"]))).build())
            crl = builder.sign(authority.key, hashes.SHA256())
            path = self.directory / f"{authority.kind}_crl_g{authority.generation}.der"
            path.write_bytes(crl.public_bytes(serialization.Encoding.DER))

    def issue_auth_certificate(self, key: rsa.RSAPrivateKey, identifier: str, not_before: datetime,
                               not_after: datetime, generation: int | None = None) -> x509.Certificate:
        subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                             x509.NameAttribute(NameOID.COMMON_NAME, identifier)])
        builder = _end_entity(subject, key, not_before, not_after).add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
        return self.authority(AUTH, generation).issue(builder)

    def issue_sign_certificate(self, key: rsa.RSAPrivateKey, attributes: dict[str, str], locality: str,
                               not_before: datetime, not_after: datetime) -> x509.Certificate:
        subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                             x509.NameAttribute(NameOID.LOCALITY_NAME, locality),
                             x509.NameAttribute(NameOID.COMMON_NAME, secrets.token_hex(12).upper())])
        alt = x509.SubjectAlternativeName([
            x509.OtherName(oid, _utf8_string(attributes[name]))
            for oid, name in ((OID_NAME, "name"), (OID_ADDRESS, "address"), (OID_BIRTH, "birth_date"),
                              (OID_SEX, "sex"))])
        builder = (_end_entity(subject, key, not_before, not_after)
                   .add_extension(alt, critical=False)
                   .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                                  critical=True))
        return self.authority(SIGN).issue(builder)


def _end_entity(subject: x509.Name, key: rsa.RSAPrivateKey, not_before: datetime,
                not_after: datetime) -> x509.CertificateBuilder:
    return (x509.CertificateBuilder().subject_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))


def _utf8_string(text: str) -> bytes:
    raw = text.encode("utf-8")
    if len(raw) < 0x80:
        return b"\x0c" + bytes((len(raw),)) + raw
    length = len(raw).to_bytes((len(raw).bit_length() + 7) // 8, "big")
    return b"\x0c" + bytes((0x80 | len(length),)) + length + raw


def _aki_hex(certificate: x509.Certificate) -> str:
    aki = certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    return (aki.key_identifier or b"").hex()


def write_key(path: Path, key: rsa.RSAPrivateKey) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def read_key(path: Path) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def make_pki(directory: Path) -> TestPki:
    """Create the test PKI in `directory` (roots, keys, empty CRLs), or load it if it is there."""
    if (directory / "issuer_key.pem").exists():
        return load_pki(directory)
    directory.mkdir(parents=True, exist_ok=True)
    authorities = []
    for kind in (AUTH, SIGN):
        for generation, start, end in GENERATIONS:
            key = new_key()
            ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
            cert = (x509.CertificateBuilder().subject_name(root_name(kind)).issuer_name(root_name(kind))
                    .public_key(key.public_key()).serial_number(generation)
                    .not_valid_before(datetime.combine(start, time(), UTC))
                    .not_valid_after(datetime.combine(end, JST_END_OF_DAY, UTC))
                    .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                    .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                                   critical=True)
                    .add_extension(ski, critical=False)
                    .sign(key, hashes.SHA256()))
            (directory / f"{kind}_root_g{generation}.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
            write_key(directory / f"{kind}_root_g{generation}.key.pem", key)
            authorities.append(Authority(kind, generation, cert, key))
    issuer_key = new_key()
    write_key(directory / "issuer_key.pem", issuer_key)
    (directory / "issuer_public.pem").write_bytes(issuer_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    pki = TestPki(directory, tuple(authorities), issuer_key)
    pki.write_crls(datetime.now(UTC))
    return pki


def load_pki(directory: Path) -> TestPki:
    authorities = []
    for kind in (AUTH, SIGN):
        for generation, _, _ in GENERATIONS:
            cert = x509.load_der_x509_certificate((directory / f"{kind}_root_g{generation}.der").read_bytes())
            authorities.append(Authority(kind, generation, cert,
                                         read_key(directory / f"{kind}_root_g{generation}.key.pem")))
    return TestPki(directory, tuple(authorities), read_key(directory / "issuer_key.pem"))
