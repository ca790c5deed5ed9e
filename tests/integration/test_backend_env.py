"""Shared set-up for the backend/verifier tests (imported by them; holds no tests itself).

A private PostgreSQL cluster (initdb + pg_ctl as the postgres user, unix socket in a tmp dir), the test
JPKI from testbench.virtualcard.pki with cards in every certificate state, a real verifier served by uvicorn
on loopback, and builders for signed reception results.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from drivers.backend.signing import DeviceKey
from kiosk.reception import (
    Choice,
    ConsentItem,
    ConsentRecord,
    FaceEvidence,
    Liveness,
    Method,
    PinEvidence,
    Prescription,
    ReceptionResult,
    new_transaction_id,
)
from testbench.virtualcard.pki import TestPki, make_pki, new_key, opaque_identifier
from verifier.server import ServerThread, build_verifier, trust_from_pki_dir, uvicorn_config
from verifier.service import Verifier

pytestmark = pytest.mark.server  # a real server process or database on loopback

PG_BIN = Path("/usr/lib/postgresql/15/bin")
TEXT_SHA = "5" * 64


@dataclass(frozen=True)
class Card:
    identifier: str
    cert_der: bytes
    key: rsa.RSAPrivateKey

    def sign(self, challenge: bytes) -> bytes:
        """What the card does for the PIN path: PKCS#1 v1.5 over DigestInfo(SHA-256(challenge))."""
        return self.key.sign(challenge, padding.PKCS1v15(), hashes.SHA256())


def issue_card(pki: TestPki, valid_from_days: int, valid_to_days: int, generation: int | None = None) -> Card:
    now = datetime.now(UTC)
    key = new_key()
    identifier = opaque_identifier()
    cert = pki.issue_auth_certificate(key, identifier, now + timedelta(days=valid_from_days),
                                      now + timedelta(days=valid_to_days), generation)
    return Card(identifier, cert.public_bytes(serialization.Encoding.DER), key)


@dataclass(frozen=True)
class Cards:
    ordinary: Card
    old_generation: Card
    unregistered: Card
    grace: Card
    expired: Card
    not_yet_valid: Card
    revoked: Card
    foreign_root: Card

    def tampered(self) -> bytes:
        der = bytearray(self.ordinary.cert_der)
        at = bytes(der).index(self.ordinary.identifier.encode())
        der[at] = ord("Z") if der[at] != ord("Z") else ord("Y")
        return bytes(der)


