"""`python -m app` is `packline`."""

import sys

from app.cli.main import main

sys.exit(main())
