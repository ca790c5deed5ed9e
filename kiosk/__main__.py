from __future__ import annotations

from kiosk.app.cli import main

raise SystemExit(main())
