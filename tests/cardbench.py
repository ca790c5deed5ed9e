"""pytest fixtures for the card test bench: pcscd + vpcd (real PC/SC stack) and virtual card profiles.

`pcscd` is session-wide; `profile_dir(variant)` copies a session-made template into the test's tmp dir
(fresh counters for every test); `vcard(variant)` serves it through vpcd, inserted, and removes it after.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drivers.card.service import MyNumberCardService
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


class CardSlot:
    """A reader slot the card tests put a virtual card into: in this process (the fast tier) or through
    pcscd + vpcd (the `vpcd` tier). `service()` is the product's card service wired to that slot."""

    def __init__(self, transport: str, profile_dir: Callable[..., Path], request: pytest.FixtureRequest) -> None:
        self.transport, self._profile_dir, self._request = transport, profile_dir, request
        self._card: object = None

    def insert(self, variant: Variant = Variant.ORDINARY) -> None:
        if self.transport == "vpcd":
            if self._card is not None:
                remove_and_wait(self._card)  # type: ignore[arg-type]
            self._card = self._request.getfixturevalue("vcard")(variant)
        else:
            from testbench.virtualcard.applications import load_card_model
            from testbench.virtualcard.card import VirtualMyNumberCard

            self._card = VirtualMyNumberCard(load_card_model(self._profile_dir(variant)))

    def service(self, **options: object) -> MyNumberCardService:
        if self.transport == "vpcd":
            return MyNumberCardService(**options)  # type: ignore[arg-type]
        from testbench.virtualcard.inprocess import in_process_service

        return in_process_service(self._card, **options)  # type: ignore[arg-type]


@pytest.fixture(params=["in-process", pytest.param("vpcd", marks=pytest.mark.vpcd)])
def card_slot(request: pytest.FixtureRequest, profile_dir: Callable[..., Path]) -> CardSlot:
    return CardSlot(request.param, profile_dir, request)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that starts pcscd belongs to the `vpcd` tier, whether or not its file says so."""
    for item in items:
        if "pcscd" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.vpcd)
