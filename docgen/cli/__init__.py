"""The command line: the only place, with `serve`, that turns docgen's errors into exit codes."""
