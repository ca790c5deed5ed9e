"""RequestsBackend: the kiosk's only HTTP client (the only module that imports requests).

One `requests.Session` with explicit (connect, read) timeouts and urllib3's bounded retry with exponential
backoff and jitter. POSTs are retried too: every result attempt carries the same body and the same
`Idempotency-Key`, and the verifier answers a repeat from its record, so a retry can never double a
reception. Foreign exceptions stop here: callers see `BackendUnavailable` (try later) or
`BackendRejected` (the verifier refused it with its own error code; retrying will not help).
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from drivers.backend.outbox import SignedResult
from kiosk.errors import BackendRejected, BackendUnavailable
from kiosk.reception import Challenge, VerifierAnswer

_RETRY_STATUS = (429, 500, 502, 503, 504)


@dataclass(frozen=True)
class BackendConfig:
    base_url: str
    connect_timeout: float = 2.0
    read_timeout: float = 5.0
    retries: int = 3  # attempts after the first, per call
    backoff: float = 0.2  # seconds; doubles per retry
    backoff_max: float = 2.0
    jitter: float = 0.2  # seconds of random spread added to each backoff
    client_cert: tuple[str, str] | None = None  # (cert PEM, key PEM) for mutual TLS
    ca_bundle: str | None = None  # the verifier's CA; None = system store


class RequestSigner(Protocol):
    """The kiosk's device key (drivers.backend.signing.DeviceKey): the verifier answers only signed requests."""

    key_id: str

    def sign(self, body: bytes) -> str: ...


@dataclass(frozen=True)
class Health:
    ok: bool
    latency_ms: float
    detail: str


