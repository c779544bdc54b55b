"""What checking a unit yields: findings, and one report per project and form.

Severity:
- error: a fact on the form is wrong or missing (sums, rates, totals, taxonomy,
  duplicates, a score the rules cannot produce and nobody declared…);
- warning: allowed but worth a question from the finance bureau (a declared
  indicator 得分 that differs from the rule, spending above the budget).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from docgen.model.formatting import number_text, percent_text
from docgen.model.names import visible

if TYPE_CHECKING:
    from docgen.model.unit import Project
    from docgen.registry.manifest import FormVersion

FieldPath = tuple[str | int, ...]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "提示"}[self.value]


@dataclass(frozen=True)
class Finding:
    """One problem, naming the project and indicator in the user's words and the field
    path (so the CLI can point at the line)."""

    severity: Severity
    code: str
    project: str
    message: str
    indicator: str = ""
    path: FieldPath = field(default_factory=tuple)

    def where(self) -> str:
        """The project and indicator, invisible characters that could disguise the line shown by code (`<U+202E>`)."""
        return f"项目「{visible(self.project)}」" + (f"指标「{visible(self.indicator)}」" if self.indicator else "")

    def __str__(self) -> str:
        return f"[{self.severity.label}] {self.where()}：{self.message}"


def fmt(value: Decimal | None) -> str:
    return number_text(value, blank="空")


def fmt_rate(rate: Decimal | None) -> str:
    return percent_text(rate, blank="空")


def count(findings: Any, severity: Severity) -> int:
    return sum(1 for f in findings if f.severity is severity)


@dataclass(frozen=True)
class Report:
    """One project's form of one kind, checked: the same type for every kind.  `score` is
    what a scoring kind (the 自评表) computed, else None."""

    index: int  # the project's place in the unit file
    project: Project
    version: FormVersion
    findings: tuple[Finding, ...]
    score: Any = None

    @property
    def kind(self) -> str:
        return self.version.kind

    def count(self, severity: Severity) -> int:
        return count(self.findings, severity)
