"""`python -m toolkit` runs the `jcredit` command."""

from toolkit.cli import main

main()
