"""``python -m ui`` runs the ``blinddrill`` command line."""

from ui.cli import main

main()
