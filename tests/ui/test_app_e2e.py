"""The whole app (window, Qt runtime with QTimers and worker threads, flow) played by scripted patients on
in-process fakes; and the `myna-testbench demo --headless` / `bench reception` commands."""

from __future__ import annotations

import json

import pytest

from kiosk.app.cli import main
from kiosk.flow_types import Notice
from testbench.cli import main as bench_cli
from testbench.demo.scenarios import SCENARIOS, ScenarioPlayer
from ui.textfmt import plain

pytestmark = pytest.mark.ui


def _play(name: str) -> list[str]:
    player = ScenarioPlayer(SCENARIOS[name], delay_s=0.005)
    try:
        player.run(timeout_s=15)
        return [line.screen for line in player.transcript]
    finally:
        player.close()


def test_pin_patient_through_the_real_window(qapp: object) -> None:
    screens = _play("wrong-pin")
    assert screens[:6] == ["attract", "reading", "method", "pin_entry", "pin_verifying", "pin_wrong"]
    assert "pin_last_warning" in screens and screens[-2:] == ["done", "attract"]
    assert "consent:comprehensive" in screens and "consent:prescription_form" in screens


def test_phone_patients_through_the_real_window(qapp: object) -> None:
    android = _play("phone-android")
    assert android[:5] == ["attract", "phone_choose", "phone_pin", "phone_hold", "phone_reading"]
    assert "consent:comprehensive" in android and android[-2:] == ["done", "attract"]
    iphone = _play("phone-iphone")
    assert "phone_pin" not in iphone and "consent:comprehensive" in iphone and iphone[-2:] == ["done", "attract"]


def test_face_patient_and_staff_visual_check(qapp: object) -> None:
    face = _play("face")
    assert face[3:6] == ["face_scan", "face_photo", "face_capture"]
    visual = _play("staff-visual")
    assert visual[:3] == ["attract", "staff_pin", "staff_panel"] and "visual_check" in visual


def test_card_pulled_returns_to_idle_and_wipes(qapp: object) -> None:
    player = ScenarioPlayer(SCENARIOS["card-pulled"], delay_s=0.005)
    try:
        player.run(timeout_s=15)
        assert player.kiosk.runtime.vault.summary is None and player.kiosk.runtime.vault.nonce is None
        assert player.kiosk.controller.state.notice is Notice.CARD_REMOVED
        assert "カード" in plain(player.kiosk.window.current_page.notice.text())  # type: ignore[attr-defined]
    finally:
        player.close()


def test_inactivity_timeout_fires_through_qtimers(qapp: object) -> None:
    from dataclasses import replace

    from testbench.demo.scenarios import Scenario

    player = ScenarioPlayer(Scenario("idle", "", [("insert",), ("wait", "method")]), delay_s=0.0)
    try:
        player.run(timeout_s=10)
        controller = player.kiosk.controller
        config = controller.state.settings.config
        quick = replace(config, timeouts=replace(config.timeouts, choice_s=0.2, still_there_s=0.2,
                                                  card_left_alarm_s=0.1))
        controller.state = replace(controller.state, settings=replace(controller.state.settings, config=quick))
        from kiosk.flow_events import UserActivity

        controller.dispatch(UserActivity())  # restarts the method screen's timer, now 0.2 s
        player.wait_until(lambda: controller.state.still_there, 5, "the still-there warning")
        player.wait_until(lambda: controller.state.phase.value == "take_card", 5, "timeout")
        player.wait_until(lambda: controller.state.alarm, 5, "card-left alarm")
        assert player.kiosk.window.alarm.isVisible()
    finally:
        player.close()


def test_demo_headless_json(capsys: pytest.CaptureFixture[str], qapp: object) -> None:
    assert bench_cli(["demo", "--headless", "--fake", "--scenario", "expired", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "FAKE" in out["note"]
    lines = out["scenarios"][0]["lines"]
    assert [line["screen"] for line in lines] == ["attract", "reading", "cert_expired", "attract"]
    assert all(line["t_ms"] >= 0 for line in lines) and lines[2]["title"].startswith("カード")


def test_bench_reception_prints_its_figures(capsys: pytest.CaptureFixture[str], qapp: object) -> None:
    assert bench_cli(["bench", "reception", "--fake", "--patients", "4", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert "FAKE" in figures["note"] and "goal" in figures["note"]
    assert figures["receptions"] == 4 and figures["failed_count"] == 0
    assert set(figures["machine_time_s"]) >= {"pin", "face"} and 0 < figures["machine_time_s"]["pin"]["first"] < 10
    choice = figures["first_choice_s"]  # every reception passes the method screen before its done screen
    assert choice["n"] == 4 and 0 < choice["p50"] <= choice["max"] < figures["machine_time_s"]["pin"]["p95"]
    stalls = figures["gui_stall_ms"]
    assert stalls["whole run"]["ticks"] > 0 and {"card read", "PIN", "submit"} <= set(stalls)
    assert figures["run"]["wall_s"] > 0 and figures["run"]["cpu_s_this_process"] > 0


def test_bench_soak_samples_memory_fds_and_threads(capsys: pytest.CaptureFixture[str], qapp: object) -> None:
    assert bench_cli(["bench", "soak", "--fake", "--receptions", "8", "--json"]) == 0
    soak = json.loads(capsys.readouterr().out)["soak"]
    assert soak["rss_mb_start"] > 0 and soak["rss_mb_end"] > 0
    assert soak["fds_start_end"][0] > 0 and soak["threads_start_end"][0] > 0


def test_run_refuses_a_damaged_config(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    bad = Path(str(tmp_path)) / "kiosk.toml"
    bad.write_text("[timeouts]\nsubmit_s = 'soon'\n")
    assert main(["run", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "設定に誤りがあります" in err and "submit_s" in err


def test_a_facility_that_enables_the_2025_items_asks_each(qapp: object) -> None:
    screens = _play("consents-2025")
    for item in ("diagnosis_name", "infectious", "allergy", "other_allergy", "test", "prescription_info"):
        assert f"consent:{item}" in screens, item
    assert screens[-2:] == ["done", "attract"]
