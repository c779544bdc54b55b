"""Which registered form a table or sheet is, by its structure: how well its title and
labels match each version's declaration (`read:` in templates/manifest.yaml: titles,
field labels, the funds and indicator headers).  The best match wins; a table that looks
like a form but matches no version well enough is a near miss, named with the closest
version and the labels missing or unexpected."""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.inputs.importing.grid import FormText
from docgen.inputs.importing.labels import norm, points_of
from docgen.inputs.importing.lines import around, parts, trailing
from docgen.registry.manifest import FormVersion, Registry

_LONGEST_TITLE_LINE = 40  # a title with the unit's name and the year before it; a sentence is longer
RECOGNISED = 0.6  # share of a version's labels a form must carry (title found)
UNTITLED = 0.8  # … when its title is not there (a table typed without it)
NEAR_MISS = 0.3  # a table carrying this share of some version's labels looks like a form


def _titled(head: str, title: str) -> bool:
    """The title, alone or typed on one line with the year or the unit's name
    (「2022年度财政项目支出绩效自评表」); a cover note that only mentions it is a sentence."""
    return (
        head.startswith(title)
        or head.endswith(title)
        or (title in head and len(head) <= len(title) + _LONGEST_TITLE_LINE and not head.endswith(("。", ".")))
        or title in head.split("\t")[0][-len(title) :]
    )


@dataclass
class Fit:
    """How well a form matches one version."""

    version: FormVersion
    title: str  # the version's title the form carries ("" when none)
    matched: list[str] = field(default_factory=list)  # the version's labels found (its own wording)
    missing: list[str] = field(default_factory=list)  # the version's labels not found
    unexpected: list[tuple[str, str, FormVersion]] = field(default_factory=list)  # (text, where, a version it is a label of)

    @property
    def share(self) -> float:
        total = len(self.matched) + len(self.missing)
        return (len(self.matched) - len(self.unexpected)) / total if total else 0.0

    @property
    def recognised(self) -> bool:
        return self.share >= (RECOGNISED if self.title else UNTITLED)

    def key(self, default: bool) -> tuple[bool, int, float, bool]:
        """Recognised first, then the most specific title (「部门预算项目支出绩效自评表」 before
        「项目支出绩效自评表」), then the share of labels, then the kind's default version."""
        return (self.recognised, len(self.title), self.share, default)


def _texts(form: FormText) -> tuple[dict[str, str], set[str]]:
    """Every text of the form as matched (normalised, points taken off) -> where it is,
    and those found only on the label-and-value lines just over or under the table
    (「填表人：张三　　联系电话：…」)."""
    out: dict[str, str] = {}
    last = len(form.rows) - trailing(form.rows)
    for row in form.rows[:last]:
        for cell in row:
            for text in {norm(cell.text), points_of(cell.text)[0]}:
                if text:
                    out.setdefault(text, cell.where)
                    if ":" in text:  # 项目负责人：张三
                        out.setdefault(text.split(":", 1)[0], cell.where)
    for text in form.preamble:
        out.setdefault(norm(text), form.label)
    outside = set()
    below = [part for row in form.rows[last:] for cell in row if cell.text.strip() for part in parts(cell.text, cell.where, cell.col)]
    for part in [*(part for side in around(form) for line in side for part in line), *below]:
        text = part.label or norm(part.text)
        if text not in out:
            out[text] = part.where
            outside.add(text)
    return out, outside


@dataclass(frozen=True)
class _Declared:
    """One version's declaration as matched: its titles (normalised, longest first), its
    labels (the version's own wording -> the normalised synonyms) and all of them."""

    version: FormVersion
    default: bool
    titles: tuple[tuple[str, str], ...]  # (as declared, normalised)
    labels: tuple[tuple[str, frozenset[str]], ...]
    own: frozenset[str]


_DECLARED: dict[int, tuple[Registry, list[_Declared], dict[str, FormVersion]]] = {}


