"""What a form kind provides, as small capabilities it lists in its registration.

A kind is a `FormKind`: its identity (name, the words a clerk uses), its model fragment,
its checks, and each capability it has, a small frozen dataclass of functions; a
capability it lacks is None, and the rest of docgen asks `kind.reader is None` rather
than calling something that fails.  `docgen/forms/<kind>/kind.py` builds its `KIND`;
`docgen.forms.form_kinds()` finds the kinds the manifest registers and fills in what the
manifest says of them (their scope: a form per project, or one document for the unit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from docgen.model.parts import Fragment

if TYPE_CHECKING:
    from docgen.model.findings import Report
    from docgen.model.unit import Project, Unit
    from docgen.registry.manifest import FormVersion
    from docgen.render.office import Office

Change = tuple[str, str, str]  # (label, old, new), as `docgen diff` prints them
Context = dict[str, Any]


@dataclass(frozen=True)
class Checks:
    """A project's form checked (and, for a kind that scores, scored) by `version`'s rules."""

    check: Callable[[Unit, int, FormVersion], Report]


@dataclass(frozen=True)
class ProjectContext:
    """The render context of a project's form; `examples`: contexts for `version`'s templates
    from an example unit's reports (`docgen templates check`), by default `context` of each."""

    context: Callable[[Unit, Report], Context]
    examples: Callable[[Unit, list[Report], FormVersion], list[Context]] | None = None

    def example_contexts(self, unit: Unit, reports: list[Report], version: FormVersion) -> list[Context]:
        return self.examples(unit, reports, version) if self.examples is not None else [self.context(unit, r) for r in reports]


@dataclass(frozen=True)
class Document:
    """A unit-scope kind's one Word document for the unit (its projects' tables inside it)
    and its workbook of one sheet per project."""

    sheets: Callable[[Unit, FormVersion, list[int]], list[Context]]  # one sheet context per project of `indexes`
    context: Callable[[Unit, FormVersion, list[Context]], Context]  # the Word context around the project contexts
    docx: Callable[[Unit, FormVersion, list[int], datetime, list[int] | None, int], bytes]  # for the book: contents at `pages`
    render: Callable[[Unit, FormVersion, list[int], datetime, Office | None], bytes]  # the document itself
    examples: Callable[[Unit, list[Report], FormVersion], list[Context]]  # `templates check`'s project contexts
    first_sheet: Callable[[Unit, FormVersion], tuple[str, list[str]] | None] = lambda unit, version: None  # text before the tables


@dataclass(frozen=True)
class BookRow:
    """The form's cells in the book's 汇总 row (any of funds, executed, rate, score, grade,
    category), the words of its 表单 column, what its money column holds, and its cells in
    the review workbook's 项目 row (by default the summary's)."""

    summary: Callable[[Report], dict[str, Any]] = lambda report: {}
    form: Callable[[Report], str] | None = None  # default: the version's kind title
    money_label: str = "年度资金"
    review: Callable[[Report], dict[str, Any]] | None = None

    def form_words(self, report: Report) -> str:
        return self.form(report) if self.form is not None else report.version.title

    def review_cells(self, report: Report) -> dict[str, Any]:
        return self.review(report) if self.review is not None else self.summary(report)


DEFAULT_MONEY_LABEL = BookRow.money_label


@dataclass(frozen=True)
class Scores:
    """A kind that scores: `docgen score` (JSON and lines), and what a correction did to the
    project's and an indicator's scores (`docgen diff`)."""

    json: Callable[[Report], dict[str, Any]]
    text: Callable[[Report], list[str]]
    changes: Callable[[Report | None, Report | None], list[Change]]
    indicator_changes: Callable[[Report | None, Report | None, int | None, int | None], list[Change]]


