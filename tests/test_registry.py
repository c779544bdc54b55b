import shutil
from decimal import Decimal

import pytest

from docgen.errors import RegistryError
from docgen.registry.manifest import default_registry, load_registry


def test_default_registry_has_the_selfeval_2022_form():
    registry = default_registry()
    version = registry.version("selfeval")
    assert version.version == "2022"
    assert version.kind_title == "财政项目支出绩效自评表"
    assert version.docx.is_file() and version.xlsx.is_file()
    profile = version.profile
    assert profile.name == "shanghai-2022"
    assert profile.execution_weight == Decimal(10)
    assert profile.tiers["部分达成"] == (Decimal(60), Decimal(80))
    assert profile.taxonomy["满意度指标"] == ("服务对象满意度指标",)


@pytest.mark.parametrize("kind, version, words", [("nope", None, "没有表单种类"), ("selfeval", "1999", "没有版本")])
def test_unknown_kind_or_version(kind, version, words):
    with pytest.raises(RegistryError) as info:
        default_registry().version(kind, version)
    assert words in info.value.message()


def test_manifest_naming_a_missing_profile(tmp_path):
    root = tmp_path / "templates"
    shutil.copytree(default_registry().root, root)
    manifest = root / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("profile: shanghai-2022", "profile: nope"), encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        load_registry(root)
    assert "没有规则配置「nope」" in info.value.message()


def test_versions_declare_how_they_are_read():
    """The Shanghai 自评表's labels (and their synonyms) are the manifest's, not Python's:
    its own `read:` first, then the kind's `synonyms:` it does not use for another field."""
    registry = default_registry()
    reading = registry.version("selfeval").reading
    assert reading.titles == ("财政项目支出绩效自评表",)
    assert reading.fields["name"] == ("项目名称", "项目支出名称", "项目全称")
    assert reading.funds.rows["fiscal"][:3] == ("其中：当年财政拨款", "其中：本年财政拨款", "其中：财政资金")
    assert reading.indicators.columns["deviation"][:3] == ("偏差原因分析及改进措施", "未完成原因分析", "偏差原因分析")
    assert reading.indicators.stop == ("总分", "合计")
    yunnan = registry.version("selfeval", "yunnan-2020")
    assert (yunnan.display, yunnan.amount_unit, yunnan.reading.indicators.header_rows) == ("云南 项目支出绩效自评表 2020", "万元", 2)
    hubei = registry.version("selfeval", "hubeistyle-2020").reading.indicators
    assert (hubei.class_points, hubei.weights_from_classes, "weight" in hubei.columns) == (True, True, False)


def _edited_manifest(tmp_path, old, new):
    root = tmp_path / "templates"
    shutil.copytree(default_registry().root, root)
    manifest = root / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("            header_rows: 2\n", "            header_rows: 3\n",
         "kinds.selfeval.versions.yunnan-2020.read.indicators.header_rows 应为 1 或 2，却是「3」"),
        ("          titles: [财政项目支出绩效自评表]\n", "          titles: []\n",
         "kinds.selfeval.versions.2022.read.titles 应为标签或标签列表，却是「[]」"),
        ("        read:\n          titles: [部门预算项目支出绩效自评表]\n", "        read:\n          title: x\n          titles: [部门预算项目支出绩效自评表]\n",
         "kinds.selfeval.versions.sichuan-2023.read 有未知的键：title"),
    ],
)  # fmt: skip
def test_a_bad_read_declaration_is_named(tmp_path, old, new, message):
    with pytest.raises(RegistryError) as info:
        load_registry(_edited_manifest(tmp_path, old, new))
    assert message in info.value.message()


def test_the_forms_come_in_form_order_from_their_packages():
    registry = default_registry()
    assert list(registry.kinds) == ["selfeval", "target", "dept"]  # the manifest's order
    assert list(registry.packages.items()) == [("dept", "docgen.forms.dept"), ("target", "docgen.forms.target"), ("selfeval", "docgen.forms.selfeval")]


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("form_order: [dept, target, selfeval]", "form_order: [dept, targte, selfeval]",
         "form_order 中的「targte」不是已登记的表单种类；已登记：selfeval、target、dept"),
        ("  dept:\n    title: 部门整体绩效目标\n", "  dept:\n    package: docgen.forms/dept\n    title: 部门整体绩效目标\n",
         "kinds.dept.package「docgen.forms/dept」不是 Python 程序包名"),
    ],
)  # fmt: skip
def test_a_bad_kind_registration_is_named(tmp_path, old, new, message):
    with pytest.raises(RegistryError) as info:
        load_registry(_edited_manifest(tmp_path, old, new))
    assert message in info.value.message()


def test_a_kind_whose_package_is_missing_is_named(tmp_path):
    from docgen.forms import form_kinds

    registry = load_registry(
        _edited_manifest(tmp_path, "  dept:\n    title: 部门整体绩效目标\n", "  dept:\n    package: nowhere.dept\n    title: 部门整体绩效目标\n")
    )
    with pytest.raises(RegistryError) as info:
        form_kinds(registry)
    assert "表单种类「dept」的程序包 nowhere.dept 没有 model.py" in info.value.message()


@pytest.mark.parametrize(
    "old, new, words",
    [
        (
            "      indicators:\n        columns:\n          target: [年度指标值,",
            "      indicaters:\n        columns:\n          target: [年度指标值,",
            "kinds.selfeval.synonyms 有未知的键：indicaters",
        ),
        (
            "        department: [主管部门, 预算部门, 主管单位, 主管部门名称, 主管部门（单位）]",
            "        department: {}",
            "kinds.selfeval.synonyms.fields.department 应为标签或标签列表",
        ),
        ("  dept:\n    title: 部门整体绩效目标\n", "  dept:\n    title: 部门整体绩效目标\n    synonyms: [项目名称]\n", "kinds.dept.synonyms 应为映射"),
    ],
)
def test_a_kinds_synonyms_are_checked(tmp_path, old, new, words):
    root = _edited_manifest(tmp_path, old, new)
    with pytest.raises(RegistryError) as info:
        load_registry(root)
    assert words in info.value.message()
