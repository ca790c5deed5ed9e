from __future__ import annotations

import os

# Qt aborts the whole run without a display unless told to draw offscreen; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.cardbench"]
