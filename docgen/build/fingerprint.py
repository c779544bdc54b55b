"""Input hashes of rendered files: what a file's bytes depend on.

A single form depends on the unit's header fields, its own project, its place in
the file (the 序号), its template, the form registry and docgen's own code (and its
kind's data of the whole unit, if the kind has any); a unit's document (the
departmental one) and the book depend on the whole unit and on every template
they bind, and on whether LibreOffice laid out their contents pages (a Word form too:
laid out, its indicator tables name their labels again after a page break).  Two renders
with equal input hashes write equal bytes, which is what lets a re-render skip
unchanged files without rendering them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from docgen.build.record import digest, sha256
from docgen.forms import form_kinds
from docgen.model import parts
from docgen.model.unit import Unit
from docgen.registry.manifest import FormVersion, Registry
from docgen.version import __version__

_PACKAGE = Path(__file__).resolve().parents[1]  # the docgen package


@lru_cache(maxsize=1)
def code_hash() -> str:
    """docgen's version and source: a renderer change must re-render even when the
    version number did not move (as it does not between development commits)."""
    sources = sorted(_PACKAGE.rglob("*.py"))
    return digest(__version__, [(str(p.relative_to(_PACKAGE)), sha256(p.read_bytes())) for p in sources])


class Fingerprints:
    def __init__(self, registry: Registry, unit: Unit, laid_out: bool) -> None:
        self.unit = unit
        self.laid_out = laid_out
        self._files: dict[Path, str] = {}
        self._projects: dict[int, Any] = {}
        self.common = (code_hash(), self._file(registry.root / "manifest.yaml"))
        self._unit_part = {kind.name: kind.unit_part for kind in form_kinds(registry)}  # (installs their fragments)
        # the kinds' data of the whole unit (`department_goals`), apart from its header
        self.parts = {name: self._dump(unit.part(name)) for name in parts.unit_fields()}
        self.header = unit.model_dump(mode="json", exclude={"projects", *self.parts})

    @staticmethod
    def _dump(part: Any) -> Any:
        return part.model_dump(mode="json") if part is not None else None

    def _file(self, path: Path) -> str:
        if path not in self._files:
            try:
                self._files[path] = sha256(path.read_bytes())
            except OSError:
                self._files[path] = "missing"  # rendering will report the template itself
        return self._files[path]

    def _project(self, index: int) -> Any:
        # Each project feeds several files (.docx, .xlsx, the book): dump it once.
        if index not in self._projects:
            self._projects[index] = self.unit.projects[index].model_dump(mode="json")
        return self._projects[index]

    def form(self, index: int, version: FormVersion, template: Path) -> str:
        # A Word form laid out by LibreOffice names its labels again after a page break.
        laid_out = ("laid-out",) if self.laid_out and template.suffix == ".docx" else ()
        own = self.parts.get(self._unit_part.get(version.kind, ""))
        files = (self._file(template), *laid_out)
        return digest("form", self.common, self.header, own, index, self._project(index), version.kind, version.version, *files)

    def whole(self, what: str, indexes: list[int], templates: list[Path], extra: Any = None) -> str:
        """A document spanning the chosen projects (departmental document, book)."""
        projects = [self._project(i) for i in indexes]
        files = [self._file(t) for t in templates]
        return digest(what, self.common, self.header, self.parts, indexes, projects, files, self.laid_out, extra)
