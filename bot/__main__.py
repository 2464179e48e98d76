"""`python -m bot` is the `relais` command."""

from bot.cli import main

raise SystemExit(main())
