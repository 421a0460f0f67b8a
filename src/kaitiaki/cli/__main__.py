"""`python -m kaitiaki.cli`: the same as the `kaitiaki` command."""

from kaitiaki.cli import main

main()
