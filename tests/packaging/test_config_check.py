"""`myna-kiosk config check`: every problem of a broken file, each on its own line number, and the example
configuration the package installs is valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app.cli import main
from kiosk.app.config_cmds import check_file, check_text, key_lines
from kiosk.config import KioskConfig, load_config

EXAMPLE = Path(__file__).resolve().parents[2] / "packaging" / "config" / "kiosk.toml"


def test_the_example_config_is_valid_and_names_every_key() -> None:
    config, problems = check_file(EXAMPLE)
    assert config is not None and not [p for p in problems if p.severity == "error"]
    assert config == load_config(EXAMPLE)
    lines = key_lines(EXAMPLE.read_text())
    every_key = {f"{section}.{key}" for section, value in vars(KioskConfig()).items() if not isinstance(value, str)
                 for key in vars(value)} | {k for k, v in vars(KioskConfig()).items() if isinstance(v, str)}
    assert every_key <= set(lines), sorted(every_key - set(lines))


@pytest.mark.parametrize(
    ("text", "line", "key", "words"),
    [
        ("facility_code = 1312345678\n", 1, "facility_code", "expected str"),
        ('\n\ndefault_lang = "fr"\n', 3, "default_lang", "must be one of"),
        ("[timeouts]\nnotice_s = 6\nsubmit_s = -1\n", 3, "timeouts.submit_s", "must be positive"),
        ('[timeouts]\nreading_s = "20"\n', 2, "timeouts.reading_s", "expected a number"),
        ('[devices]\nreader = ""\ncamra = "0"\n', 3, "devices.camra", "unknown key"),
        ("[timeout]\nsubmit_s = 1\n", 1, "timeout", "unknown key"),
        ('[consent]\nitems = ["surgery"]\n', 2, "consent.items", "surgery"),
        ('[staff]\npin_hash = "1234"\n', 2, "staff.pin_hash", "staff-pin-hash"),
        ("[face]\n\nmax_attempts = true\n", 3, "face.max_attempts", "expected int"),
        ("[face]\nmax_attempts = 0\n", 2, "face.max_attempts", "at least 1"),
        ('[devices]\nkiosk_id = "a"\nbackend_url = "x\n', 3, "", "not valid TOML"),
        ("[devices]\n[devices]\n", 2, "", "not valid TOML"),
        ("devices = 3\n", 1, "devices", "expected a table"),
    ],
)
def test_each_broken_config_is_a_clear_error_at_its_line(text: str, line: int, key: str, words: str) -> None:
    config, problems = check_text(text)
    assert config is None and len(problems) == 1, problems
    (problem,) = problems
    assert (problem.line, problem.key, problem.severity) == (line, key, "error")
    assert words in problem.message


def test_all_problems_are_reported_not_only_the_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('facility_code = 1\ndefault_lang = "fr"\n[timeouts]\nsubmit_s = -1\nreading_s = "x"\n'
                    '[devices]\ncamra = "0"\n')
    assert main(["config", "check", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": ")[0] for line in err] == [f"{path}:{n}" for n in (1, 2, 4, 5, 7)]


def test_missing_files_warn_and_fail_only_when_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[devices]\nbackend_url = "https://v:8443"\nclient_cert = "{tmp_path}/c.pem"\n'
                    f'client_key = "{tmp_path}/k.pem"\ncamera = "/dev/v4l/by-id/none-video-index0"\n')
    assert main(["config", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}:3: warning [devices.client_cert]" in out and f"{path}:5: warning [devices.camera]" in out
    assert main(["config", "check", "--strict", str(path)]) == 1
    assert main(["config", "check", str(tmp_path / "none.toml")]) == 1
    assert "file not found" in capsys.readouterr().err


def test_mtls_needs_both_files_and_https(tmp_path: Path) -> None:
    (tmp_path / "c.pem").write_text("x")
    _, problems = check_text(f'[devices]\nclient_cert = "{tmp_path}/c.pem"\n')
    path = tmp_path / "k.toml"
    path.write_text(f'[devices]\nbackend_url = "http://v"\nclient_cert = "{tmp_path}/c.pem"\n')
    config, problems = check_file(path)
    assert config is None
    assert {p.key for p in problems if p.severity == "error"} == {"devices.client_cert", "devices.backend_url"}
