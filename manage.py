#!/usr/bin/env python
"""Django's command-line utility; the same as the `torelik` console command."""

from torelik.__main__ import main

if __name__ == "__main__":
    main()
