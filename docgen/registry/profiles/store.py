"""Where profiles come from and how they are read: the shipped ones (`profiles:` in
`templates/manifest.yaml` and `templates/profiles/*.yaml`), a bureau's own files (a
`profiles/` folder beside the unit file, `--profiles DIR`, `$DOCGEN_PROFILES`), and
`docgen profiles new` writing a copy to edit.

Every mistake in a profile is an `InputError` naming the file, the line and the field
(in the profile's own words), raised before any unit is scored."""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from docgen.errors import DocgenError, InputError, Problem, format_path
from docgen.parse.load import load_path as load_file
from docgen.parse.text import LoadedFile
from docgen.registry.profiles.schema import FORMULAS, ProfileError, ProfileRules

FieldPath = tuple[str | int, ...]


@dataclass
class UnknownProfile(DocgenError):
    """`--profile NAME` names no profile (exit 2)."""

    text: str

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message())

    def message(self) -> str:
        return f"选项 --profile 有误：{self.text}"


def one_line(text: str) -> str:
    """A folded YAML description on one line, without the blanks folding leaves after Chinese punctuation."""
    return re.sub(r"(?<=[；，。：、）])\s+|\s+(?=[；，。：、（])", "", " ".join(text.split()))


_NAME = re.compile(r"^[^\s/\\:*?\"<>|.][^\s/\\:*?\"<>|]{0,59}$")
ENV = "DOCGEN_PROFILES"


@dataclass(frozen=True)
class Profile:
    """A named scoring rule set; `rules` holds every rule (see `schema`)."""

    name: str
    rules: ProfileRules
    source: Path | None = None  # the file it was read from (None: built in code)

    @property
    def description(self) -> str:
        return one_line(self.rules.description)

    @property
    def execution_weight(self) -> Decimal:
        return self.rules.execution.weight

    @property
    def total_weight(self) -> Decimal:
        return self.rules.total_weight

    @property
    def grades(self) -> tuple[tuple[Decimal, str], ...]:
        """(lower bound, grade), highest first."""
        return tuple(sorted(((low, g) for g, (low, _) in self.rules.grades.items()), reverse=True))

    @property
    def tiers(self) -> dict[str, tuple[Decimal, Decimal]]:
        return dict(self.rules.qualitative.tiers)

    @property
    def taxonomy(self) -> dict[str, tuple[str, ...]]:
        return dict(self.rules.taxonomy)

    def grade(self, total: Decimal) -> str:
        for bound, grade in self.grades:
            if total >= bound:
                return grade
        return self.grades[-1][1]


_TYPE_TEXT = {
    "missing": "缺少必填字段",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "string_type": "应为文字",
    "dict_type": "应为键值结构（key: value）",
    "model_type": "应为键值结构（key: value）",
    "tuple_type": "应为列表，如 [80, 100]",
    "list_type": "应为列表",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
}


def _allowed(loc: FieldPath) -> str:
    """The keys the mapping at `loc` allows, with their titles."""
    from pydantic import BaseModel

    model: Any = ProfileRules
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if info is None:
            return ""
        inner = info.annotation
        found = None
        for cand in [inner, *getattr(inner, "__args__", ())]:
            for sub in [cand, *getattr(cand, "__args__", ())]:
                if isinstance(sub, type) and issubclass(sub, BaseModel):
                    found = sub
        if found is None:
            return ""
        model = found
    return "、".join(f"{n}（{i.title}）" if i.title else n for n, i in model.model_fields.items())


def _problems(exc: ValidationError) -> list[tuple[FieldPath, str]]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "value_error" and isinstance(err.get("ctx", {}).get("error"), ProfileError):
            inner = err["ctx"]["error"]
            out.append((loc + inner.path, inner.text))
            continue
        if kind == "extra_forbidden":
            allowed = _allowed(loc[:-1])
            text = f"未知字段「{loc[-1]}」（拼写错误？）" + (f"；此处允许：{allowed}" if allowed else "")
        elif kind == "literal_error":
            if loc and loc[-1] == "formula" and "indicators" in loc:
                text = f"公式「{err.get('input')}」不存在（可用：{'、'.join(FORMULAS)}）"
            else:
                text = f"取值「{err.get('input')}」无效，应为 {err['ctx']['expected']}"
        elif kind == "value_error":
            text = str(err["ctx"]["error"])
        elif kind in _TYPE_TEXT:
            text = _TYPE_TEXT[kind]
            if kind != "missing" and not isinstance(err.get("input"), (dict, list)):
                text += f"，却是「{err.get('input')}」"
        else:
            text = f"取值无效（{err['msg']}）"
        out.append((loc, text))
    return out


def rules_of(name: str, body: Any, loaded: LoadedFile, prefix: FieldPath = ()) -> ProfileRules:
    """The profile `name` from `body` (found at `prefix` in `loaded`), or an `InputError`
    naming every mistake with its line."""
    if not isinstance(body, dict):
        raise InputError(loaded.path, [Problem(prefix, f"规则配置「{name}」应为键值结构（description:、execution: …）", line=loaded.line_of(prefix))])
    try:
        return ProfileRules.model_validate(body)
    except ValidationError as exc:
        problems = [
            Problem(prefix + loc, text, line=loaded.line_of(prefix + loc), context=f"规则配置「{name}」", words=f"字段 {format_path(loc)}")
            for loc, text in _problems(exc)
        ]
        raise InputError(loaded.path, problems) from exc


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f'规则配置名称「{name}」不可用：不能含空格、/ \\ : * ? " < > |，不能以 . 开头，最多 60 个字符')
    return name


