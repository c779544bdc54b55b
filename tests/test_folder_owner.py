"""Two units whose names make the same folder name (issue 16): the record names whose folder
it is, and another unit's folder is refused (exit 3, nothing written) unless --force."""

import json
from pathlib import Path

from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.build.output import safe_name
from docgen.build.record import MANIFEST_NAME, Manifest

runner = CliRunner()


def unit_file(tmp_path: Path, fixtures: Path, name: str, file: str) -> Path:
    path = tmp_path / file
    path.write_text((fixtures / "minimal.yaml").read_text(encoding="utf-8").replace("unit: 测试单位", f'unit: "{name}"'), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_another_units_folder_is_refused_unless_forced(tmp_path, fixtures):
    assert safe_name("上海市/中心") == safe_name("上海市:中心")
    first = unit_file(tmp_path, fixtures, "上海市/中心", "a.yaml")
    second = unit_file(tmp_path, fixtures, "上海市:中心", "b.yaml")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(first), "-o", str(out), "--no-layout"])
    assert result.exit_code == 0, result.output
    (folder,) = [p for p in out.rglob(MANIFEST_NAME)]
    folder = folder.parent
    record = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert record["owner"] == {"unit": "上海市/中心", "year": 2023}
    assert Manifest.read(folder).owner == ("上海市/中心", 2023)
    before = snapshot(folder)

    result = runner.invoke(app, ["render", str(second), "-o", str(out), "--no-layout"])
    assert result.exit_code == 3, result.output
    assert "未生成任何文件" in result.output and "上海市/中心" in result.output and "--force" in result.output
    assert snapshot(folder) == before  # nothing written, nothing deleted

    result = runner.invoke(app, ["render", str(second), "-o", str(out), "--no-layout", "--force"])
    assert result.exit_code == 0, result.output
    assert Manifest.read(folder).owner == ("上海市:中心", 2023)


def test_the_same_unit_renders_again(tmp_path, fixtures):
    first = unit_file(tmp_path, fixtures, "上海市/中心", "a.yaml")
    out = tmp_path / "out"
    assert runner.invoke(app, ["render", str(first), "-o", str(out), "--no-layout"]).exit_code == 0
    result = runner.invoke(app, ["render", str(first), "-o", str(out), "--no-layout"])
    assert result.exit_code == 0, result.output
