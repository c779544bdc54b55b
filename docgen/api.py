"""The library behind every CLI command: load -> validate -> score/check -> render -> write."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .checks import Finding, ProjectReport, Severity, check_amount_unit, evaluate_project
from .context import selfeval_context, target_context
from .errors import InputError, Problem, RegistryError
from .loader import LoadedFile, load_file
from .models import Project, Unit
from .output import safe_name, write_all
from .registry import FormVersion, Registry, default_registry
from .render.docx import render_docx
from .render.xlsx import render_xlsx
from .target_checks import TargetReport, check_declaration
from .validate import validate

DEFAULT_OUTPUT = Path("output")


@dataclass
class Checked:
    """A validated unit: every evaluated project scored and checked (`reports`, the
    自评表) and every declared project checked (`targets`, the 申报表)."""

    path: Path
    source: LoadedFile  # keeps the line numbers for findings
    unit: Unit
    reports: list[ProjectReport]
    targets: list[TargetReport] = field(default_factory=list)

    @property
    def skipped(self) -> list[str]:
        """Projects with neither a declaration nor an evaluation: no form can be made."""
        return [p.name for p in self.unit.projects if p.evaluation is None and p.declaration is None]

    @property
    def findings(self) -> list[Finding]:
        """All findings in file order: by project, its declaration before its evaluation."""
        ordered = sorted([*self.targets, *self.reports], key=lambda r: r.index)
        return [f for r in ordered for f in r.findings]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)


@dataclass
class Rendered(Checked):
    files: list[Path] = field(default_factory=list)


def _version(registry: Registry, unit: Unit, project: Project, index: int, kind: str, source: LoadedFile) -> FormVersion:
    try:
        return registry.version(kind, unit.version_of(project, kind))
    except RegistryError as exc:
        where = ("projects", index, "forms", kind) if (project.forms or {}).get(kind) else ("forms", kind)
        raise InputError(source.path, [Problem(where, exc.text, line=source.line_of(where), context=f"项目「{project.name}」")]) from exc


def check_file(path: str | Path, registry: Registry | None = None) -> Checked:
    """Load, validate, score and check; raises `InputError` for unusable input."""
    path = Path(path)
    registry = registry or default_registry()
    source = load_file(path)
    unit = validate(source)
    reports, targets = [], []
    for index, project in enumerate(unit.projects):
        if project.declaration is not None:
            version = _version(registry, unit, project, index, "target", source)
            findings = tuple(check_amount_unit(unit, index, version) + check_declaration(project, index, unit, version))
            targets.append(TargetReport(index=index, project=project, version=version, findings=findings))
        if project.evaluation is not None:
            version = _version(registry, unit, project, index, "selfeval", source)
            assert version.profile is not None, "selfeval versions score by a profile"
            reports.append(evaluate_project(unit, index, version.profile, version))
    return Checked(path=path, source=source, unit=unit, reports=reports, targets=targets)


def output_dir(unit: Unit, base: Path = DEFAULT_OUTPUT) -> Path:
    return Path(base) / safe_name(unit.unit) / str(unit.year)


def render_file(path: str | Path, out_dir: str | Path | None = None, registry: Registry | None = None) -> Rendered:
    """Render one .docx and one .xlsx per evaluated project; nothing is written unless all render."""
    checked = check_file(path, registry)
    unit = checked.unit
    folder = output_dir(unit, Path(out_dir) if out_dir else DEFAULT_OUTPUT)
    stamp = datetime(unit.year, 12, 31)
    width = len(str(len(unit.projects)))
    jobs = [(t.index, t.project, t.version, target_context(unit, t.project, t.version)) for t in checked.targets]
    jobs += [(r.index, r.score.project, r.version, selfeval_context(unit, r, r.version)) for r in checked.reports]
    files: dict[Path, bytes] = {}
    for index, project, version, context in sorted(jobs, key=lambda job: job[0]):
        stem = f"{index + 1:0{width}d}-{safe_name(project.name)}-{version.kind_title}"
        files[folder / f"{stem}.docx"] = render_docx(version.docx, context, stamp)
        files[folder / f"{stem}.xlsx"] = render_xlsx(version.xlsx, context, stamp)
    return Rendered(**vars(checked), files=write_all(files))
