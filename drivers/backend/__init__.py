"""The kiosk's side of the verification backend: device key, durable outbox, HTTP client, delivery, and
`VerifierReceptionBackend` (kiosk.ports.ReceptionBackend). Only `drivers.backend.http` imports requests."""
