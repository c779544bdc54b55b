"""`amount_unit: 万元` (issue 16): amounts are converted exactly to the unit the form version
prints (all registered versions print 元), and printed in 万元 where a version declares it."""

import shutil
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.api import RenderOptions, render_file
from docgen.cli.app import app
from docgen.inputs.loader import check_file
from docgen.registry.manifest import load_registry

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def unit_in(tmp_path: Path, fixtures: Path, amount_unit: str, budget: str = "100", executed: str = "90") -> Path:
    text = (fixtures / "minimal.yaml").read_text(encoding="utf-8").replace("amount_unit: 元", f"amount_unit: {amount_unit}")
    text = text.replace("budget: 100, executed: 90", f"budget: {budget}, executed: {executed}")
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def numbers(path: Path) -> set:
    book = load_workbook(path)
    return {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))}


def test_wan_yuan_is_converted_exactly_to_yuan(tmp_path, fixtures):
    path = unit_in(tmp_path, fixtures, "万元", budget="123.4567", executed="100.00005")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output  # no 「以「元」为金额单位」 error any more
    assert "金额单位" not in result.output
    checked = check_file(path)
    total = checked.unit.projects[0].evaluation.funds.total
    assert (total.budget, total.executed) == (Decimal("1234567.0000"), Decimal("1000000.50000"))
    assert checked.unit.amount_unit == "元"
    assert checked.reports[0].score.execution.rate == Decimal("1000000.5") / Decimal("1234567")


def test_wan_yuan_renders_the_converted_amounts(tmp_path, fixtures):
    path = unit_in(tmp_path, fixtures, "万元")
    rendered = render_file(path, tmp_path / "out", options=RenderOptions(layout=False))
    form = next(p for p in rendered.files if p.suffix == ".xlsx" and p not in rendered.book)
    assert 1_000_000 in numbers(form) and 900_000 in numbers(form)


def test_a_version_printing_wan_yuan_gets_amounts_in_wan_yuan(tmp_path, fixtures):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    manifest = templates / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("amount_unit: 元", "amount_unit: 万元"), encoding="utf-8")
    registry = load_registry(templates)
    path = unit_in(tmp_path, fixtures, "元", budget="1234567", executed="1000000")
    checked = check_file(path, registry)
    assert checked.unit.amount_unit == "万元"
    assert checked.unit.projects[0].evaluation.funds.total.budget == Decimal("123.4567")
    assert checked.findings == []
