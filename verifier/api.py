"""HTTP face of the verifier: FastAPI (OpenAPI at /openapi.json), served by uvicorn.

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
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from verifier import staff
from verifier.errors import CODES, Refused
from verifier.service import Verifier, load_result_schema


class Error(BaseModel):
    error: str
    message: str


class ChallengeIn(BaseModel):
    certificate_id: str | None = Field(default=None, max_length=64)


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
    face_xml: str | None = None


class Health(BaseModel):
    status: str


log = logging.getLogger(__name__)

_REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": Error, "description": ", ".join(sorted(c for c, (s, _) in CODES.items() if s == status))}
    for status in sorted({s for s, _ in CODES.values()})
}


def create_app(verifier: Verifier) -> FastAPI:
    app = FastAPI(
        title="myna-kiosk reference verifier",
        version="1",
        description="Counterpart of the マイナ受付 kiosk: PIN-path challenges and exactly-once reception results.",
    )

    @app.exception_handler(Refused)
    def _refused(_request: Request, exc: Refused) -> JSONResponse:
        return JSONResponse(exc.to_json(), status_code=exc.http_status)

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

    @app.get("/v1/health", response_model=Health)
    def health() -> Health:
        verifier.store.reception_by_transaction("00000000-0000-0000-0000-000000000000")  # the database answers
        return Health(status="ok")

    @app.post("/v1/challenges", response_model=ChallengeOut, status_code=201,
              responses={400: {"model": Error, "description": "invalid_json"}, 401: _REFUSALS[401]})
    def challenge(x_kiosk_id: Annotated[str, Header()] = "", body: ChallengeIn | None = None) -> dict[str, Any]:
        return verifier.issue_challenge(x_kiosk_id, body.certificate_id if body else None)

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
        headers = {"idempotency-key": idempotency_key, "x-kiosk-id": x_kiosk_id,
                   "x-kiosk-key-id": x_kiosk_key_id, "x-kiosk-signature": x_kiosk_signature,
                   "tls-client-name": request.scope.get("extensions", {}).get("tls", {}).get("client_cert_name")}
        answer, replayed = await run_in_threadpool(verifier.submit, headers, body)
        return JSONResponse(answer, headers={"Idempotent-Replayed": "true" if replayed else "false"})

    @app.get("/v1/results/{transaction_id}", response_model=AnswerOut, responses={404: _REFUSALS[404]})
    def stored_result(transaction_id: str) -> dict[str, Any]:
        answer = verifier.answer_for(transaction_id)
        if answer is None:
            raise Refused("not_found")
        return answer

    @app.get("/staff", response_class=HTMLResponse)
    def staff_page() -> str:
        now = verifier.clock()
        since = staff.start_of_day_jst(now)
        return staff.render(verifier.store.receptions_since(since), now)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version, description=app.description,
                               routes=app.routes)
            spec.setdefault("components", {}).setdefault("schemas", {}).update(_schema_components())
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _schema_components() -> dict[str, Any]:
    """The published result schema, its $defs lifted into components so the $refs resolve in OpenAPI."""
    schema = copy.deepcopy(load_result_schema())
    defs = schema.pop("$defs")
    schema.pop("$schema", None)
    schema.pop("$id", None)
    text = json.dumps({"ReceptionResult": schema, **{f"ReceptionResult_{k}": v for k, v in defs.items()}})
    return dict(json.loads(text.replace('"#/$defs/', '"#/components/schemas/ReceptionResult_')))