def _declared(registry: Registry) -> tuple[list[_Declared], dict[str, FormVersion]]:
    """Every version's declaration as matched, and every label some version declares ->
    one version declaring it; worked out once per registry (it was a sixth of reading a
    form, done again for every table)."""
    kept = _DECLARED.get(id(registry))
    if kept is not None and kept[0] is registry:
        return kept[1], kept[2]
    out: list[_Declared] = []
    everyone: dict[str, FormVersion] = {}
    for kind, versions in registry.kinds.items():
        for version in versions.values():
            reading = version.reading
            if reading is None:
                continue
            labels = tuple((synonyms[0], frozenset(norm(s) for s in synonyms)) for synonyms in reading.labels().values())
            own = frozenset().union(*(names for _, names in labels))
            titles = tuple((t, norm(t)) for t in sorted(reading.titles, key=len, reverse=True))
            out.append(_Declared(version, version.version == registry.defaults[kind], titles, labels, own))
            for synonyms in reading.labels().values():
                for label in synonyms:
                    everyone.setdefault(norm(label), version)
    if len(_DECLARED) >= 8:
        _DECLARED.pop(next(iter(_DECLARED)))
    _DECLARED[id(registry)] = (registry, out, everyone)
    return out, everyone


def fits(form: FormText, registry: Registry, strict: bool = False) -> list[Fit]:
    """The fit of `form` to every version that declares how it is read, best first.  A
    sign-off line outside the table whose labels another version declares does not count
    against a version (a clerk adds 「填表人：…」 under any form), unless `strict` (`docgen
    templates check`: a template's print is exactly what its `read:` says)."""
    head = [norm(t) for t in [*form.preamble[-3:], *(c.text for row in form.rows[:2] for c in row)] if t.strip()]
    texts, outside = _texts(form)
    declared, everyone = _declared(registry)
    known = [(text, where, everyone[text]) for text, where in texts.items() if text in everyone and (strict or text not in outside)]
    out = []
    for one in declared:
        title = next((t for t, normed in one.titles if any(_titled(h, normed) for h in head)), "")
        fit = Fit(one.version, title)
        for label, names in one.labels:
            (fit.matched if any(n in texts for n in names) else fit.missing).append(label)
        fit.unexpected = [(text, where, version) for text, where, version in known if text not in one.own]
        out.append((fit, one.default))
    out.sort(key=lambda pair: pair[0].key(pair[1]), reverse=True)
    return [fit for fit, _ in out]


def recognise(form: FormText, registry: Registry) -> FormVersion | None:
    best = next(iter(fits(form, registry)), None)
    return best.version if best is not None and best.recognised else None


def near_miss(form: FormText, registry: Registry) -> str | None:
    """Why a table that looks like a form is none of the registered versions: the closest
    version, the labels it misses and those it does not know, and how to add a version."""
    best = next(iter(fits(form, registry)), None)
    if best is None or best.recognised or best.share < NEAR_MISS and not best.title:
        return None
    parts = [
        f"最接近的是「{best.version.display}」（{best.version.kind}/{best.version.version}，相符 {len(best.matched)}/{len(best.matched) + len(best.missing)} 个标签）"
    ]
    if best.missing:
        parts.append(f"缺少：{'、'.join(best.missing[:8])}{' 等' if len(best.missing) > 8 else ''}")
    if best.unexpected:
        shown = "、".join(f"「{t}」（{w}）" for t, w, _ in best.unexpected[:5])
        parts.append(f"多出该版本没有的标签：{shown}")
    parts.append("如是另一地区或年度的版本，请在 templates/manifest.yaml 中登记（见文档「新增表式与地区」docs/templates.md；docgen templates new）")
    return "看似绩效表单，但与已登记的版本都不够相符：" + "；".join(parts)


def mixed(form: FormText, version: FormVersion, registry: Registry) -> str | None:
    """A form read as `version` that carries labels of other versions (where the reader
    found something it cannot place): which labels, where, and whose they are."""
    fit = next((f for f in fits(form, registry) if f.version is version), None)
    if fit is None or not fit.unexpected:
        return None
    shown = "、".join(f"「{t}」（{w}，属于「{v.display}」）" for t, w, v in fit.unexpected[:5])
    return f"表中混有其他版本的标签：{shown}；本表按「{version.display}」读取：请按一种版本的表式填写"
