"""`docgen templates new KIND ID --from-form FORM`: a regional version drafted from a
received form (issue 24): its `read:` from the form's labels (each mapped to the field
a registered version reads it into, the others listed to finish by hand) beside copies
of the closest version's templates; the draft then recognises and reads the same form."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.errors import InputError
from docgen.inputs.importing import import_forms
from docgen.registry.manifest import load_registry
from importing import region_forms as R

runner = CliRunner()


def _without(templates, kind: str, version: str) -> None:
    """The templates copy as it was before `version` was registered."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    manifest = templates / "manifest.yaml"
    data = yaml.load(manifest.read_text(encoding="utf-8"))
    del data["kinds"][kind]["versions"][version]
    with manifest.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_draft_from_the_sichuan_form_reads_that_form_as_the_new_version(templates, tmp_path, suffix):
    _without(templates, "selfeval", "sichuan-2023")
    form = R.docx_of(R.SICHUAN, tmp_path / f"表{suffix}") if suffix == ".docx" else R.xlsx_of(R.SICHUAN, tmp_path / f"表{suffix}")
    with pytest.raises(InputError, match="表中混有其他版本的标签：.*本表按「[^」]+」读取"):
        import_forms([form])  # without its version the form is taken for another one, and refused

    result = runner.invoke(app, ["templates", "new", "selfeval", "sc-2023", "--from-form", str(form), "--region", "四川"])
    assert result.exit_code == 0, result.output
    version = load_registry(templates).version("selfeval", "sc-2023")
    assert (version.region, version.title) == ("四川", "部门预算项目支出绩效自评表")  # the form's own title names its files
    assert version.reading is not None and version.reading.titles[0] == "部门预算项目支出绩效自评表"
    # what the draft declares (the kind's synonyms are read besides: tests/test_registry.py)
    read = YAML(typ="safe").load((templates / "manifest.yaml").read_text(encoding="utf-8"))["kinds"]["selfeval"]["versions"]["sc-2023"]["read"]
    assert read["fields"]["name"] == ["项目名称"]
    assert read["fields"]["executor"] == ["实施单位 (盖章)"]
    assert read["goals"] == {"annual_goal": ["项目年度目标"], "evaluation.achieved": ["年度目标完成情况"]}
    assert read["funds"]["columns"] == {"initial": ["年初预算"], "budget": ["调整后预算数"], "executed": ["预算执行数"]}
    assert set(read["funds"]["rows"]) == {"total", "fiscal", "special_account", "unit_own", "other"}
    assert read["funds"]["total_columns"]["evaluation.execution.rate"] == ["预算执行率"]
    columns = read["indicators"]["columns"]
    assert (columns["target_comparator"], columns["target_value"], columns["target_unit"]) == (["指标性质"], ["指标值"], ["度量单位"])
    assert (columns["actual"], columns["weight"], columns["deviation"]) == (["完成值"], ["权重"], ["未完成原因分析"])
    assert read["indicators"]["stop"] == ["合计"]
    assert version.amount_unit == "万元"
    # the templates are copies of the closest version's
    closest = result.output.split("最接近的 ", 1)[1].split(" 版", 1)[0]
    source = load_registry(templates).version("selfeval", closest)
    assert version.docx.read_bytes() == source.docx.read_bytes() and version.docx != source.docx
    assert version.xlsx.read_bytes() == source.xlsx.read_bytes()
    # labels no registered version knows are listed, in the output and in the manifest
    manifest = (templates / "manifest.yaml").read_text(encoding="utf-8")
    for label in ("评价结论", "存在问题", "项目负责人", "财务负责人"):
        assert f"# {label}（" in manifest.replace("#   ", "# "), label
        assert label in result.output
    assert "# The form registry" in manifest  # the manifest's comments survive

    after = import_forms([form])
    assert after.read[0].split("：", 2)[2] == "四川 部门预算项目支出绩效自评表 2023「51000021R000000019951-工资性支出」（金额单位为万元，已换算为元）"
    project = after.source.data["projects"][0]
    assert after.source.data["forms"] == {"selfeval": "sc-2023"}
    assert project["evaluation"]["funds"]["total"]["budget"] == "2,518,900.00"
    assert [i["target"] for i in project["indicators"]] == ["=100%", "=100%"]


@pytest.mark.parametrize(
    ("grid", "kind", "expected"),
    [
        (R.YUNNAN, "selfeval", {"header_rows": 2, "titles": ["项目支出绩效自评表"]}),
        (R.ANHUI, "selfeval", {"class_points": True}),
        (R.HUBEI, "selfeval", {"class_points": True, "weights_from_classes": True, "stop": ["总分"]}),
        (R.HUNAN, "target", {"stop": ["财政部门审核意见"]}),
    ],
)
def test_draft_finds_each_reference_forms_layout(templates, tmp_path, grid, kind, expected):
    form = R.docx_of(grid, tmp_path / "表.docx")
    result = runner.invoke(app, ["templates", "new", kind, "drafted-2030", "--from-form", str(form)])
    assert result.exit_code == 0, result.output
    yaml = YAML(typ="safe")
    entry = yaml.load((templates / "manifest.yaml").read_text(encoding="utf-8"))["kinds"][kind]["versions"]["drafted-2030"]
    read = entry["read"]
    flat = {**read, **read["indicators"]}
    for key, value in expected.items():
        assert flat[key] == value, key
    assert entry["amount_unit"] == "万元"
    assert "example" not in entry and "region" not in entry


def test_draft_refuses_an_existing_version_and_a_file_without_a_form(templates, tmp_path):
    form = R.docx_of(R.SICHUAN, tmp_path / "表.docx")
    before = (templates / "manifest.yaml").read_bytes()
    files = sorted(p.name for p in (templates / "docx").iterdir())
    result = runner.invoke(app, ["templates", "new", "selfeval", "sichuan-2023", "--from-form", str(form)])
    assert result.exit_code == 2
    assert "已有版本「sichuan-2023」，不覆盖" in result.output
    other = tmp_path / "信.docx"
    R.docx_of(R.Grid(["致函"], [["您好", "此致"]]), other)
    result = runner.invoke(app, ["templates", "new", "selfeval", "x-2030", "--from-form", str(other)])
    assert result.exit_code == 2
    assert "没有看似「财政项目支出绩效自评表」的表格" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["templates", "new", "selfeval", "x-2030"])
    assert result.exit_code == 2 and "--from-form" in result.output
    assert (templates / "manifest.yaml").read_bytes() == before
    assert sorted(p.name for p in (templates / "docx").iterdir()) == files
