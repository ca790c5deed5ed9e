"""HTTP face of the verifier: FastAPI (OpenAPI at /openapi.json), served by uvicorn.

Who may ask what: kiosks (mutual TLS when configured, and always the enrolled device key's signature over
the exact body) post results, fetch challenges and ask whether a card is registered; staff (signed in,
verifier/staff_web.py) read the staff page and stored results. Everything else answers 401/403, and no
request that is not authenticated writes anything. In front of every route: a per-address rate limit, and
`BodyGuard` (413 before reading an oversized body, JSON depth checked while it streams in).

The result body is read as raw bytes, because the kiosk signs exactly those bytes; its shape is the
published JSON Schema, which is placed into the OpenAPI description (components) so clients and
Schemathesis see the real contract. Handlers are plain `def`s: FastAPI runs them on its thread pool,
which suits the blocking database drivers.
"""

from __future__ import annotations

import copy
import json
import logging
from typing import Annotated, Any

from fastapi import FastAPI, Header, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from verifier import staff_web
from verifier.errors import CODES, Refused
from verifier.limits import BodyGuard
from verifier.ratelimit import Buckets
from verifier.service import MAX_BODY, Verifier, load_result_schema
from verifier.staff_calls import REASON, StaffCall, StaffCalls
from verifier.staffauth import IdentityProvider, Sessions


class Error(BaseModel):
    error: str
    message: str


class SignedLookup(BaseModel):
    """Signed by the kiosk's device key like a result (X-Kiosk-Key-Id, X-Kiosk-Signature over the body)."""

    requested_at: str = Field(description="RFC 3339; within the policy's clock skew of the verifier's clock")
    nonce: str = Field(min_length=16, max_length=64, description="random, never reused")
    certificate_id: str | None = Field(default=None, max_length=64)
    auth_certificate: str | None = Field(default=None, max_length=8192, description=(
        "optional: the card's authentication certificate (DER, base64) just read; a revoked one is refused "
        "with certificate_revoked before the patient goes on"))


class StaffCallIn(BaseModel):
    """Signed like SignedLookup: a patient pressed 「職員を呼ぶ」; `reason` is the kiosk screen it came from."""

    requested_at: str = Field(description="RFC 3339; within the policy's clock skew of the verifier's clock")
    nonce: str = Field(min_length=16, max_length=64, description="random, never reused")
    reason: str = Field(pattern=REASON.pattern, description="the kiosk screen (flow phase) the call came from")


class RegistrationLookup(BaseModel):
    """Signed like SignedLookup. The card's own certificate, not a bare identifier: the answer is given only
    for a certificate the kiosk has just read from the card (checked against the JPKI roots and CRLs)."""

    requested_at: str = Field(description="RFC 3339; within the policy's clock skew of the verifier's clock")
    nonce: str = Field(min_length=16, max_length=64, description="random, never reused")
    auth_certificate: str = Field(max_length=8192, description="DER of the JPKI user-authentication "
                                                                 "certificate, base64")


class Registered(BaseModel):
    registered: bool


class ChallengeOut(BaseModel):
    challenge_id: str
    challenge: str
    expires_at: str
    registered: bool | None = None


class ConsentOut(BaseModel):
    item: str
    flag: str
    consent_time: str | None
    available_until: str | None


class AnswerOut(BaseModel):
    transaction_id: str
    reception_id: int
    received_at: str
    validity: str
    certificate_status: str
    eligibility_only: bool
    registration: str
    consents: list[ConsentOut]
    prescription: str | None
    method: str
    delayed: bool = False
    delay_s: int | None = None
    clock_suspect: bool = False
    face_xml: str | None = None


class Health(BaseModel):
    status: str


log = logging.getLogger(__name__)

_REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": Error, "description": ", ".join(sorted(c for c, (s, _) in CODES.items() if s == status))}
    for status in sorted({s for s, _ in CODES.values()})
}


KIOSK_HEADERS = ("idempotency-key", "x-kiosk-id", "x-kiosk-key-id", "x-kiosk-signature")


class AddressLimit:
    """Per client address: every request spends from one bucket; failed authentications from another, and
    an address that used that one up gets 429 for everything until it refills."""

    def __init__(self, app: Any, requests: Buckets, failures: Buckets) -> None:
        self.app, self.requests, self.failures = app, requests, failures

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            address = (scope.get("client") or ("?",))[0]
            wait = self.failures.peek(address) or self.requests.take(address)
            if wait:
                await _too_many(send, wait)
                return
        await self.app(scope, receive, send)


