"""Form kinds: everything particular to one kind of form lives in its package here.

`docgen/forms/<kind>/` holds the kind's model fragment (`model.py`, the part of a
project or unit record only this kind reads), its checks (and scoring), its render
context, and `kind.py`: a `FormKind` that tells the rest of docgen what the kind adds
to the book's summary sheet, the CLI's tables, `docgen diff` and `templates check`.
The registry of kinds is `form_kinds()`; `templates/manifest.yaml` registers the
versions (templates and rules) of each kind, and every kind it names must be here.

Importing this package is cheap on purpose: `docgen.model.unit` imports the model
fragments, so the kinds (which import the models) are loaded on first use.
"""

from __future__ import annotations

import importlib
import importlib.util
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docgen.model.findings import Report
    from docgen.model.unit import Project, Unit
    from docgen.registry.manifest import FormVersion
    from docgen.render.office import Office

# The kinds in the order a project's forms come: its departmental table, its
# declaration (before the year), its self-evaluation (after it).
_PACKAGES = ("dept", "target", "selfeval")

Change = tuple[str, str, str]  # (label, old, new), as `docgen diff` prints them


class FormKind:
    """What a form kind provides.  Subclasses set the class attributes and override the
    methods their kind needs; the defaults describe a kind that only lists indicators."""

    name: str = ""  # the key in templates/manifest.yaml `kinds:` and in a unit's `forms:`
    short_title: str = ""  # what a clerk calls the form: 自评表
    count_label: str = ""  # the CLI's count line: 「申报表 N 份」
    count_word: str = "份"
    # True: one document for the whole unit (its Word file loops over the projects, its
    # workbook has a sheet per project) instead of one file per project.
    document: bool = False
    part: str = ""  # the project's field that holds this kind's data (declaration, evaluation, budget)
    # The indicator field its form prints as the 年度指标值: a 申报表 its declared `target`, a
    # 自评表 its own `evaluated_target` where it differs (`docgen import --merge` writes each back).
    target_field: str = "target"

    def applies(self, project: Project) -> bool:
        """Does the project carry this kind's data (so gets this form)?"""
        raise NotImplementedError

    def applies_to_unit(self, unit: Unit) -> bool:
        """A document kind: does the unit make the document at all?"""
        return any(self.applies(p) for p in unit.projects)

    def check(self, unit: Unit, index: int, version: FormVersion) -> Report:
        raise NotImplementedError

    def context(self, unit: Unit, report: Report) -> dict[str, Any]:
        """The render context of a project's form (for a document kind: its sheet)."""
        raise NotImplementedError

    def example_contexts(self, unit: Unit, reports: list[Report], version: FormVersion) -> list[dict[str, Any]]:
        """Contexts for `version`'s templates from example data (`docgen templates check`)."""
        return [self.context(unit, r) for r in reports]

    # ------------------------------------------------------------ the book

    money_label: str = "年度资金"  # what the 汇总 sheet's money column holds for this kind's forms

    def summary(self, report: Report) -> dict[str, Any]:
        """This form's cells in the book's 汇总 row: any of funds, executed, rate, score, grade, category."""
        return {}

    def review(self, report: Report) -> dict[str, Any]:
        """This form's cells in the review workbook's 项目 row (`docgen review`): the
        `summary` cells, and for a kind that scores its rules' 总分 as `computed`."""
        return self.summary(report)

    def summary_form(self, report: Report) -> str:
        """The 表单 column's words for this form."""
        return report.version.kind_title

    def sheet_contexts(self, unit: Unit, version: FormVersion, indexes: list[int]) -> list[dict[str, Any]]:
        """A document kind's workbook: one sheet context per project of `indexes`, in order."""
        raise NotImplementedError

    def document_context(self, unit: Unit, version: FormVersion, sheets: list[dict[str, Any]]) -> dict[str, Any]:
        """A document kind's Word context around its project contexts (`templates check`)."""
        raise NotImplementedError

    def document_docx(self, unit: Unit, version: FormVersion, indexes: list[int], stamp: datetime, pages: list[int] | None, start_page: int) -> bytes:
        """A document kind's Word file for the projects `indexes`, its contents at `pages`."""
        raise NotImplementedError

    def first_sheet(self, unit: Unit, version: FormVersion) -> tuple[str, list[str]] | None:
        """A document kind's text before its project tables, as a sheet (name, lines) put
        first in its workbook; None when it has none."""
        return None

    def render_document(self, unit: Unit, version: FormVersion, indexes: list[int], stamp: datetime, lo: Office | None) -> bytes:
        raise NotImplementedError

    # ------------------------------------------------------------ the data-entry workbook

    workbook_flag: str = ""  # the 项目 sheet's column that says a project gets this form (是)
    workbook_sheet: str = ""  # a sheet of the unit's own data this kind adds (部门整体目标)

    def _part(self, module: str) -> Any:
        """The kind package's `module` (workbook, reader), or None where it has none:
        by convention, so a kind adds a module rather than overriding methods."""
        name = f"{__name__}.{self.name}.{module}"
        return importlib.import_module(name) if importlib.util.find_spec(name) is not None else None

    def workbook_columns(self) -> list[Any]:
        """The 项目 sheet's columns of this kind's part of a project (`entrybook.columns.Column`):
        `COLUMNS` of the kind's `workbook.py`."""
        return list(getattr(self._part("workbook"), "COLUMNS", []))

    def indicator_fields(self) -> tuple[str, ...]:
        """The indicator fields this kind's forms print beyond the three levels and the
        target: `INDICATOR_FIELDS` of the kind's `workbook.py`."""
        return tuple(getattr(self._part("workbook"), "INDICATOR_FIELDS", ()))

    def sheet_field(self) -> str:
        """The unit field `workbook_sheet` holds."""
        return ""

    def sheet_rows(self, unit: Unit) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        """`workbook_sheet`'s headers and rows for the unit ([] rows: the unit has none)."""
        return (), []

    def read_sheet(self, rows: list[tuple[Any, ...]]) -> tuple[Any, dict[tuple[Any, ...], str], list[Any]]:
        """`workbook_sheet`'s rows (each: its first cell, then its values) back as the unit
        field's data, the cell of each part, and `Problem`s."""
        raise NotImplementedError

    # ------------------------------------------------------------ reading printed forms back

    def read_form(self, form: Any, version: FormVersion) -> Any:
        """A printed form (`importing.grid.FormText`) of this kind back as a project
        record (`importing.found.Found`): `read` of the kind's `reader.py`; None without one."""
        reader = self._part("reader")
        return reader.read(form, version) if reader is not None else None

    def prune_import(self, project: dict[str, Any], report: Report) -> None:
        """Drop from an imported project the values the form printed because the rules
        computed them (they are not declared data), keeping those that differ from the
        rules: `prune` of the kind's `reader.py`, where the kind computes any."""
        prune = getattr(self._part("reader"), "prune", None)
        if prune is not None:
            prune(project, report)

    # ------------------------------------------------------------ the CLI and diff

    def table(self, reports: list[Report]) -> list[tuple[str, ...]]:
        """The CLI's summary table after a render or check (header first); empty for none."""
        return []

    def score_json(self, report: Report) -> dict[str, Any] | None:
        """`docgen score --json`: the report's scores, for a kind that scores."""
        return None

    def score_text(self, report: Report) -> list[str]:
        """`docgen score`: the report's scores as lines, for a kind that scores."""
        return []

    def score_changes(self, old: Report | None, new: Report | None) -> list[Change]:
        """What a correction did to the project's scores (`docgen diff`)."""
        return []

    def indicator_score_changes(self, old: Report | None, new: Report | None, o: int | None, n: int | None) -> list[Change]:
        """What a correction did to indicator o (old) / n (new)'s scores."""
        return []


@lru_cache(maxsize=1)
def form_kinds() -> tuple[FormKind, ...]:
    """Every form kind docgen knows, in the order a project's forms come."""
    return tuple(importlib.import_module(f"{__name__}.{package}.kind").KIND for package in _PACKAGES)


def form_kind(name: str) -> FormKind:
    for kind in form_kinds():
        if kind.name == name:
            return kind
    raise KeyError(f"no FormKind for form kind {name!r}")
