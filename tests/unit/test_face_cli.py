"""`myna-testbench face …` and `bench face` argument handling (no models loaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from testbench.cli import build_parser, main


def test_face_commands_are_registered() -> None:
    parser = build_parser()
    args = parser.parse_args(["face", "eval", "--json", "--plot", "det.png", "--fixtures", "/x"])
    assert args.json and args.plot == Path("det.png") and args.fixtures == Path("/x")
    args = parser.parse_args(["face", "verify", "--card-front", "f.png", "--video", "v.mp4", "--reader", "R"])
    assert (args.card_front, args.video, args.reader) == (Path("f.png"), Path("v.mp4"), "R")
    assert parser.parse_args(["bench", "face", "--frames", "30"]).frames == 30


def test_verify_needs_both_inputs() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["face", "verify", "--video", "v.mp4"])


def test_eval_without_fixtures_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["face", "eval", "--fixtures", str(tmp_path)]) == 2
    assert "MANIFEST.csv" in capsys.readouterr().err


def test_eval_with_damaged_thresholds_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "t.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["face", "eval", "--fixtures", str(tmp_path), "--thresholds", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "設定に誤りがあります" in err and "config_error" in err
