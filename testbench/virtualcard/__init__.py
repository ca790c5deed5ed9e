"""The virtual My Number card: product code used by the demo and the test bench.

It answers APDUs as docs/card-reference.md §11 describes and is served to pcscd through vsmartcard's vpcd.
Its certificates chain to a test PKI that the project generates (O=JPKI-TEST), never to J-LIS.
"""