@dataclass(frozen=True)
class UnitSheet:
    """A data-entry workbook sheet of the unit's own data (the unit part of the kind's
    fragment): its name, its headers and rows for a unit, and its rows read back (each:
    its first cell, then its values) as the part's data, the cell of each value, `Problem`s."""

    name: str
    rows: Callable[[Unit], tuple[tuple[str, ...], list[tuple[Any, ...]]]]
    read: Callable[[list[tuple[Any, ...]]], tuple[Any, dict[tuple[Any, ...], str], list[Any]]]


@dataclass(frozen=True)
class Workbook:
    """The kind in the data-entry workbook: the 项目 sheet's column that says a project gets
    the form (是), the columns of its project part (`entrybook.columns.Column`), the
    indicator fields its forms print beyond the levels and the target, and a sheet of the
    unit's data."""

    flag: str
    columns: tuple[Any, ...] = ()
    indicator_columns: tuple[Any, ...] = ()  # the columns of the indicator fields its fragment adds
    sheet: UnitSheet | None = None

    @property
    def indicator_fields(self) -> tuple[str, ...]:
        return tuple(column.path[0] for column in self.indicator_columns)


@dataclass(frozen=True)
class Reader:
    """A printed form (`importing.grid.FormText`) read back as a project record
    (`importing.found.Found`); `prune` drops from an imported project the values the rules
    computed (they are not declared data), keeping those that differ."""

    read: Callable[[Any, FormVersion], Any]
    prune: Callable[[dict[str, Any], Report], None] | None = None


@dataclass(frozen=True)
class FormKind:
    """A form kind's registration: what it is and which capabilities it has."""

    name: str  # the key in templates/manifest.yaml `kinds:` and in a unit's `forms:`
    short_title: str  # what a clerk calls the form: 自评表
    fragment: Fragment  # its data: the project's (and unit's) part
    checks: Checks
    count_label: str = ""  # the CLI's count line: 「申报表 N 份」
    count_word: str = "份"
    # The indicator field its form prints as the 年度指标值: a 申报表 its declared `target`, a
    # 自评表 its own `evaluated_target` where it differs (`docgen import --merge` writes each back).
    target_field: str = "target"
    context: ProjectContext | None = None  # a form per project (scope project)
    document: Document | None = None  # one document for the unit (scope unit)
    book: BookRow = field(default_factory=BookRow)
    table: Callable[[list[Report]], list[tuple[str, ...]]] | None = None  # the CLI's table after a render or check (header first)
    scores: Scores | None = None
    workbook: Workbook | None = None
    reader: Reader | None = None
    scope: str = "project"  # the manifest's `scope:` of the kind's default version ("unit": `document`)

    @property
    def part(self) -> str:
        """The project field that holds this kind's data."""
        return self.fragment.project.field

    @property
    def unit_scope(self) -> bool:
        """One document for the whole unit (its Word file loops over the projects, its
        workbook has a sheet per project) instead of one file per project."""
        return self.scope == "unit"

    def applies(self, project: Project) -> bool:
        """Does the project carry this kind's part (so gets this form)?"""
        return project.part(self.part) is not None

    def applies_to_unit(self, unit: Unit) -> bool:
        """A unit-scope kind: does the unit make the document at all (its unit part, or a project's)?"""
        own = self.fragment.unit
        return (own is not None and unit.part(own.field) is not None) or any(self.applies(p) for p in unit.projects)

    @property
    def unit_part(self) -> str:
        """The unit field that holds this kind's data of the whole unit ("": none)."""
        return self.fragment.unit.field if self.fragment.unit is not None else ""

    @property
    def workbook_flag(self) -> str:
        return self.workbook.flag if self.workbook is not None else ""

    @property
    def unit_sheet(self) -> UnitSheet | None:
        return self.workbook.sheet if self.workbook is not None else None

    def workbook_columns(self) -> tuple[Any, ...]:
        return self.workbook.columns if self.workbook is not None else ()

    def indicator_fields(self) -> tuple[str, ...]:
        return self.workbook.indicator_fields if self.workbook is not None else ()
