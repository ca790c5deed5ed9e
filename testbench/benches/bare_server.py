"""The bare endpoint the verifier bench compares against: the verifier's own server stack and nothing else.

Same uvicorn settings as `verifier.server.uvicorn_config` (httptools with the TLS scope protocol, uvloop,
mutual TLS with the same CA, keep-alive), a FastAPI app, and `POST /v1/results` that reads the body and
answers a fixed verdict naming the Idempotency-Key: no authentication, JSON parsing, schema, certificate,
policy or database. The gap between the two is the verifier's own work per result.

    python -m testbench.benches.bare_server --port P [--tls-cert C --tls-key K --client-ca CA]
"""

from __future__ import annotations

import argparse
import ssl
from collections.abc import Sequence

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from verifier.server import TlsScopeProtocol


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.get("/v1/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/results")
    async def result(request: Request) -> JSONResponse:
        await request.body()
        tx = request.headers.get("idempotency-key", "")
        return JSONResponse({"transaction_id": tx, "reception_id": 1, "validity": "1", "certificate_status": "valid",
                             "registration": "registered", "consents": []})  # fmt: skip

    return app


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--client-ca")
    args = parser.parse_args(argv)
    uvicorn.Server(uvicorn.Config(
        bare_app(), host="127.0.0.1", port=args.port, log_level="warning", access_log=False,
        ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key, ssl_ca_certs=args.client_ca,
        ssl_cert_reqs=ssl.CERT_REQUIRED if args.client_ca else ssl.CERT_NONE, timeout_keep_alive=30,
        http=TlsScopeProtocol if args.tls_cert else "httptools", loop="uvloop")).run()  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
