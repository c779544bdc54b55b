"""Stage 3: a unit validated, every project's forms checked (and scored), as one `Checked`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import InputError, Problem, RegistryError
from docgen.forms import FormKind, form_kinds
from docgen.forms.rules import check_codes, check_name_characters, check_names, check_text_lengths
from docgen.model.amounts import in_unit
from docgen.model.findings import FieldPath, Finding, Report, Severity, count
from docgen.model.unit import Project, Unit
from docgen.model.validate import validate
from docgen.parse.text import LoadedFile
from docgen.registry.manifest import FormVersion, Registry, default_registry
from docgen.registry.profiles.store import Profile, UnknownProfile, env_folders, user_profiles


@dataclass
class Checked:
    """A validated unit: one report per project and form, in file order (per project:
    its departmental table, its declaration, its self-evaluation), and the findings of
    the rules across projects (项目编码)."""

    path: Path
    source: LoadedFile  # keeps the line numbers for findings
    unit: Unit
    reports: list[Report]
    unit_findings: list[Finding] = field(default_factory=list)
    documents: dict[str, FormVersion] = field(default_factory=dict)  # document kinds the unit makes -> version

    def of_kind(self, kind: str) -> list[Report]:
        return [r for r in self.reports if r.kind == kind]

    @property
    def skipped(self) -> list[str]:
        """Projects no form kind applies to: no form can be made."""
        kinds = form_kinds()
        return [p.name for p in self.unit.projects if not any(k.applies(p) for k in kinds)]

    @property
    def findings(self) -> list[Finding]:
        """Every finding once: a slip two forms of a project share (a typo in a 一级指标
        both the 申报表 and the 自评表 check) is one mistake, reported once."""
        return list(dict.fromkeys([f for r in self.reports for f in r.findings] + self.unit_findings))

    def project_findings(self, index: int) -> list[Finding]:
        """The findings of project `index`: its forms', and the rules across projects that point at it."""
        own = [f for r in self.reports if r.index == index for f in r.findings]
        return list(dict.fromkeys(own + [f for f in self.unit_findings if f.path[:2] == ("projects", index)]))

    @property
    def errors(self) -> int:
        return count(self.findings, Severity.ERROR)

    @property
    def warnings(self) -> int:
        return count(self.findings, Severity.WARNING)


def _resolve(registry: Registry, kind: str, version: str | None, where: FieldPath, source: LoadedFile, context: str = "") -> FormVersion:
    try:
        return registry.version(kind, version)
    except RegistryError as exc:
        raise InputError(source.path, [Problem(where, exc.text, line=source.line_of(where), context=context)]) from exc


def _documents(registry: Registry, unit: Unit, source: LoadedFile) -> dict[str, FormVersion]:
    """The version of each document kind the unit makes (chosen for the whole unit)."""
    kinds = [k for k in form_kinds(registry) if k.unit_scope and k.applies_to_unit(unit)]
    return {k.name: _resolve(registry, k.name, unit.forms.get(k.name), ("forms", k.name), source) for k in kinds}


def _project_version(registry: Registry, unit: Unit, index: int, kind: FormKind, source: LoadedFile) -> FormVersion:
    project = unit.projects[index]
    where = ("projects", index, "forms", kind.name) if (project.forms or {}).get(kind.name) else ("forms", kind.name)
    return _resolve(registry, kind.name, unit.version_of(project, kind.name), where, source, f"项目「{project.name}」")


