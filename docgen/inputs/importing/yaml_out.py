"""The unit file an import writes: what a person would write, keys in schema order with
the form's words as comments, long text as block scalars, amounts as printed."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from docgen.inputs.entrybook.columns import value_kind
from docgen.model.fields import field_at, inner_model
from docgen.model.unit import Unit

_QUOTE = ("=", ">", "<", "≥", "≤", "＞", "＜", "＝")
_UNPRINTABLE_BREAKS = ("\x85", "\u2028", "\u2029")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@lru_cache(maxsize=4096)
def _title(model: type[BaseModel], path: tuple[str, ...]) -> str:
    info = field_at(model, path)
    return info.title if info is not None and info.title else ""


def _node(value: Any, model: type[BaseModel], path: tuple[str, ...], commented: set[tuple[str, ...]]) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        known = _fields(model, path)
        order = [n for n in known if n in value] + [k for k in value if k not in known]
        for key in order:
            sub = path + (key,)
            out[key] = _node(value[key], model, sub, commented)
            title = _title(model, sub)
            if title and sub not in commented and not isinstance(out[key], LiteralScalarString):  # each field's words once, where it first appears
                commented.add(sub)
                out.yaml_add_eol_comment(title, key)
        return out
    if isinstance(value, list):
        return CommentedSeq(_node(v, model, path, commented) for v in value)
    if isinstance(value, str) and any(ch in value for ch in _UNPRINTABLE_BREAKS):
        return DoubleQuotedScalarString(value)  # NEL, LS, PS: escaped (\N \L \P), where any other style would read them as line breaks
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value.rstrip("\n") + "\n")
    if isinstance(value, str) and value[:1] in _QUOTE:
        return DoubleQuotedScalarString(value)  # `=100%`, `>90%`: quoted, as the README asks of a person
    if isinstance(value, str) and _PLAIN_NUMBER.match(value) and _kind(model, path) in ("number", "int"):
        return Decimal(value)  # a 分值 or 得分 reads as the number it is
    return value


@lru_cache(maxsize=4096)
def _kind(model: type[BaseModel], path: tuple[str, ...]) -> str:
    return value_kind(model, path)


@lru_cache(maxsize=4096)
def _fields(model: type[BaseModel], path: tuple[str, ...]) -> tuple[str, ...]:
    """The field names, in schema order, of the model at `path` (for key order); a path
    names fields only (a list's items share it), so each is worked out once."""
    if not path:
        return tuple(model.model_fields)
    info = field_at(model, path)
    inner = inner_model(info.annotation) if info is not None else None
    return tuple(inner.model_fields) if inner is not None else ()


def _decimal(representer: Any, value: Decimal) -> Any:
    text = str(value)
    return representer.represent_scalar("tag:yaml.org,2002:" + ("float" if "." in text else "int"), text)


def unit_yaml(data: dict[str, Any]) -> str:
    yaml = YAML()
    yaml.representer.add_representer(Decimal, _decimal)
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    yaml.dump(_node(data, Unit, (), set()), buf)
    return buf.getvalue()
