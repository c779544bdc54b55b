"""The command line's own layer under typer: its help pages, usage lines and usage
errors in Chinese (`chinese`)."""
