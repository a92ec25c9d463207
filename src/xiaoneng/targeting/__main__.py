"""``python -m xiaoneng.targeting``: see cli.py."""

import sys

from xiaoneng.targeting.cli import main

sys.exit(main())