def _check_labels(unit: Unit, forms: list[tuple[int, FormKind, FormVersion]], source: LoadedFile) -> None:
    """Every `labels:` name a unit or project sets is one its forms' versions print
    (`labels:` of the version in templates/manifest.yaml); a project's own names only
    for its own forms (a whole-unit document takes the unit's)."""
    problems = []
    owners: list[tuple[int | None, Project | None]] = [(None, None), *enumerate(unit.projects)]
    for index, project in owners:
        own = unit.labels if project is None else project.labels
        versions = list({(v.kind, v.version): v for i, _, v in forms if project is None or (i == index and v.scope == "project")}.values())
        known = sorted({name for v in versions for name in (v.labels or {})})
        for name in own:
            if name not in known:
                where: FieldPath = ("labels", name) if project is None else ("projects", index, "labels", name)  # type: ignore[assignment]
                forms_text = "、".join(sorted(f"{v.title} {v.version}" for v in versions)) or "（无表单）"
                text = f"未知的标签名「{name}」；{forms_text} 可改写的标签：{'、'.join(known) or '（无）'}"
                context = f"项目「{project.name}」" if project is not None else ""
                problems.append(Problem(where, text, line=source.line_of(where), context=context))
    if problems:
        raise InputError(source.path, problems)


def profile_folders(path: Path, extra: tuple[Path, ...] = ()) -> list[Path]:
    """Where a unit file's own rule profiles are looked for: `--profiles DIR` (`extra`),
    `$DOCGEN_PROFILES`, then the `profiles/` folder beside the file."""
    return [*extra, *env_folders(), Path(path).parent / "profiles"]


def known_profiles(registry: Registry, folders: list[Path]) -> dict[str, Profile]:
    """The shipped profiles and the user profiles in `folders` (each file checked)."""
    return {**registry.profiles, **user_profiles(folders, registry.profiles)}


def _with_profile(version: FormVersion, unit: Unit, index: int, profiles: dict[str, Profile], source: LoadedFile, override: str | None) -> FormVersion:
    """`version` scoring by the profile the project names (else the unit, else the version;
    `override`: `docgen score --profile`, above all of them)."""
    if version.profile is None:
        return version
    project = unit.projects[index]
    where: FieldPath = ("projects", index, "profile") if project.profile else ("profile",)
    name = override or project.profile or unit.profile
    if name is None or name == version.profile.name:
        return version
    if name not in profiles:
        text = f"没有评分规则「{name}」；可用的规则：{'、'.join(profiles)}（docgen profiles 列出；自己的规则放在单位文件旁的 profiles/ 文件夹中）"
        if override:
            raise UnknownProfile(text)
        raise InputError(source.path, [Problem(where, text, line=source.line_of(where), context=f"项目「{project.name}」" if project.profile else "")])
    return dataclasses.replace(version, profile=profiles[name])


def check_source(source: LoadedFile, registry: Registry | None = None, profile_dirs: tuple[Path, ...] = (), profile: str | None = None) -> Checked:
    """Validate loaded data, then check (and score) every project's forms; raises
    `InputError` for unusable input (including a form version that is not registered, or
    a rule profile that does not exist or is wrong). `profile` scores every 自评表 by
    that profile instead (`docgen score --profile`)."""
    registry = registry or default_registry()
    kinds = form_kinds(registry)  # their fragments are the unit model's parts
    unit = validate(source)
    profiles = known_profiles(registry, profile_folders(source.path, profile_dirs))
    documents = _documents(registry, unit, source)
    forms = [
        (index, kind, documents[kind.name] if kind.unit_scope else _project_version(registry, unit, index, kind, source))
        for index, project in enumerate(unit.projects)
        for kind in kinds
        if kind.applies(project)
    ]
    forms = [(index, kind, _with_profile(version, unit, index, profiles, source, profile)) for index, kind, version in forms]
    _check_labels(unit, forms, source)
    # Every form of the unit prints amounts in one unit (all registered versions say 元):
    # a file kept in 万元 is converted to it exactly before anything is checked or rendered.
    printed = {v.amount_unit for _, _, v in forms if v.amount_unit}
    unit = in_unit(unit, printed.pop() if len(printed) == 1 else None)
    reports = [kind.checks.check(unit, index, version) for index, kind, version in forms]
    return Checked(
        path=source.path,
        source=source,
        unit=unit,
        reports=reports,
        unit_findings=check_names(unit) + check_codes(unit) + check_text_lengths(unit) + check_name_characters(unit),
        documents=documents,
    )
