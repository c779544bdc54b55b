"""`python -m docgen …` (on Windows `py -m docgen …`): the `docgen` command, for when
its script is not on the PATH."""

from docgen.cli.app import main

if __name__ == "__main__":
    main()
