"""docgen: Chinese fiscal performance forms from one YAML/JSON file per budget unit.

Public API (everything else is private):

    from docgen import load_unit, check_file, render_file
    checked = check_file("data/examples/shanghai-dpf-2022.yaml")
    for report in checked.of_kind("selfeval"):
        print(report.project.name, report.score.total, report.findings)
"""

from docgen.api import Checked, Rendered, RenderOptions, check_file, diff_files, render_file
from docgen.check.diff import UnitDiff, compare
from docgen.errors import DocgenError, EditedFilesError, HistoryError, InputError, OutputError, RegistryError, SelectionError, TemplateError
from docgen.forms import FormKind, form_kinds
from docgen.forms.selfeval.checks import check_unit
from docgen.forms.selfeval.scoring import ProjectScore, score_project
from docgen.inputs.loader import load_unit
from docgen.model.findings import Finding, Report, Severity
from docgen.model.unit import Indicator, Project, Unit
from docgen.model.values import Blank, Qualitative, Quantity, parse_value
from docgen.registry.manifest import FormVersion, Profile, Registry, default_registry, load_registry
from docgen.version import __version__

__all__ = [
    "__version__",
    "Blank",
    "Checked",
    "DocgenError",
    "EditedFilesError",
    "Finding",
    "FormKind",
    "FormVersion",
    "HistoryError",
    "Indicator",
    "InputError",
    "OutputError",
    "Profile",
    "Project",
    "ProjectScore",
    "Qualitative",
    "Quantity",
    "Registry",
    "RegistryError",
    "Report",
    "RenderOptions",
    "Rendered",
    "SelectionError",
    "Severity",
    "TemplateError",
    "Unit",
    "UnitDiff",
    "check_file",
    "check_unit",
    "compare",
    "default_registry",
    "diff_files",
    "form_kinds",
    "load_registry",
    "load_unit",
    "parse_value",
    "render_file",
    "score_project",
]
