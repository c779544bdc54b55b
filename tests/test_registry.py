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
