"""One module per ``blinddrill`` subcommand; each exposes a click command."""
