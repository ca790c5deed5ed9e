"""Fleet view: the node_exporter textfile — counts only, valid Prometheus text, counters that never go down."""

from __future__ import annotations

import os
import re
from pathlib import Path

from drivers.backend.outbox import Outbox, SignedResult
from kiosk.app.metrics import KioskMetrics, MetricsWriter, read_outbox_counts
from kiosk.screens import ScreenModel, Text

SAMPLE = re.compile(r'^[a-z_]+(\{[a-z_]+="[a-z_]+"\})? -?[0-9.]+$')


def screen(name: str) -> ScreenModel:
    return ScreenModel(screen=name, lang="ja", title=Text(name))


def values(text: str) -> dict[str, float]:
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
            if not line.startswith("#")}


def test_outcomes_receptions_and_camera_rate() -> None:
    now = [0.0]
    metrics = KioskMetrics(clock=lambda: now[0])
    for name in ("attract", "reading", "read_failed", "read_failed", "attract", "reading", "done", "attract"):
        metrics.on_render(screen(name))  # the same screen rendered twice (a countdown tick) is one entry
    for _ in range(31):
        metrics.on_frame()
        now[0] += 0.1
    metrics.add_daily({"face": 2, "pin": 1, "visual": 0})
    metrics.add_daily({"face": 3, "pin": 1, "visual": 0})
    metrics.add_daily({"face": 1, "pin": 0, "visual": 0})  # midnight: the staff screen's day starts again
    text = metrics.text(None)
    assert all(SAMPLE.match(line) for line in text.splitlines() if not line.startswith("#")), text
    got = values(text)
    assert got['myna_kiosk_outcomes_total{outcome="read_failed"}'] == 1
    assert got['myna_kiosk_outcomes_total{outcome="done"}'] == 1
    assert got['myna_kiosk_receptions_total{method="face"}'] == 4
    assert got['myna_kiosk_receptions_total{method="pin"}'] == 1
    assert 9.5 < got["myna_kiosk_camera_fps"] < 10.5
    now[0] += 10
    assert values(metrics.text(None))["myna_kiosk_camera_fps"] == 0


def test_outbox_depth_and_delivery_age_in_the_textfile(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    for n in range(3):
        outbox.enqueue(SignedResult(f"t{n}", "kiosk-1", "k", "sig", b"{}"))
    outbox.mark_delivered(1, {"ok": True})
    outbox.quarantine(2, "certificate_revoked", retry_in_s=3600)
    outbox.close()
    counts = read_outbox_counts(tmp_path / "outbox.sqlite3")
    assert counts is not None and (counts.pending, counts.quarantined, counts.delivered) == (1, 1, 1)
    assert counts.last_delivery_age_s is not None and 0 <= counts.last_delivery_age_s < 60
    writer = MetricsWriter(KioskMetrics(), tmp_path, lambda: {"face": 1})
    old = os.umask(0o077)  # as under the unit's UMask=0077
    try:
        writer.write_once()
    finally:
        os.umask(old)
    text = (tmp_path / "metrics" / "myna_kiosk.prom").read_text()
    got = values(text)
    assert got["myna_kiosk_outbox_pending"] == 1 and got["myna_kiosk_outbox_quarantined"] == 1
    assert "myna_kiosk_last_delivery_age_seconds" in got and got['myna_kiosk_receptions_total{method="face"}'] == 1
    assert "t0" not in text and "kiosk-1" not in text  # counts only
    assert [p.name for p in (tmp_path / "metrics").iterdir()] == ["myna_kiosk.prom"]  # no partial file left
    # node_exporter reads it as a member of the kiosk's group, whatever the service's umask
    assert (tmp_path / "metrics").stat().st_mode & 0o777 == 0o750
    assert (tmp_path / "metrics" / "myna_kiosk.prom").stat().st_mode & 0o777 == 0o640
    assert read_outbox_counts(tmp_path / "none.sqlite3") is None
