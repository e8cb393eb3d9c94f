import sys

from tests.rehearsal.run import main

sys.exit(main())
