"""Face-path data: thresholds derived by `myna-kiosk face eval`."""
