"""Exactly-once delivery under faults: 1,000 results (300 more on PostgreSQL) through a fault-injecting proxy
on loopback (random 5xx before or after the verifier saw the request, resets, hangs past the read timeout,
slow answers), while the delivery process is killed with SIGKILL at random moments and restarted.
Afterwards the verifier must hold every reception exactly once, in the kiosk's order.
"""

from __future__ import annotations

import asyncio
import random
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drivers.backend.delivery import Delivery, DeliveryThread, RetryPolicy
from drivers.backend.http import BackendConfig, RequestsBackend
from drivers.backend.outbox import Outbox
from drivers.backend.signing import sign_result
from kiosk.errors import BackendUnavailable
from tests.integration.loopback_proxy import LoopbackProxy
from tests.integration.test_backend_env import (  # noqa: F401  (fixtures)
    Env,
    cards_fixture,
    face_result,
    jpki_fixture,
    postgres_fixture,
    start_env,
)

pytestmark = pytest.mark.server  # a real server process or database on loopback

REPO = Path(__file__).resolve().parents[2]
FAULTS = {  # share of requests
    "503_before": 0.05,  # refused before the verifier saw it
    "502_after": 0.05,  # the verifier stored it, the answer is replaced by an error
    "reset_before": 0.03,
    "reset_after": 0.03,  # stored, then the connection is reset instead of answered
    "hang_before": 0.01,  # no answer and never forwarded
    "hang_after": 0.02,  # stored, then no answer until the client's read timeout
    "slow": 0.10,
}
CANNED = b"HTTP/1.1 %d Fault\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nfault"


class FaultProxy(LoopbackProxy):
    """An HTTP/1.1 proxy on loopback, one request per connection, that misbehaves on purpose."""

    def __init__(self, upstream: tuple[str, int], seed: int) -> None:
        super().__init__()
        self.upstream = upstream
        self.rng = random.Random(seed)

    def _fault(self) -> str:
        roll, edge = self.rng.random(), 0.0
        for name, share in FAULTS.items():
            edge += share
            if roll < edge:
                return name
        return "none"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = await reader.readexactly(length)
            fault = self._fault()
            self.counts[fault] += 1
            if fault == "503_before":
                writer.write(CANNED % 503)
                return
            if fault == "reset_before":
                _reset(writer)
                return
            if fault == "hang_before":
                await asyncio.sleep(1.0)
                return
            if fault == "slow":
                await asyncio.sleep(self.rng.uniform(0.05, 0.25))
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
            up_writer.write(head.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1) + body)
            await up_writer.drain()
            response = await up_reader.read()  # the verifier closes after answering
            up_writer.close()
            if fault == "502_after":
                writer.write(CANNED % 502)
            elif fault == "reset_after":
                _reset(writer)
                return
            elif fault == "hang_after":
                await asyncio.sleep(1.0)  # past the client's read timeout
                return
            else:
                writer.write(response)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


@pytest.mark.slow
@pytest.mark.parametrize("database, count", [("sqlite", 1000), ("postgresql", 300)])
def test_results_through_faults_and_sigkills_arrive_exactly_once_in_order(
    tmp_path: Path, test_pki, cards, request: pytest.FixtureRequest, database: str, count: int  # type: ignore[no-untyped-def]
) -> None:
    if database == "sqlite":
        db_url = f"sqlite:///{tmp_path / 'verifier.db'}"
    else:
        db_url = request.getfixturevalue("postgres").new_database()
    env = start_env(db_url, test_pki, cards, tmp_path / "face")
    host, port = env.url.removeprefix("http://").split(":")
    proxy = FaultProxy((host, int(port)), seed=20261121)
    proxy_url = proxy.start()
    outbox_path = tmp_path / "kiosk" / "outbox.db"
    outbox = Outbox(outbox_path)
    enqueued = []
    for _ in range(count):
        signed = sign_result(face_result(env.kiosk_id, cards.ordinary.cert_der), env.key)
        outbox.enqueue(signed)
        enqueued.append(signed.transaction_id)

    rng = random.Random(7)
    command = [sys.executable, "-m", "drivers.backend.delivery", "--outbox", str(outbox_path), "--url", proxy_url,
               "--until-empty", "--connect-timeout", "0.5", "--read-timeout", "0.5", "--retries", "2",
               "--backoff", "0.02"]
    kills, started = 0, time.monotonic()
    try:
        while outbox.status().pending and time.monotonic() - started < 400:  # a bound against a hang, not a figure
            process = subprocess.Popen(command, cwd=REPO)
            try:
                process.wait(timeout=rng.uniform(0.4, 2.0))
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
        status = outbox.status()
        stored = env.verifier.store.all_transaction_ids()
        env.verifier.flush_xml()
        elapsed = time.monotonic() - started
    finally:
        proxy.stop()
        env.server.stop()
        env.verifier.store.engine.dispose()

    lost = len(set(enqueued) - set(stored))
    duplicated = len(stored) - len(set(stored))
    print(f"\nfault run ({database}): {len(enqueued)} results, {kills} SIGKILLs, faults {dict(proxy.counts)}, "
          f"{elapsed:.1f} s; lost {lost}, duplicated {duplicated}")
    assert kills >= 3, "the delivery process was hardly killed mid-run"
    assert sum(proxy.counts[f] for f in FAULTS) > count // 10
    assert (status.pending, status.delivered, status.quarantined) == (0, count, 0)
    assert lost == 0 and duplicated == 0
    assert stored == enqueued  # in the kiosk's order
    assert len(list((tmp_path / "face").glob("OQSsiquc01res_face_*.xml"))) == count


