"""``python -m sim``: see :mod:`sim.comparison`."""

import sys

from sim.comparison import main

if __name__ == "__main__":
    sys.exit(main())
