"""マイナ受付 kiosk: the Qt-free core (domain types, ports, errors, the reception flow)."""

from __future__ import annotations

__version__ = "0.1.0"
