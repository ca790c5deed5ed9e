"""「職員を呼ぶ」 end to end over real HTTP on loopback: a kiosk's signed call lands on the verifier's staff page
(and its audit log); an unsigned or forged call is refused and writes nothing."""

from __future__ import annotations

import pytest
import requests

from drivers.backend.http import BackendConfig, RequestsBackend
from drivers.backend.signing import DeviceKey
from kiosk.errors import BackendRejected
from tests.integration.test_backend_env import (  # noqa: F401  (fixtures)
    Env,
    cards_fixture,
    db_url_fixture,
    env_fixture,
    jpki_fixture,
    postgres_fixture,
)
from tests.integration.verifier_auth import staff_session

pytestmark = pytest.mark.server


def test_a_signed_staff_call_is_on_the_staff_page(env: Env) -> None:
    backend = RequestsBackend(BackendConfig(env.url, retries=0))
    try:
        staff = staff_session(env.verifier, env.url)
        assert "職員の呼び出し" not in staff.get(f"{env.url}/staff", timeout=5).text
        backend.call_staff(env.kiosk_id, "pin_entry", env.key)
        page = staff.get(f"{env.url}/staff", timeout=5).text
        assert "職員の呼び出し" in page and env.kiosk_id in page and "pin_entry" in page
        with pytest.raises(BackendRejected):  # a key the verifier never enrolled for this kiosk
            backend.call_staff(env.kiosk_id, "method", DeviceKey.generate())
        with pytest.raises(BackendRejected):  # free text is not a screen name
            backend.call_staff(env.kiosk_id, "Help! <script>", env.key)
        unsigned = requests.post(f"{env.url}/v1/staff-calls", json={"reason": "method"}, timeout=5)
        assert unsigned.status_code in (401, 403)
        assert staff.get(f"{env.url}/staff", timeout=5).text.count("pin_entry") == 1  # nothing else was added
    finally:
        backend.close()