def read_profile_file(path: Path) -> Profile:
    """One profile file (`<name>.yaml`): its name is the file's stem."""
    loaded = load_file(path)
    try:
        name = check_name(path.stem)
    except ValueError as exc:
        raise InputError(path, [Problem((), str(exc), line=1)]) from exc
    return Profile(name=name, rules=rules_of(name, loaded.data, loaded), source=path)


def read_folder(folder: Path) -> dict[str, Profile]:
    """Every `*.yaml` / `*.yml` profile in `folder` (none when it does not exist)."""
    if not folder.is_dir():
        return {}
    out: dict[str, Profile] = {}
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        profile = read_profile_file(path)
        if profile.name in out:
            raise InputError(path, [Problem((), f"规则配置「{profile.name}」在 {out[profile.name].source} 中已有", line=1)])
        out[profile.name] = profile
    return out


def env_folders() -> list[Path]:
    """The folders `$DOCGEN_PROFILES` names (separated by the system's path separator)."""
    return [Path(p) for p in os.environ.get(ENV, "").split(os.pathsep) if p.strip()]


def user_profiles(folders: list[Path], shipped: dict[str, Profile]) -> dict[str, Profile]:
    """The profiles in `folders` (earlier folders first); a user profile may not take the
    name of a shipped one (a bureau's rules never silently replace the published ones)."""
    out: dict[str, Profile] = {}
    seen: set[Path] = set()
    for folder in folders:
        key = folder.resolve()
        if key in seen:
            continue
        seen.add(key)
        for name, profile in read_folder(folder).items():
            if name in shipped:
                assert profile.source is not None
                raise InputError(profile.source, [Problem((), f"规则配置「{name}」与 docgen 自带的同名；请改用其他文件名（如 {name}-本地）", line=1)])
            out.setdefault(name, profile)
    return out


def _plain(value: Any) -> Any:
    """Rules as plain YAML data: numbers as int where whole, else exact decimals."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return value


_HEADER = """\
# 评分规则配置「{name}」（复制自「{source}」）。
# 各字段的含义见 docgen 的 README「Scoring: rule profiles」；改完后用
#   docgen profiles show {name} --profiles {folder}
# 检查并查看按本配置印出的评分规则。单位文件中写 profile: {name} 选用。
"""


_COMMENTS = {
    "description": "说明：docgen profiles 列出时显示",
    "total_weight": "总分值",
    "execution": "预算执行：weight 分值；denominator 执行率的分母 年初 / 调整后 / 全年；formula ratio（执行率 × 分值）或 bands（分档表，"
    "bands: [{low: 90, high: 100, points: 10}, …]，执行率 % 含下限）；cap 执行率是否按不超过 100% 计",
    "level1_weights": "一级指标分值（可为 {}）；level1_weights_binding: true 为规定，false 为建议（不符时只提示）",
    "indicators": "定量指标：positive 正向、reverse 反向、zero_target 目标为 0；formula 为 ratio（按比例）、linear（线性递减，须给 k）"
    "或 all_or_nothing（达标满分，否则 0 分）；over_achievement 超额完成可否超过分值",
    "qualitative": "定性指标：tiers 完成档次 -> [分值的下限 %, 上限 %]，须从 0 到 100 连续不重叠；tier_as_actual 实际完成值可否直接写档次",
    "rounding": "舍入：mode half_up（四舍五入）/ half_even / down；score_places 得分小数位；rate_places 执行率（百分数）小数位；"
    "rate_for_score exact（按精确执行率）或 printed（按印出的执行率）",
    "grades": "等级 -> [总分下限（含）, 上限]，须从 0 到总分值连续不重叠",
    "not_applicable": "实际完成值为「不适用」的指标：none 不特殊处理；section 不计分、同一级指标的其余指标按比例折算；total 折算到全部指标",
    "reasons": "须说明原因：execution_below 执行率低于此 %；deviation_above 偏离目标超过此 %；budget_adjusted 年中调整预算；below_weight 得分低于分值",
    "taxonomy": "指标体系：一级指标 -> 二级指标",
}


def profile_yaml(name: str, source: Profile, folder: Path) -> str:
    """The text of a new profile file copied from `source`."""
    yaml = YAML()
    yaml.default_flow_style = None
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.representer.add_representer(Decimal, lambda r, d: r.represent_scalar("tag:yaml.org,2002:float", str(d)))
    data = _plain(source.rules.model_dump())
    if not data["execution"]["bands"]:
        del data["execution"]["bands"]
    for formula in data["indicators"].values():
        if isinstance(formula, dict) and formula.get("k") is None:
            formula.pop("k", None)
    data["description"] = f"{name}（在 {source.name} 的基础上修改）：" + source.description
    commented = CommentedMap(data)
    for key, comment in _COMMENTS.items():
        if key in commented:
            commented.yaml_set_comment_before_after_key(key, before=comment)
    buf = io.StringIO()
    yaml.dump(commented, buf)
    return _HEADER.format(name=name, source=source.name, folder=folder) + buf.getvalue()
