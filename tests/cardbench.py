"""pytest fixtures for the card test bench: pcscd + vpcd (real PC/SC stack) and virtual card profiles.

`pcscd` is session-wide; `profile_dir(variant)` copies a session-made template into the test's tmp dir
(fresh counters for every test); `vcard(variant)` serves it through vpcd, inserted, and removes it after.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from testbench.virtualcard.profile import Variant, make_profile
from testbench.virtualcard.serving import Pcscd, remove_and_wait, serve_profile, start_pcscd
from testbench.virtualcard.vpcd import VpcdCard

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"
PORTRAIT = FIXTURES / "faces" / "face_recognition" / "obama.jpg"


@pytest.fixture(scope="session")
def pcscd() -> Iterator[Pcscd]:
    daemon = start_pcscd()
    yield daemon
    daemon.stop()


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pki")


@pytest.fixture(scope="session")
def _profile_templates(tmp_path_factory: pytest.TempPathFactory, test_pki: Path) -> Callable[[Variant], Path]:
    made: dict[Variant, Path] = {}

    def template(variant: Variant) -> Path:
        if variant not in made:
            from PIL import Image

            photo = Image.open(PORTRAIT) if PORTRAIT.exists() else None
            made[variant] = make_profile(tmp_path_factory.mktemp(f"profile-{variant.value}"), test_pki, variant,
                                         photo=photo, seed=list(Variant).index(variant))
        return made[variant]

    return template


@pytest.fixture
def profile_dir(tmp_path: Path, _profile_templates: Callable[[Variant], Path]) -> Callable[..., Path]:
    def copy(variant: Variant = Variant.ORDINARY) -> Path:
        target = tmp_path / f"card-{variant.value}"
        if not target.exists():
            shutil.copytree(_profile_templates(variant), target)
        return target

    return copy


@pytest.fixture
def vcard(pcscd: Pcscd, profile_dir: Callable[..., Path]) -> Iterator[Callable[..., VpcdCard]]:
    served: list[VpcdCard] = []

    def serve(variant: Variant = Variant.ORDINARY, *, insert: bool = True) -> VpcdCard:
        card = serve_profile(profile_dir(variant), port=pcscd.port, insert=insert)
        served.append(card)
        return card

    yield serve
    for card in served:
        if card.inserted:
            remove_and_wait(card)
