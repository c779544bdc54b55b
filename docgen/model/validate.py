"""Stage 2: turn loaded data into a `Unit`, or an `InputError` a clerk can act on."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from docgen.errors import InputError, Problem
from docgen.model.fields import field_at, quote
from docgen.model.unit import Unit
from docgen.parse.text import LoadedFile

# pydantic error types -> Chinese wording; anything else falls back to our own
# validator messages (already Chinese) or a generic phrase.
_MESSAGES = {
    "missing": "缺少必填字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "string_type": "应为文字",
    "list_type": "应为列表（每项以 - 开头）",
    "dict_type": "应为键值结构（key: value）",
    "model_type": "应为键值结构（key: value）",
    "model_attributes_type": "应为键值结构（key: value）",
    "too_short": "至少需要一项",
    "greater_than_equal": "数值过小（应不小于 {ge}）",
    "less_than_equal": "数值过大（应不大于 {le}）",
    "bool_type": "应为「是」或「否」",
    "bool_parsing": "应为「是」或「否」",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "date_type": "应为日期",
    "date_parsing": "应为日期",
    "literal_error": "取值无效",
    "string_too_long": "文字过长",
    "too_long": "项数过多",
    "frozen_instance": "不可修改",
    "date_from_datetime_parsing": "应为日期",
    "date_from_datetime_inexact": "应为日期",
}


def _choices(loc: tuple[str | int, ...], expected: str) -> str:
    """The values a Literal field allows, joined the Chinese way (pydantic writes "'a', 'b' or 'c'")."""
    import typing

    info = field_at(Unit, loc)
    args = typing.get_args(info.annotation) if info is not None else ()
    literal = next((a for a in (getattr(info, "annotation", None), *args) if typing.get_origin(a) is typing.Literal), None)
    if literal is not None:
        return "、".join(str(v) for v in typing.get_args(literal))
    return expected.replace("' or '", "、").replace("', '", "、").strip("'")


class _Context(dict):
    """A pydantic error's context for a message template; a missing key prints blank."""

    def __missing__(self, key: str) -> str:
        return ""


def _title(loc: tuple[str | int, ...]) -> str:
    info = field_at(Unit, loc)
    return (info.title or "") if info is not None else ""


def _field_titles(model: type[BaseModel]) -> list[str]:
    return [f"{name}（{info.title}）" if info.title else name for name, info in model.model_fields.items()]


def _model_at(loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The pydantic model that owns the mapping at `loc` (to list its allowed keys)."""
    from docgen.model import unit as models

    model: Any = Unit
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        ann = field.annotation
        candidates = [ann, *getattr(ann, "__args__", ())]
        nxt = None
        for cand in candidates:
            for inner in [cand, *getattr(cand, "__args__", ())]:
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    nxt = inner
        if nxt is None:
            return None
        model = nxt
    return model if model is not models else None


def describe(data: Any, loc: tuple[str | int, ...]) -> str:
    """The project and indicator at `loc`, in the user's words."""
    parts = []
    if len(loc) >= 2 and loc[0] == "projects" and isinstance(loc[1], int):
        try:
            project = data["projects"][loc[1]]
            parts.append(f"项目「{quote(project.get('name') or f'第{loc[1] + 1}个')}」")
            if len(loc) >= 4 and loc[2] == "indicators" and isinstance(loc[3], int):
                indicator = project["indicators"][loc[3]]
                parts.append(f"指标「{quote(indicator.get('name') or f'第{loc[3] + 1}个')}」")
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
    return "，".join(parts)


def _problem(error: dict[str, Any], loaded: LoadedFile) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        owner = _model_at(loc[:-1])
        allowed = "、".join(_field_titles(owner)) if owner else ""
        text = f"未知字段「{quote(loc[-1])}」（拼写错误？）" + (f"；此处允许：{allowed}" if allowed else "")
    elif kind == "literal_error":
        text = f"取值「{quote(error.get('input'))}」无效，应为 {_choices(loc, str(error.get('ctx', {}).get('expected', '')))}"
    elif kind == "value_error":
        text = str(error["ctx"]["error"])  # the message names the field in the form's words (Problem.label)
    else:
        # pydantic's own English (error["msg"]) never reaches a user: an unknown kind gets a Chinese phrase
        text = _MESSAGES.get(kind, "取值无效").format_map(_Context(error.get("ctx") or {}))
        if kind not in ("missing",) and "input" in error and not isinstance(error["input"], (dict, list)):
            text += f"，却是「{quote(error['input'])}」"
    return Problem(path=loc, text=text, line=loaded.line_of(loc), context=describe(loaded.data, loc))


def _order(where: int | str | None) -> tuple[Any, ...]:
    """Problems in file order: by line, or by sheet, row and column of a workbook cell."""
    if not isinstance(where, str):
        return (where or 0,)
    sheet, _, cell = where.rpartition("!")
    letters = cell.rstrip("0123456789")
    return (sheet, int(cell[len(letters) :] or 0), len(letters), letters)


def validate(loaded: LoadedFile) -> Unit:
    """Validate loaded data against the model; collect every problem, not just the first."""
    if not isinstance(loaded.data, dict):
        raise InputError(loaded.path, [Problem((), "文件顶层应为键值结构（unit:、year:、projects: …）", line=1)])
    try:
        return Unit.model_validate(loaded.data)
    except ValidationError as exc:
        problems = [_problem(dict(err), loaded) for err in exc.errors()]
        problems.sort(key=lambda p: _order(p.line))
        raise InputError(loaded.path, problems) from exc
