"""The library behind every CLI command: load -> validate -> score/check -> render -> write."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .checks import ProjectReport, check_unit
from .context import selfeval_context
from .loader import LoadedFile, load_file
from .models import Unit
from .output import safe_name, write_all
from .registry import FormVersion, Registry, default_registry
from .render.docx import render_docx
from .render.xlsx import render_xlsx
from .validate import validate

DEFAULT_OUTPUT = Path("output")


@dataclass
class Checked:
    """A validated unit with every evaluated project scored and checked."""

    path: Path
    source: LoadedFile  # keeps the line numbers for findings
    unit: Unit
    version: FormVersion
    reports: list[ProjectReport]

    @property
    def skipped(self) -> list[str]:
        """Projects with no evaluation yet: no 自评表 can be made for them."""
        return [p.name for p in self.unit.projects if p.evaluation is None]

    @property
    def errors(self) -> int:
        return sum(1 for r in self.reports for f in r.findings if f.severity.value == "error")


@dataclass
class Rendered(Checked):
    files: list[Path] = field(default_factory=list)


def check_file(path: str | Path, registry: Registry | None = None) -> Checked:
    path = Path(path)
    source = load_file(path)
    unit = validate(source)
    version = (registry or default_registry()).version("selfeval")
    return Checked(path=path, source=source, unit=unit, version=version, reports=check_unit(unit, version.profile))


def output_dir(unit: Unit, base: Path = DEFAULT_OUTPUT) -> Path:
    return Path(base) / safe_name(unit.unit) / str(unit.year)


def render_file(path: str | Path, out_dir: str | Path | None = None, registry: Registry | None = None) -> Rendered:
    """Render one .docx and one .xlsx per evaluated project; nothing is written unless all render."""
    checked = check_file(path, registry)
    unit, version = checked.unit, checked.version
    target = Path(out_dir) / safe_name(unit.unit) / str(unit.year) if out_dir else output_dir(unit)
    stamp = datetime(unit.year, 12, 31)
    files: dict[Path, bytes] = {}
    width = len(str(len(unit.projects)))
    for report in checked.reports:
        context = selfeval_context(unit, report, version)
        stem = f"{report.index + 1:0{width}d}-{safe_name(report.score.project.name)}-{version.kind_title}"
        files[target / f"{stem}.docx"] = render_docx(version.docx, context, stamp)
        files[target / f"{stem}.xlsx"] = render_xlsx(version.xlsx, context, stamp)
    return Rendered(**vars(checked), files=write_all(files))
