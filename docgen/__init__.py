"""docgen: Chinese fiscal performance forms from one YAML/JSON file per budget unit.

Public API (everything else is private):

    from docgen import load_unit, check_file, render_file
    checked = check_file("data/examples/shanghai-dpf-2022.yaml")
    for report in checked.reports:
        print(report.score.project.name, report.score.total, report.findings)
"""

__version__ = "0.1.0"  # before the imports: modules read it at call time

from .api import Checked, RenderOptions, Rendered, check_file, render_file
from .checks import Finding, ProjectReport, Severity, check_unit
from .errors import DocgenError, InputError, OutputError, RegistryError, SelectionError, TemplateError
from .models import Indicator, Project, Unit
from .registry import FormVersion, Profile, Registry, default_registry, load_registry
from .scoring import ProjectScore, score_project
from .validate import load_unit
from .values import Blank, Qualitative, Quantity, parse_value

__all__ = [
    "Blank",
    "Checked",
    "DocgenError",
    "Finding",
    "FormVersion",
    "Indicator",
    "InputError",
    "OutputError",
    "Profile",
    "Project",
    "ProjectReport",
    "ProjectScore",
    "Qualitative",
    "Quantity",
    "Registry",
    "RegistryError",
    "RenderOptions",
    "Rendered",
    "SelectionError",
    "Severity",
    "TemplateError",
    "Unit",
    "check_file",
    "check_unit",
    "default_registry",
    "load_registry",
    "load_unit",
    "parse_value",
    "render_file",
    "score_project",
]
