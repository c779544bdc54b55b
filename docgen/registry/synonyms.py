"""A kind's synonyms (`synonyms:` of a kind in templates/manifest.yaml): the words
clerks' copies of any of its versions use for the same field, which each version's
`read:` is extended with (`with_synonyms`), but for a word the version uses for another
field."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from docgen.errors import RegistryError
from docgen.registry.labels import Labels, label_map, norm
from docgen.registry.labels import labels as labels_of_raw

if TYPE_CHECKING:
    from docgen.registry.manifest import Reading

__all__ = ["Synonyms", "read_synonyms", "with_synonyms"]


@dataclass(frozen=True)
class Synonyms:
    """The labels clerks' copies of a kind's forms use for the same thing, whatever the
    version (`synonyms:` of a kind, in the shape of `read:`): each version reads them
    besides its own labels, unless it uses one for another field (the 四川 form's
    「指标值」 is the value part of its split target, not its whole 年度指标值)."""

    titles: Labels = ()
    sections: dict[str, dict[str, Labels]] = field(default_factory=dict)  # "fields", "goals", "funds.rows"… -> key -> labels


_SYNONYM_SECTIONS = ("fields", "goals", "funds.rows", "funds.columns", "funds.total_columns", "indicators.columns")


def read_synonyms(raw: Any, where: str) -> Synonyms:
    where = f"{where}.synonyms"
    if raw is None:
        return Synonyms()
    if not isinstance(raw, dict):
        raise RegistryError(f"{where} 应为映射（形如 read:：titles、fields、goals、funds、indicators）")
    unknown = set(raw) - {"titles", "fields", "goals", "funds", "indicators"}
    if unknown:
        raise RegistryError(f"{where} 有未知的键：{'、'.join(sorted(map(str, unknown)))}")
    sections: dict[str, dict[str, Labels]] = {}
    for name in _SYNONYM_SECTIONS:
        head, _, tail = name.partition(".")
        value = raw.get(head)
        if tail and value is not None:
            if not isinstance(value, dict):
                raise RegistryError(f"{where}.{head} 应为映射")
            value = value.get(tail)
        sections[name] = label_map(value, f"{where}.{name}")
    titles = labels_of_raw(raw["titles"], f"{where}.titles") if raw.get("titles") else ()
    return Synonyms(titles, sections)


def with_synonyms(reading: Reading, synonyms: Synonyms) -> Reading:
    """`reading` with each label list extended by the kind's synonyms of its field, but for
    a label the version declares for something else (its own wording stays first); labels
    are compared as they are matched (`norm`)."""
    declared = {norm(x) for labels in reading.labels().values() for x in labels} | {norm(x) for x in (*reading.titles, *reading.indicators.stop)}

    def extended(section: str, labels_of: dict[str, Labels]) -> dict[str, Labels]:
        more = synonyms.sections.get(section, {})
        out = {}
        for key, labels in labels_of.items():
            own = {norm(x) for x in labels}
            extra = [x for x in more.get(key, ()) if norm(x) not in own and norm(x) not in declared]
            out[key] = tuple(dict.fromkeys((*labels, *extra)))
        return out

    titles = (
        (*reading.titles, *(t for t in synonyms.titles if norm(t) not in declared))
        if set(map(norm, synonyms.titles)) & set(map(norm, reading.titles))
        else reading.titles
    )
    funds = reading.funds
    if funds is not None:
        funds = replace(
            funds,
            rows=extended("funds.rows", funds.rows),
            columns=extended("funds.columns", funds.columns),
            total_columns=extended("funds.total_columns", funds.total_columns),
        )
    return replace(
        reading,
        titles=tuple(titles),
        fields=extended("fields", reading.fields),
        lines=extended("fields", reading.lines),  # a sign-off line's labels are fields' labels
        goals=extended("goals", reading.goals),
        funds=funds,
        indicators=replace(reading.indicators, columns=extended("indicators.columns", reading.indicators.columns)),
    )