class PostgresCluster:
    """A throw-away PostgreSQL 15 cluster on a unix socket; one database per test."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.data = base / "data"
        self.port = 5400 + os.getpid() % 500

    def start(self) -> None:
        shutil.chown(self.base, "postgres")
        run = ["runuser", "-u", "postgres", "--"]
        subprocess.run([*run, str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                        "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
        subprocess.run([*run, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-l", str(self.base / "log"),
                        "-o", f"-k {self.base} -c listen_addresses='' -p {self.port} -c fsync=off "
                              "-c synchronous_commit=off -c max_connections=200", "start"],
                       check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.data),
                        "-m", "immediate", "stop"], check=False, capture_output=True)

    def new_database(self) -> str:
        import psycopg

        name = "v_" + uuid.uuid4().hex[:12]
        with psycopg.connect(host=str(self.base), port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@/{name}?host={self.base}&port={self.port}"


@pytest.fixture(scope="session", name="postgres")
def postgres_fixture() -> Iterator[PostgresCluster]:
    base = Path(tempfile.mkdtemp(prefix="myna-pg-"))
    cluster = PostgresCluster(base)
    cluster.start()  # no skip: if PostgreSQL cannot start, the tests that need it fail here
    yield cluster
    cluster.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session", name="test_pki")
def jpki_fixture(tmp_path_factory: pytest.TempPathFactory) -> TestPki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session", name="cards")
def cards_fixture(test_pki: TestPki, tmp_path_factory: pytest.TempPathFactory) -> Cards:
    revoked = issue_card(test_pki, -200, 900)
    test_pki.revoke(x509.load_der_x509_certificate(revoked.cert_der), datetime.now(UTC) - timedelta(days=2))
    rogue = make_pki(tmp_path_factory.mktemp("rogue-pki"))
    return Cards(
        ordinary=issue_card(test_pki, -300, 1200),
        old_generation=issue_card(test_pki, -2000, 300, generation=1),
        unregistered=issue_card(test_pki, -30, 1500),
        grace=issue_card(test_pki, -1800, -30),
        expired=issue_card(test_pki, -1900, -120),
        not_yet_valid=issue_card(test_pki, 5, 1500),
        revoked=revoked,
        foreign_root=issue_card(rogue, -100, 1000),
    )


@pytest.fixture(params=["sqlite", "postgresql"], name="db_url")
def db_url_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'verifier.db'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.new_database()


@dataclass
class Env:
    verifier: Verifier
    server: ServerThread
    url: str
    kiosk_id: str
    key: DeviceKey
    face_dir: Path
    cards: Cards


def start_env(db_url: str, pki: TestPki, cards: Cards, face_dir: Path, xml_encoding: str = "utf-8") -> Env:
    verifier = build_verifier(db_url, trust_from_pki_dir(pki.directory), face_dir, xml_encoding)
    key = DeviceKey.generate()
    verifier.enroll("kiosk-1", key.public_pem())
    for card in (cards.ordinary, cards.old_generation, cards.grace):
        verifier.store.put_qualification(card.identifier, True, qualification(card.identifier))
    verifier.store.put_qualification(cards.unregistered.identifier, False, qualification(cards.unregistered.identifier))
    server = ServerThread(uvicorn_config(verifier, "127.0.0.1", 0))
    url = server.start()
    return Env(verifier, server, url, "kiosk-1", key, face_dir, cards)


@pytest.fixture(name="env")
def env_fixture(db_url: str, test_pki: TestPki, cards: Cards, tmp_path: Path) -> Iterator[Env]:
    environment = start_env(db_url, test_pki, cards, tmp_path / "face")
    yield environment
    environment.server.stop()
    environment.verifier.store.engine.dispose()


def qualification(identifier: str) -> dict[str, object]:
    from verifier.seed import qualification_for

    holder = {"name": "佐藤\u3000花子", "name_kana": "サトウ ハナコ", "birth_date": "1980-02-17", "sex": "2"}
    return qualification_for(identifier, holder, datetime.now(UTC).date())


def consents(at: datetime) -> tuple[ConsentRecord, ...]:
    return (
        ConsentRecord(ConsentItem.PHARMACISTS, Choice.CONSENT, "consent-pharmacists", "2024.10", TEXT_SHA, at),
        ConsentRecord(ConsentItem.DIAGNOSIS, Choice.CONSENT, "consent-diagnosis", "2024.10", TEXT_SHA, at),
        ConsentRecord(ConsentItem.OPERATION, Choice.DECLINE, "consent-operation", "2024.10", TEXT_SHA, at),
        ConsentRecord(ConsentItem.SPECIFIC_HEALTH_CHECKUPS, Choice.CONSENT, "consent-checkups", "2024.10",
                      TEXT_SHA, at),
    )


def face_result(kiosk_id: str, card_der: bytes, *, transaction_id: str | None = None,
                distance: float = 0.38, registration: bool = False) -> ReceptionResult:
    now = datetime.now(UTC)
    return ReceptionResult(
        kiosk_id=kiosk_id, transaction_id=transaction_id or new_transaction_id(),
        started_at=now - timedelta(seconds=31), completed_at=now, method=Method.FACE,
        evidence=FaceEvidence(distance, {"accept": 0.45}, "dlib_face_recognition_resnet_model_v1", Liveness.PASSED),
        auth_certificate=card_der, consents=consents(now - timedelta(seconds=5)), registration_request=registration,
        prescription=Prescription.ELECTRONIC, language="ja",
        timings_ms={"card_read": 1800, "face": 2400, "consent": 9000}, software_version="0.1.0",
    )


def pin_result(kiosk_id: str, card: Card, challenge_id: str, challenge: bytes, *, registration: bool = False,
               signature: bytes | None = None) -> ReceptionResult:
    now = datetime.now(UTC)
    return ReceptionResult(
        kiosk_id=kiosk_id, transaction_id=new_transaction_id(), started_at=now - timedelta(seconds=40),
        completed_at=now, method=Method.PIN,
        evidence=PinEvidence(challenge_id, challenge, signature if signature is not None else card.sign(challenge)),
        auth_certificate=card.cert_der, consents=consents(now), registration_request=registration,
        prescription=Prescription.PAPER, language="en", timings_ms={"card_read": 1700, "pin": 5000},
        software_version="0.1.0",
    )


# Test modules import these by name so pytest registers them as fixtures there.
FIXTURES = ("postgres_fixture", "jpki_fixture", "cards_fixture", "db_url_fixture", "env_fixture")
