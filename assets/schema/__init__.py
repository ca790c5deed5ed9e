"""The published JSON Schemas (the one thing the kiosk and the verifier share)."""
