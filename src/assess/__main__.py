"""``python -m assess``: the command line."""

from assess.cli import main

raise SystemExit(main())
