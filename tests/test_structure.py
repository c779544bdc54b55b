"""The shape of the code that issue 11 set: one package per form kind, small functions
and modules, no import cycles, kind names kept inside docgen/forms/."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.forms import FormKind, form_kind, form_kinds
from docgen.model.unit import Project
from docgen.registry.manifest import DEFAULT_TEMPLATES, load_registry

PACKAGE = Path(__file__).resolve().parent.parent / "docgen"
SOURCES = sorted(PACKAGE.rglob("*.py"))
KINDS = {k.name for k in form_kinds()}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_manifest_kind_has_a_form_kind():
    registry = load_registry(DEFAULT_TEMPLATES)
    assert set(registry.kinds) == KINDS == {"selfeval", "target", "dept"}
    for name in registry.kinds:
        kind = form_kind(name)
        assert isinstance(kind, FormKind) and kind.name == name
        assert (PACKAGE / "forms" / name / "kind.py").is_file()


def test_an_unregistered_kind_has_no_form_kind():
    with pytest.raises(KeyError):
        form_kind("dept-selfeval")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_functions_stay_small(path):
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 450
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            assert node.end_lineno - node.lineno + 1 <= 80, f"{node.name} is {node.end_lineno - node.lineno + 1} lines"


def _imports(path: Path) -> set[str]:
    """docgen modules `path` imports at import time (not under TYPE_CHECKING, not inside functions)."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if base.startswith("docgen"):
                found.add(base)
                found |= {f"{base}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("docgen")}
    return found


def test_no_import_cycles():
    modules = {_module(p): p for p in SOURCES}
    # A module's parent packages are initialised before it in any case: not an edge of a cycle.
    graph = {m: {i for i in _imports(p) if i in modules and i != m and not m.startswith(i + ".")} for m, p in modules.items()}

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            raise AssertionError("import cycle: " + " -> ".join(trail[trail.index(node) :] + [node]))
        for nxt in sorted(graph[node]):
            if nxt not in done:
                visit(nxt, trail + [node])
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        visit(start, [])


LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACTS = PACKAGE.parent / ".importlinter"


def _lint_imports(top: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", str(CONTRACTS)], cwd=top, capture_output=True, text=True, timeout=120)


def test_the_layers_hold_and_no_package_has_a_cycle():
    """`.importlinter`: cli -> review -> api -> build -> inputs -> check -> forms -> render ->
    registry -> model -> parse -> errors, every import counted (those inside functions too)."""
    result = _lint_imports(PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_an_import_inside_a_function_that_climbs_a_layer_breaks_the_contract(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "docgen", ignore=shutil.ignore_patterns("__pycache__", "templates", "data"))
    rounding = tmp_path / "docgen" / "model" / "rounding.py"
    rounding.write_text(rounding.read_text(encoding="utf-8") + "\n\ndef _late():\n    from docgen.build import plan\n", encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1
    assert "docgen.model is not allowed to import docgen.build" in result.stdout
    assert "docgen.model.rounding -> docgen.build.plan" in result.stdout


def _names_a_kind(path: Path) -> bool:
    """Imports a kind's package, or holds a kind's name as a string of its own, not as a
    field of a record: a step of a field path such as ("indicators", 2, "target"), a key
    read with row["target"] or row.get("target"), a key looked for with "target" in cells
    (`target` is also the indicator's field)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_paths = {id(e) for node in ast.walk(tree) if isinstance(node, ast.Tuple) for e in node.elts}
    in_paths |= {id(node.slice) for node in ast.walk(tree) if isinstance(node, ast.Subscript)}
    in_paths |= {
        id(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "pop", "setdefault") and node.args
    }
    in_paths |= {id(node.left) for node in ast.walk(tree) if isinstance(node, ast.Compare) and isinstance(node.ops[0], (ast.In, ast.NotIn))}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value in KINDS and id(node) not in in_paths:
            return True
    return any(i.split(".")[:3] in (["docgen", "forms", k] for k in KINDS) for i in _imports(path))


def test_kinds_are_named_in_at_most_three_modules_outside_forms():
    outside = [p for p in SOURCES if "forms" not in p.relative_to(PACKAGE).parts]
    naming = sorted(str(p.relative_to(PACKAGE)) for p in outside if _names_a_kind(p))
    assert len(naming) <= 3, naming


def test_a_kind_lacks_a_capability_by_none_not_by_raising():
    """The kind interface is capabilities a kind lists (None where it has none): no kind
    method raises NotImplementedError, and every kind says what it provides."""
    forms = PACKAGE / "forms"
    assert not [p for p in forms.rglob("*.py") if "NotImplementedError" in p.read_text(encoding="utf-8")]
    for kind in form_kinds():
        assert (kind.document is not None) == (kind.scope == "unit") and (kind.context is None) == (kind.scope == "unit")
        assert kind.part in Project.model_fields  # the project field its fragment installs