async def _too_many(send: Any, wait: float) -> None:
    payload = json.dumps(Refused("rate_limited").to_json()).encode()
    await send({"type": "http.response.start", "status": 429, "headers": [
        (b"content-type", b"application/json"), (b"retry-after", str(max(1, round(wait + 0.5))).encode()),
        (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


def client_address(request: Request) -> str:
    return request.client.host if request.client else "?"


def _kiosk_headers(request: Request) -> dict[str, str | None]:
    headers: dict[str, str | None] = {name: request.headers.get(name, "") for name in KIOSK_HEADERS}
    headers["tls-client-name"] = request.scope.get("extensions", {}).get("tls", {}).get("client_cert_name")
    return headers


def create_app(verifier: Verifier, provider: IdentityProvider | None = None, sessions: Sessions | None = None) -> Any:
    """The ASGI application: FastAPI routes behind the per-address limit and the body guard. `provider` and
    `sessions` are the identity-provider seam (default: the verifier's own password users)."""
    policy = verifier.policy
    by_address, failures = Buckets(policy.address), Buckets(policy.address_failures)
    results_limit, lookups_limit = Buckets(policy.kiosk_results), Buckets(policy.kiosk_lookups)
    app = FastAPI(
        title="myna-kiosk reference verifier",
        version="1",
        description="Counterpart of the マイナ受付 kiosk: exactly-once reception results from authenticated kiosks; "
                    "a staff page and result reads for signed-in staff.",
    )
    app.state.verifier = verifier
    calls = StaffCalls()
    app.state.staff_calls = calls

    @app.exception_handler(Refused)
    def _refused(request: Request, exc: Refused) -> JSONResponse:
        if exc.http_status in (401, 403):  # a failed authentication costs the address
            failures.take(client_address(request))
            log.info("refused %s from %s on %s", exc.code, client_address(request), request.url.path)
        headers = {"Retry-After": str(max(1, round(exc.retry_after + 0.5)))} if exc.retry_after else None
        return JSONResponse(exc.to_json(), status_code=exc.http_status, headers=headers)

    @app.exception_handler(OperationalError)
    def _database_down(_request: Request, exc: OperationalError) -> JSONResponse:
        """The database is away: the kiosk keeps the result in its outbox and retries."""
        log.error("database unavailable: %s", type(exc.orig).__name__)
        return JSONResponse({"error": "database_unavailable", "message": "try again later"}, status_code=503,
                            headers={"Retry-After": "2"})

    @app.exception_handler(StarletteHTTPException)
    def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        """FastAPI's own 400 (unparseable body), 404 and 405, in the same shape as a refusal."""
        code = {400: "invalid_json", 404: "not_found"}.get(exc.status_code, f"http_{exc.status_code}")
        return JSONResponse({"error": code, "message": str(exc.detail)}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    def kiosk_rate(bucket: Buckets, kiosk_id: str) -> None:
        wait = bucket.take(kiosk_id)
        if wait:
            raise Refused("rate_limited", "too many requests from this kiosk", retry_after=wait)

    @app.get("/v1/health", response_model=Health)
    def health() -> Health:
        verifier.store.reception_by_transaction("00000000-0000-0000-0000-000000000000")  # the database answers
        return Health(status="ok")

    lookup_body = {"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/SignedLookup"}}}}}

    @app.post("/v1/challenges", response_model=ChallengeOut, status_code=201, openapi_extra=lookup_body,
              responses={400: _REFUSALS[400], 401: _REFUSALS[401], 403: _REFUSALS[403], 429: _REFUSALS[429]})
    async def challenge(request: Request) -> JSONResponse:
        """A PIN-path challenge (older form) and, when the card is named, whether it is registered."""
        body = await request.body()
        data = await run_in_threadpool(_lookup, request, body)
        certificate = data.get("auth_certificate")
        if certificate is not None and (not isinstance(certificate, str) or not 1 <= len(certificate) <= 8192):
            raise Refused("invalid_request", "auth_certificate: the card's certificate, base64")
        answer = await run_in_threadpool(verifier.issue_challenge, data["kiosk_id"], data.get("certificate_id"),
                                         certificate)
        return JSONResponse(answer, status_code=201)

    @app.post("/v1/registrations/lookup", response_model=Registered, openapi_extra={"requestBody": {
        "required": True, "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/RegistrationLookup"}}}}},
              responses={400: _REFUSALS[400], 401: _REFUSALS[401], 403: _REFUSALS[403], 422: _REFUSALS[422],
                         429: _REFUSALS[429]})
    async def registration(request: Request) -> JSONResponse:
        """Whether the card is registered for insurance use (to offer 保険証利用登録); writes nothing."""
        data = await run_in_threadpool(_lookup, request, await request.body())
        certificate = data.get("auth_certificate")
        if not isinstance(certificate, str) or not 1 <= len(certificate) <= 8192:
            raise Refused("invalid_request", "auth_certificate: the card's certificate, base64")
        registered = await run_in_threadpool(verifier.registered_certificate, certificate)
        return JSONResponse({"registered": registered})

    @app.post("/v1/staff-calls", status_code=201, openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/StaffCallIn"}}}}},
              responses={400: _REFUSALS[400], 401: _REFUSALS[401], 403: _REFUSALS[403], 429: _REFUSALS[429]})
    async def staff_call(request: Request) -> JSONResponse:
        """A patient at a kiosk asks for staff: shown on the staff page (and in the audit log) at once."""
        data = await run_in_threadpool(_lookup, request, await request.body())
        reason = data.get("reason")
        if not isinstance(reason, str) or not REASON.fullmatch(reason):
            raise Refused("invalid_request", "reason: the kiosk screen's name")
        now = verifier.clock()
        calls.add(StaffCall(data["kiosk_id"], reason, now))
        await run_in_threadpool(verifier.audit.append, f"kiosk:{data['kiosk_id']}", "staff_call", "", reason, now)
        return JSONResponse({"called": True}, status_code=201)

    def _lookup(request: Request, body: bytes) -> dict[str, Any]:
        kiosk_id = verifier.authenticate_kiosk(_kiosk_headers(request), body)
        kiosk_rate(lookups_limit, kiosk_id)
        data = verifier.check_signed_request(kiosk_id, body)
        certificate_id = data.get("certificate_id")
        if certificate_id is not None and (not isinstance(certificate_id, str) or len(certificate_id) > 64):
            raise Refused("invalid_request", "certificate_id: up to 64 characters")
        return {**data, "kiosk_id": kiosk_id}

    @app.post(
        "/v1/results",
        response_model=AnswerOut,
        responses={k: v for k, v in _REFUSALS.items() if k != 404},
        openapi_extra={"requestBody": {"required": True, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ReceptionResult"}}}}},
    )
    async def result(
        request: Request,
        idempotency_key: Annotated[str, Header()] = "",
        x_kiosk_id: Annotated[str, Header()] = "",
        x_kiosk_key_id: Annotated[str, Header()] = "",
        x_kiosk_signature: Annotated[str, Header()] = "",
    ) -> JSONResponse:
        body = await request.body()
        headers = _kiosk_headers(request)

        def accept() -> tuple[dict[str, Any], bool]:
            kiosk_id = verifier.authenticate_kiosk(headers, body)
            kiosk_rate(results_limit, kiosk_id)
            return verifier.submit_authenticated(kiosk_id, headers, body)

        answer, replayed = await run_in_threadpool(accept)
        return JSONResponse(answer, headers={"Idempotent-Replayed": "true" if replayed else "false"})

    app.include_router(staff_web.router(verifier, failures, _REFUSALS, AnswerOut, provider, sessions, calls))

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version, description=app.description,
                               routes=app.routes)
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(_schema_components())
            schemas["SignedLookup"] = SignedLookup.model_json_schema()
            schemas["StaffCallIn"] = StaffCallIn.model_json_schema()
            schemas["RegistrationLookup"] = RegistrationLookup.model_json_schema()
            schemas.setdefault("Error", Error.model_json_schema())
            _document_the_door(spec)
            _link_result_reads(spec)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    limits = {"/v1/results": MAX_BODY}
    return AddressLimit(BodyGuard(app, limits), by_address, failures)


def _document_the_door(spec: dict[str, Any]) -> None:
    """What the middleware in front of every route can answer: 429 anywhere (per-address limit), and on a
    POST 400 (malformed Content-Length, JSON too deep) and 413 (body over the limit)."""
    for methods in spec.get("paths", {}).values():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            codes = ("429", "400", "413") if method == "post" else ("429",)
            for code in codes:
                responses.setdefault(code, {"description": _REFUSALS[int(code)]["description"], "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})


def _link_result_reads(spec: dict[str, Any]) -> None:
    """OpenAPI link: an accepted result can be read back by its transaction id (for stateful clients)."""
    paths = spec.get("paths", {})
    read = paths.get("/v1/results/{transaction_id}", {}).get("get", {}).get("operationId")
    accepted = paths.get("/v1/results", {}).get("post", {}).get("responses", {}).get("200")
    if read and accepted is not None:
        accepted["links"] = {"ReadResult": {"operationId": read,
                                            "parameters": {"transaction_id": "$response.body#/transaction_id"}}}


def _schema_components() -> dict[str, Any]:
    """The published result schema, its $defs lifted into components so the $refs resolve in OpenAPI."""
    schema = copy.deepcopy(load_result_schema())
    defs = schema.pop("$defs")
    schema.pop("$schema", None)
    schema.pop("$id", None)
    text = json.dumps({"ReceptionResult": schema, **{f"ReceptionResult_{k}": v for k, v in defs.items()}})
    return dict(json.loads(text.replace('"#/$defs/', '"#/components/schemas/ReceptionResult_')))
