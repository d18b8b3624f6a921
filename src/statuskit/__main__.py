"""`python -m statuskit` runs the command line."""

import sys

from statuskit.cli import main

sys.exit(main())
