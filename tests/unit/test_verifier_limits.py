"""The verifier's input guards, rate buckets and policy file, in-process (the HTTP-level set is in
tests/integration/test_verifier_security.py)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from verifier.errors import Refused
from verifier.limits import DepthGuard, TooDeep, loads_strict, rfc3339
from verifier.policy import Policy
from verifier.ratelimit import Buckets, Rate


def feed_in_pieces(data: bytes, size: int, max_depth: int = 16) -> None:
    guard = DepthGuard(max_depth)
    for at in range(0, len(data), size):
        guard.feed(data[at:at + size])


@pytest.mark.parametrize("size", [1, 2, 3, 7, 4096])
def test_depth_is_tracked_across_chunk_boundaries_and_strings_are_skipped(size: int) -> None:
    ok = json.dumps({"a": [[{"b": "[[[[{{{{ \\\" ]]] \\\\"}]], "c": "\\\\\\\"[[["}).encode()
    feed_in_pieces(ok, size, max_depth=4)
    with pytest.raises(TooDeep):
        feed_in_pieces(b'{"x":' * 5 + b"1" + b"}" * 5, size, max_depth=4)
    with pytest.raises(TooDeep):  # an escaped quote must not end the string early and hide nothing
        feed_in_pieces(b'["\\"", [[[[1]]]]]', size, max_depth=4)


def test_strict_json_refuses_nan_deep_and_huge_numbers() -> None:
    assert loads_strict(b'{"d": 0.5}') == {"d": 0.5}
    for body, code in ((b'{"d": NaN}', "invalid_json"), (b'{"d": -Infinity}', "invalid_json"),
                       (b"[" * 20 + b"]" * 20, "json_too_deep"), (b'{"n": ' + b"9" * 5000 + b"}", "invalid_json")):
        with pytest.raises(Refused) as caught:
            loads_strict(body)
        assert caught.value.code == code and caught.value.http_status == 400


def test_rfc3339_takes_ascii_digits_and_an_offset_only() -> None:
    assert rfc3339("2026-12-02T09:30:00.5+09:00", "t").utcoffset() == timedelta(hours=9)
    assert rfc3339("2026-12-02t00:30:00z", "t").utcoffset() == timedelta(0)
    for bad in ("２０26-12-02T09:30:00Z", "2026-12-02T09:30:00", "2026-13-02T09:30:00Z", "2026-12-02 09:30:00Z",
                "٢٠٢٦-12-02T09:30:00Z", 20261202, "2026-12-02T09:30:00+0900"):
        with pytest.raises(Refused) as caught:
            rfc3339(bad, "completed_at")
        assert caught.value.code == "invalid_time" and "completed_at" in caught.value.message


def test_buckets_spend_refill_and_forget() -> None:
    now = [0.0]
    buckets = Buckets(Rate(2.0, 3.0), clock=lambda: now[0], max_keys=2)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(0.5)
    assert buckets.peek("a") == pytest.approx(0.5)
    now[0] = 0.5
    assert buckets.take("a") == 0.0
    buckets.take("b")
    buckets.take("c")  # over max_keys: the oldest key ("a") is dropped, i.e. starts full again
    assert buckets.take("a") == 0.0


def test_policy_file_overrides_and_refuses_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('allowed_methods = ["pin"]\nface_require_liveness = true\n'
                    '[face_max_distance]\nother_model = 0.4\n[delay]\nmax_age_days = 30\n'
                    '[rate]\nkiosk_results = [5, 10]\n')
    policy = Policy.load(path)
    assert policy.allowed_methods == {"pin"} and policy.face_require_liveness
    assert dict(policy.face_max_distance) == {"other_model": 0.4} and policy.max_age == timedelta(days=30)
    assert policy.kiosk_results == Rate(5.0, 10.0) and policy.address == Policy().address
    path.write_text("face_thresholds_from_kiosk = true\n")
    with pytest.raises(ValueError, match="unknown policy keys"):
        Policy.load(path)
    with pytest.raises(ValueError):
        Policy.from_mapping({"allowed_methods": ["telepathy"]})
