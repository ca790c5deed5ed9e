from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

# A portrait kiosk panel for the offscreen platform (docs/architecture.md, "The Qt offscreen platform in tests");
# must be set before Qt starts.
_cfg = Path(tempfile.gettempdir()) / "myna-kiosk-offscreen.json"
_cfg.write_text(json.dumps({"screens": [{"name": "kiosk", "x": 0, "y": 0, "width": 800, "height": 1280,
                                         "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}))
if os.environ.get("QT_QPA_PLATFORM", "offscreen").startswith("offscreen"):
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_cfg}"

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def gallery_dir() -> Path:
    folder = REPO / "out" / "gallery"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def catalogue(qapp: object) -> object:
    from ui.application import make_application
    from ui.i18n import Catalogue

    make_application()
    return Catalogue()
