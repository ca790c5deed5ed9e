"""`python -m testbench` is `myna-testbench`."""

from testbench.cli import main

raise SystemExit(main())
