"""Composition root: the only place that wires kiosk ports to drivers and the ui."""