def test_backend_down_keeps_results_tells_staff_and_delivers_when_back(
    tmp_path: Path, test_pki, cards  # type: ignore[no-untyped-def]
) -> None:
    with socket.socket() as probe:  # a port nobody listens on, yet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    backend = RequestsBackend(BackendConfig(f"http://127.0.0.1:{port}", connect_timeout=0.3, read_timeout=1,
                                            retries=1, backoff=0.01))
    started = time.monotonic()
    with pytest.raises(BackendUnavailable) as caught:
        backend.fetch_challenge("kiosk-1", wait=1.0)
    assert time.monotonic() - started < 1.6  # the PIN path's wait is bounded
    assert "接続できません" in caught.value.message() and "cannot be reached" in caught.value.message()
    assert not backend.health().ok

    outbox = Outbox(tmp_path / "outbox.db")
    delivery = Delivery(outbox, backend, RetryPolicy(backoff_base_s=0.05, backoff_max_s=0.2, idle_poll_s=0.05))
    thread = DeliveryThread(delivery)
    thread.start()
    from kiosk.reception import new_transaction_id

    env_holder: list[Env] = []
    try:
        ids = []
        for _ in range(3):
            tx = new_transaction_id()
            ids.append(tx)
            outbox.enqueue(_signed_for_later(tx, cards, env_holder, tmp_path, test_pki, port))
            delivery.wake()
        deadline = time.monotonic() + 5
        while delivery.status().backend_reachable and time.monotonic() < deadline:
            time.sleep(0.05)
        status = delivery.status()
        assert not status.backend_reachable and status.outbox.pending == 3
        assert "未送信 3 件" in status.staff_message and "3 result(s) waiting" in status.staff_message
        assert delivery.wait_for(ids[0], timeout=0.2) is None  # the kiosk does not hang on it

        env = env_holder[0]
        env.server = _serve_on(env, port)
        answer = delivery.wait_for(ids[-1], timeout=10)
        assert answer is not None and answer.validity.value == "1"
        assert env.verifier.store.all_transaction_ids() == ids
        assert delivery.status().staff_message.startswith("確認サービス: 正常")
    finally:
        thread.stop()
        if env_holder:
            env_holder[0].server.stop()


def _signed_for_later(tx, cards, holder, tmp_path, test_pki, port):  # type: ignore[no-untyped-def]
    """Results signed by a kiosk key that the (not yet running) verifier will have enrolled."""
    if not holder:
        env = start_env(f"sqlite:///{tmp_path / 'later.db'}", test_pki, cards, tmp_path / "face")
        env.server.stop()  # enrolled and seeded; served again on the agreed port later
        holder.append(env)
    env = holder[0]
    return sign_result(face_result(env.kiosk_id, cards.ordinary.cert_der, transaction_id=tx), env.key)


def _serve_on(env: Env, port: int):  # type: ignore[no-untyped-def]
    from verifier.server import ServerThread, uvicorn_config

    server = ServerThread(uvicorn_config(env.verifier, "127.0.0.1", port))
    server.start()
    return server