class RequestsBackend:
    def __init__(self, config: BackendConfig) -> None:
        self.config = config
        self._base = config.base_url.rstrip("/")
        self._session = requests.Session()
        retry = Retry(
            total=config.retries,
            connect=config.retries,
            read=config.retries,
            status=config.retries,
            other=0,
            allowed_methods=None,  # POSTs too: idempotent by key
            status_forcelist=_RETRY_STATUS,
            backoff_factor=config.backoff,
            backoff_max=config.backoff_max,
            backoff_jitter=config.jitter,
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry, pool_connections=2, pool_maxsize=4)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        # The challenge fetch has its own deadline loop, so its session does not retry by itself.
        self._once = requests.Session()
        self._once.mount("http://", HTTPAdapter(max_retries=0))
        self._once.mount("https://", HTTPAdapter(max_retries=0))
        for session in (self._session, self._once):
            if config.client_cert:
                session.cert = config.client_cert
        self._timeout = (config.connect_timeout, config.read_timeout)
        # Passed on every call, not set on the sessions: requests lets REQUESTS_CA_BUNDLE override a
        # session's own `verify`.
        self._verify: str | bool = config.ca_bundle or True

    def close(self) -> None:
        self._session.close()
        self._once.close()

    def submit(self, result: SignedResult) -> VerifierAnswer:
        """Send one signed result; the same body and key on every attempt."""
        return VerifierAnswer.from_json(self.submit_raw(result))

    def submit_raw(self, result: SignedResult) -> dict[str, Any]:
        """Like `submit` but returns the verifier's JSON as it came (kept in the outbox for staff)."""
        return self._post_json(
            self._session,
            "/v1/results",
            body=result.body,
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": result.transaction_id,
                "X-Kiosk-Id": result.kiosk_id,
                "X-Kiosk-Key-Id": result.key_id,
                "X-Kiosk-Signature": result.signature,
            },
            timeout=self._timeout,
        )

    def fetch_challenge(self, kiosk_id: str, wait: float = 3.0, certificate_id: str | None = None,
                        signer: RequestSigner | None = None, auth_certificate: bytes | None = None) -> Challenge:
        """A fresh PIN-path challenge, or BackendUnavailable within about `wait` seconds. Naming the card's
        certificate identifier (its opaque CN) also tells whether the card is registered for insurance use.
        The request is signed by the device key (the verifier refuses an unsigned one with 401). With the
        card's certificate itself, the verifier also refuses a revoked card at once (`certificate_revoked`)."""
        deadline = time.monotonic() + wait
        last: Exception | None = None
        while (left := deadline - time.monotonic()) > 0.05:
            timeout = (min(self.config.connect_timeout, left), min(self.config.read_timeout, left))
            # a fresh nonce and time per attempt: the verifier takes each signed request once
            fields = {"certificate_id": certificate_id, "nonce": secrets.token_urlsafe(18),
                      "requested_at": datetime.now(UTC).isoformat()}
            if auth_certificate is not None:
                fields["auth_certificate"] = base64.b64encode(auth_certificate).decode()
            body = json.dumps(fields).encode()
            headers = {"X-Kiosk-Id": kiosk_id, "Content-Type": "application/json"}
            if signer is not None:
                headers |= {"X-Kiosk-Key-Id": signer.key_id, "X-Kiosk-Signature": signer.sign(body)}
            try:
                data = self._post_json(self._once, "/v1/challenges", body=body, headers=headers, timeout=timeout)
                registered = data.get("registered")
                return Challenge(
                    challenge_id=str(data["challenge_id"]),
                    value=base64.b64decode(data["challenge"]),
                    expires_at=datetime.fromisoformat(str(data["expires_at"])),
                    registered=bool(registered) if registered is not None else None,
                )
            except BackendUnavailable as exc:
                last = exc
                time.sleep(min(self.config.backoff, max(0.0, deadline - time.monotonic())))
        raise BackendUnavailable(f"no challenge within {wait:.1f} s: {last}")

    def call_staff(self, kiosk_id: str, reason: str, signer: RequestSigner) -> None:
        """Tell staff a patient asks for them (the verifier's staff page lists it). One quick attempt: the
        patient waits at the kiosk, so a failure is said at once rather than retried for long."""
        body = json.dumps({"nonce": secrets.token_urlsafe(18), "reason": reason,
                           "requested_at": datetime.now(UTC).isoformat()}).encode()
        headers = {"X-Kiosk-Id": kiosk_id, "Content-Type": "application/json", "X-Kiosk-Key-Id": signer.key_id,
                   "X-Kiosk-Signature": signer.sign(body)}
        self._post_json(self._once, "/v1/staff-calls", body=body, headers=headers, timeout=self._timeout)

    def health(self) -> Health:
        started = time.perf_counter()
        try:
            response = self._session.get(
                f"{self._base}/v1/health", timeout=(self.config.connect_timeout, self.config.connect_timeout),
                verify=self._verify,
            )
            ok = response.status_code == 200
            detail = "ok" if ok else f"HTTP {response.status_code}"
        except requests.RequestException as exc:
            ok, detail = False, type(exc).__name__
        return Health(ok, (time.perf_counter() - started) * 1000, detail)

    def _post_json(
        self,
        session: requests.Session,
        path: str,
        *,
        body: bytes,
        headers: dict[str, str],
        timeout: tuple[float, float],
    ) -> dict[str, Any]:
        try:
            response = session.post(f"{self._base}{path}", data=body, headers=headers, timeout=timeout,
                                    verify=self._verify)
        except requests.RequestException as exc:
            raise BackendUnavailable(f"{type(exc).__name__} on {path}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise BackendUnavailable(f"HTTP {response.status_code} on {path}")
        try:
            data = response.json()
        except ValueError as exc:
            raise BackendUnavailable(f"unreadable answer (HTTP {response.status_code}) on {path}") from exc
        if response.status_code >= 400:
            code = str(data.get("error", f"http_{response.status_code}")) if isinstance(data, dict) else "unknown"
            raise BackendRejected(code, f"HTTP {response.status_code}: {code}")
        if not isinstance(data, dict):
            raise BackendUnavailable(f"unexpected answer shape on {path}")
        return data
