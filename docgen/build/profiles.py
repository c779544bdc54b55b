"""`docgen profiles new`: a copy of a rule profile written as a file to edit."""

from __future__ import annotations

import os
from pathlib import Path

from docgen.build.output import write_atomic
from docgen.registry.profiles.store import Profile, check_name, profile_yaml


class ProfileExists(Exception):
    """`docgen profiles new` refuses to overwrite a file (exit 3)."""

    def __init__(self, target: Path):
        super().__init__(str(target))
        self.target = target


def new_profile(name: str, source: Profile, folder: Path) -> Path:
    """Write `folder/<name>.yaml`, a copy of `source` to edit: atomically (a temporary file
    in the same folder, linked into place, so an existing file is never replaced) with
    the mode a plain write gives; the text read back must be a valid profile."""
    target = folder / f"{check_name(name)}.yaml"
    if target.exists():
        raise ProfileExists(target)
    text = profile_yaml(name, source, folder)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".{name}.yaml.new"
    write_atomic(staging, text.encode("utf-8"))
    try:
        os.link(staging, target)  # fails if the target appeared meanwhile: never overwrites
    except FileExistsError:
        raise ProfileExists(target) from None
    finally:
        staging.unlink(missing_ok=True)
    return target
