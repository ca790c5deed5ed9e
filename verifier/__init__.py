"""Reference verifier: the kiosk's counterpart (challenges, exactly-once results, JPKI checks, face XML).

Independent of the kiosk packages; it shares only assets/schema/reception-result-v1.json. See README.md.
"""
