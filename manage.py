#!/usr/bin/env python
"""Django's command-line utility; `resettle` is the same with a few more commands."""

import sys

from resettle.cli import main

if __name__ == "__main__":
    sys.exit(main())
