"""`python -m verifier` is `myna-verifier`."""

from verifier.cli import main

raise SystemExit(main())
