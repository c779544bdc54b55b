"""Two units whose names make the same folder name (issue 16): the record names whose folder
it is, and another unit's folder is refused (exit 3, nothing written) unless --force."""

import json
from pathlib import Path

from typer.testing import CliRunner

from docgen.build.record import MANIFEST_NAME, Manifest
from docgen.cli.app import app
from docgen.model.names import safe_name

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


def test_a_second_data_file_of_the_same_unit_is_refused_unless_replace(tmp_path):
    """The issue's case: two example files of one unit and year rendered into one -o."""
    examples = Path(__file__).resolve().parents[1] / "data" / "examples"
    first, second = tmp_path / "one-project-two-forms.yaml", tmp_path / "shanghai-sscard-2023.yaml"
    for path in (first, second):
        path.write_bytes((examples / path.name).read_bytes())
    out = tmp_path / "out"
    assert runner.invoke(app, ["render", str(first), "-o", str(out), "--no-layout"]).exit_code in (0, 1)
    (folder,) = [p.parent for p in out.rglob(MANIFEST_NAME)]
    assert Manifest.read(folder).source_path == str(first.resolve())
    before = snapshot(folder)

    result = runner.invoke(app, ["render", str(second), "-o", str(out), "--no-layout"])
    assert result.exit_code == 3, result.output
    assert result.output.startswith(f"未生成任何文件：输出目录 {folder} 中的表单是数据文件 {first} 生成的（见生成记录 .docgen-manifest.json），不是 {second}")
    assert f"请把两个文件的项目合并到一个文件中再生成（或继续用 docgen render {first}）；确认要以 {second} 取代 {first} 时加 --replace" in result.output
    assert snapshot(folder) == before  # nothing written, nothing deleted

    # The same file reached by another path (relative, or through a link) is the same file.
    link = tmp_path / "link.yaml"
    link.symlink_to(first)
    assert runner.invoke(app, ["render", str(link), "-o", str(out), "--no-layout"]).exit_code in (0, 1)
    forms = lambda files: {n: b for n, b in files.items() if n != MANIFEST_NAME}  # noqa: E731 - the record names the file as given
    assert forms(snapshot(folder)) == forms(before)

    result = runner.invoke(app, ["render", str(second), "-o", str(out), "--no-layout", "--replace"])
    assert result.exit_code in (0, 1), result.output
    assert "删除：" in result.output and Manifest.read(folder).source_path == str(second.resolve())
