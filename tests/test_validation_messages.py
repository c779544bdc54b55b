"""No pydantic English reaches a user: every field of every model is given wrong-typed
values, required values are taken away and unknown keys added, and every message the
validation gives must be Chinese, never pydantic's own words."""

from __future__ import annotations

import copy
import re
import typing
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from docgen.errors import InputError
from docgen.model.fields import inner_model
from docgen.model.unit import Unit
from docgen.model.validate import validate
from docgen.parse.text import LoadedFile

BASE: dict[str, Any] = {
    "unit": "测试单位",
    "code": "762002",
    "year": 2023,
    "department": "主管部门甲",
    "executor": "实施单位甲",
    "amount_unit": "元",
    "forms": {"target": "2023"},
    "labels": {"annual_goal": "年度目标"},
    "extra": {"填报人": "张三"},
    "department_goals": {
        "overall": ["总体目标"],
        "areas": [{"text": "分项一", "items": ["子目标一"]}],
        "safeguards": {"intro": "导语", "items": ["措施一"]},
    },
    "projects": [
        {
            "name": "测试项目",
            "code": "P1",
            "department": "部门乙",
            "executor": "单位乙",
            "annual_goal": "目标",
            "overall_goal": "总目标",
            "forms": {"selfeval": "2022"},
            "labels": {"target": "指标值"},
            "extra": {"负责人": "李四"},
            "declaration": {
                "nature": "经常性专项业务费",
                "start": date(2023, 1, 1),
                "end": date(2023, 12, 31),
                "funds": {"annual_total": Decimal("100")},
            },
            "indicators": [
                {"level1": "产出指标", "level2": "数量指标", "name": "次数", "target": "=5次", "actual": "5次", "weight": 50, "tier": "达成"},
            ],
            "evaluation": {
                "funds": {"total": {"initial": 1, "budget": 1, "executed": 1}},
                "execution": {"weight": 10, "rate": "90%", "score": 9},
                "achieved": "完成",
                "total_score": 90,
            },
            "budget": {"total": 1, "fiscal": 1, "other": 0, "use": "用途", "plan": {"march": 25, "june": 50, "october": 75, "december": 100}},
        }
    ],
}

WRONG = [True, [1], {"键": 1}, "这不是值", Decimal("1.5"), -7, 10**30, "", None, date(2023, 1, 1), "x" * 600]

# pydantic's own words: none of them may reach a user.
ENGLISH = re.compile(r"Input should|Field required|valid|Extra inputs|should be|should have|at least|at most|Value error|type=|pydantic|\bor\b|\band\b")


def _paths(model: type[BaseModel], prefix: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], Any]]:
    """Every field path under `model` (lists at index 0, mappings at one key), with its annotation."""
    out = []
    for name, info in model.model_fields.items():
        path = prefix + (name,)
        out.append((path, info.annotation))
        inner = inner_model(info.annotation)
        origin = [typing.get_origin(a) for a in (info.annotation, *typing.get_args(info.annotation))]
        if inner is not None:
            out += _paths(inner, path + ((0,) if list in origin else ()))
        elif dict in origin:
            out.append((path + ("键",), str))
    return out


PATHS = [p for p, _ in _paths(Unit, ()) if not (p[:1] == ("projects",) and len(p) == 1)]


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        if isinstance(data, dict):
            data = data.setdefault(part, {})
        else:
            data = data[part]
    data[path[-1]] = value


def _messages(data: Any) -> list[str]:
    loaded = LoadedFile(path=Path("单位.yaml"), data=data, lines={(): 1})
    try:
        validate(loaded)
    except InputError as exc:
        return [p.text for p in exc.problems]
    return []


def _english(text: str) -> str | None:
    """What of `text` is English, outside the quoted value (「…」) and the list of allowed keys."""
    bare = re.sub(r"「[^」]*」", "", text).split("此处允许：")[0]
    if not re.search(r"[^\x00-\x7f]", bare):
        return "ASCII only"
    found = ENGLISH.search(bare)
    return found.group() if found else None


def test_the_base_is_valid():
    assert _messages(copy.deepcopy(BASE)) == []
    assert len(PATHS) > 80  # every model's fields are walked, not a handful


@pytest.mark.parametrize("path", PATHS, ids=lambda p: ".".join(map(str, p)))
def test_wrong_values_get_chinese_messages(path):
    seen = 0
    for wrong in WRONG:
        data = copy.deepcopy(BASE)
        _set(data, path, wrong)
        for text in _messages(data):
            seen += 1
            assert _english(text) is None, (path, wrong, text)
    assert seen, f"no wrong value was refused at {path}"


@pytest.mark.parametrize("path", [p for p in PATHS if p[-1] != "键"], ids=lambda p: ".".join(map(str, p)))
def test_missing_and_unknown_keys_get_chinese_messages(path):
    data = copy.deepcopy(BASE)
    owner: Any = data
    for part in path[:-1]:
        owner = owner.setdefault(part, {}) if isinstance(owner, dict) else owner[part]
    owner.pop(path[-1], None)
    owner["未知键x"] = 1
    owner["weigth"] = 1
    texts = _messages(data)
    assert any("未知字段" in t for t in texts), texts
    for text in texts:
        assert _english(text) is None, (path, text)


@pytest.mark.parametrize(
    "data, expected",
    [
        ("[]", "文件顶层应为键值结构（unit:、year:、projects: …）"),
        ({"unit": "甲", "year": 2023, "projects": []}, "至少需要一项"),
        ({"unit": "甲", "year": 1800, "projects": [{"name": "乙"}]}, "数值过小（应不小于 1990），却是「1800」"),
        ({"unit": "甲", "year": "2023年", "projects": [{"name": "乙"}]}, "应为整数，却是「2023年」"),
        ({"unit": "甲", "year": 2023, "amount_unit": "千元", "projects": [{"name": "乙"}]}, "取值「千元」无效，应为 元、万元"),
        (
            {"unit": "甲", "year": 2023, "projects": [{"name": "乙", "indicators": [{"level1": "a", "level2": "b", "name": "c", "tier": "好"}]}]},
            "取值「好」无效，应为 达成、部分达成、未达成",
        ),
        (
            {"unit": "甲", "year": 2023, "projects": [{"name": "乙", "declaration": {"start": "明年"}}]},
            "应为日期，却是「明年」；可写作 2023-12-31、2023/12/31、2023.12.31、2023年12月31日、20231231，或只写年月（2023年12月）",
        ),
        ({"unit": "甲", "year": 2023, "projects": [{"name": "乙", "declaration": {"end": "2023-02-30"}}]}, "「2023-02-30」不是有效日期：2023年2月没有 30 日"),
    ],
)
def test_exact_messages(data, expected):
    data = [] if data == "[]" else data
    try:
        texts = _messages(data)
    except InputError as exc:
        texts = [p.text for p in exc.problems]
    assert expected in texts, texts
