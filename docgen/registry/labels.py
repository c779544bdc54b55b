"""A label as the manifest declares it: the version's own wording first, then the
synonyms a clerk's copy uses (`read:` and a kind's `synonyms:`)."""

from __future__ import annotations

from typing import Any

from docgen.errors import RegistryError

__all__ = ["Labels", "label_map", "labels"]

Labels = tuple[str, ...]  # a field's label as the version prints it, then the synonyms a clerk's copy uses


def labels(value: Any, where: str) -> Labels:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise RegistryError(f"{where} 应为标签或标签列表，却是「{value}」")
    return tuple(values)


def label_map(raw: Any, where: str) -> dict[str, Labels]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RegistryError(f"{where} 应为 字段: 标签 的映射")
    return {str(k): labels(v, f"{where}.{k}") for k, v in raw.items()}
