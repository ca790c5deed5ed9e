from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import KNOWN_CONSENT_SCREENS, KioskConfig, load_config
from kiosk.consent import load_catalogue, parse_consent
from kiosk.errors import ConfigError


def test_empty_file_is_the_default(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("")
    assert load_config(path) == KioskConfig()


def test_full_file(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        'facility_code = "1312345678"\ndefault_lang = "en"\n[timeouts]\nsubmit_s = 8\n'
        '[consent]\ncomprehensive = false\nitems = ["diagnosis", "prescription_form"]\n'
        '[staff]\npin_hash = "scrypt$1024$8$1$YQ==$YQ=="\nmax_failures = 3\n'
    )
    config = load_config(path)
    assert config.timeouts.submit_s == 8.0 and config.consent.items == ("diagnosis", "prescription_form")
    assert config.staff.max_failures == 3 and config.default_lang == "en"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("facility_code = ", "not valid TOML"),
        ("[timeouts]\nsubmit_s = 'x'", "expected a number"),
        ("[timeouts]\nsubmit_s = -1", "must be positive"),
        ("[timeout]\nsubmit_s = 1", "unknown key"),
        ("default_lang = 'fr'", "default_lang"),
        ("[consent]\nitems = ['surgery']", "unknown item"),
        ("[staff]\npin_hash = '1234'", "pin_hash"),
        ("[face]\nmax_attempts = true", "expected int"),
    ],
)
def test_damaged_files_give_a_clear_config_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert message in str(info.value) and str(path) in str(info.value)


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError):
        load_config(tmp_path / "bin.toml")


def test_catalogue_has_every_screen_with_id_version_and_hash() -> None:
    catalogue = load_catalogue()
    assert set(catalogue.items) == set(KNOWN_CONSENT_SCREENS)
    for item in catalogue.items.values():
        assert item.version and len(item.sha256("ja")) == 64 and item.text("ja")
        assert item.sha256("ja") != item.sha256("en")
    assert catalogue.get("comprehensive").lang_shown("zh") == "ja"  # no Chinese text: shown in Japanese


def test_changed_text_changes_the_hash() -> None:
    raw = 'id = "x"\nversion = "1"\nkind = "agree"\n[title]\nja = "t"\n[text]\nja = "a"\n'
    a = parse_consent("x", raw)
    b = parse_consent("x", raw.replace('ja = "a"', 'ja = "b"'))
    assert a.sha256("ja") != b.sha256("ja")
    with pytest.raises(ConfigError):
        parse_consent("x", raw.replace('kind = "agree"', 'kind = "vote"'))
    with pytest.raises(ConfigError):
        parse_consent("y", raw)
    with pytest.raises(ConfigError):
        parse_consent("x", "id = ")


def test_the_submit_deadline_must_exceed_the_delivery_waits() -> None:
    from kiosk.config import config_from_mapping

    with pytest.raises(ConfigError, match="submit_s"):
        config_from_mapping({"timeouts": {"submit_s": 5.0}, "delivery": {"answer_wait_s": 3.0}})
    config = config_from_mapping({"delivery": {"pin_proofs": True, "disk_reserve_mb": 16}})
    assert config.delivery.pin_proofs and config.timeouts.submit_s > config.delivery.answer_wait_s
