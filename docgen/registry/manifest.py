"""The form registry: form kinds, their versions and rule profiles, read from
`templates/manifest.yaml`.  Nothing about a particular form version is hard-coded
in Python; scoring and checks receive a `Profile`, renderers a `FormVersion`.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from docgen.errors import InputError, RegistryError
from docgen.parse.load import load_path as load_file
from docgen.parse.text import LoadedFile
from docgen.registry.labels import Labels
from docgen.registry.labels import label_map as _label_map
from docgen.registry.labels import labels as _labels
from docgen.registry.profiles.store import Profile, read_folder, rules_of
from docgen.registry.synonyms import Synonyms, read_synonyms, with_synonyms


def _default_templates() -> Path:
    """The templates shipped with docgen: package data (`docgen/templates` in an installed
    wheel, beside `docgen/data/examples` the manifest's `example:` paths point at), found
    through importlib.resources; in a checkout (or an editable install) its `templates/`."""
    try:
        packaged = Path(str(resources.files("docgen") / "templates"))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - docgen imported oddly
        packaged = None
    if packaged is not None and (packaged / "manifest.yaml").is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


DEFAULT_TEMPLATES = _default_templates()


def templates_dir() -> Path:
    """`$DOCGEN_TEMPLATES`, else the templates shipped with docgen (`DEFAULT_TEMPLATES`)."""
    return Path(os.environ.get("DOCGEN_TEMPLATES") or DEFAULT_TEMPLATES)


@dataclass(frozen=True)
class FundsTable:
    """A 项目资金 / 预算执行情况 block read as a table: a header row of `columns` (stage ->
    labels) over one row per source (`rows`: source -> labels); `total_columns` (dotted
    path -> labels) are read from the `total` row only; `points` is the dotted path the
    block label's points go to (「预算执行情况（20分）」)."""

    path: tuple[str, ...]
    rows: dict[str, Labels]
    columns: dict[str, Labels]
    total_columns: dict[str, Labels] = field(default_factory=dict)
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorTable:
    """The indicator table: column -> labels (`target_comparator`/`target_value`/`target_unit`
    are a target split over three cells), the header's rows (2: a heading such as 年度指标值
    over 指标性质/指标值/度量单位), the labels of the row that ends it (总分, 合计), where
    that row's score goes, whether class cells carry points (「产出指标（50分）」) and
    whether the weights come from them (a form with no 分值 column)."""

    columns: dict[str, Labels]
    header_rows: int = 1
    stop: Labels = ()
    total: tuple[str, ...] = ()
    class_points: bool = False
    weights_from_classes: bool = False
    classes: dict[str, str] = field(default_factory=dict)  # a class as printed -> the class of the taxonomy


@dataclass(frozen=True)
class Reading:
    """How `docgen import` finds a version's values, by the labels it prints (`read:` in
    the manifest): its titles, field labels (dotted path -> labels), header labels over a
    row of texts (`goals`), its funds table, its indicator table and the fields printed
    as 「label：value」 on the lines outside the table (`lines`: a sign-off line such as
    「填表人：张三　　联系电话：123」, Word paragraphs or a PDF's text above or below the
    table, a sheet's rows)."""

    titles: Labels
    fields: dict[str, Labels]
    goals: dict[str, Labels]
    funds: FundsTable | None
    indicators: IndicatorTable
    lines: dict[str, Labels] = field(default_factory=dict)
    unprinted: Labels = ()  # labels of this `read:` a received copy may carry that the version's own templates do not print

    def labels(self) -> dict[str, Labels]:
        """Every label the version prints, by a name (for recognition and its messages)."""
        out: dict[str, Labels] = {f"field:{k}": v for k, v in self.fields.items()}
        out |= {f"goal:{k}": v for k, v in self.goals.items()}
        if self.funds is not None:
            out |= {f"funds-row:{k}": v for k, v in self.funds.rows.items()}
            out |= {f"funds:{k}": v for k, v in self.funds.columns.items()}
            out |= {f"funds-total:{k}": v for k, v in self.funds.total_columns.items()}
        out |= {f"indicator:{k}": v for k, v in self.indicators.columns.items()}
        out |= {f"line:{k}": v for k, v in self.lines.items()}
        return out


@dataclass(frozen=True)
class FormVersion:
    """One registered version of a form kind: its templates and the rules its data must meet."""

    kind: str
    kind_title: str
    version: str
    description: str
    docx: Path
    xlsx: Path
    profile: Profile | None  # the scoring rules, for kinds that score
    taxonomy: dict[str, tuple[str, ...]]  # 一级指标 -> allowed 二级指标
    required_level1: tuple[str, ...] = ()  # 一级指标 classes every project must have
    requires: tuple[str, ...] = ()  # dotted project fields that must not be blank
    dates_within_year: bool = False  # 计划开始/完成日期 must lie in the unit's year
    labels: dict[str, str] | None = None  # texts the templates print, e.g. column headings
    amount_unit: str | None = None  # 元 / 万元: the unit the printed form states, if fixed
    example: Path | None = None  # a unit file `docgen templates check` renders this version with
    scope: str = "project"  # "unit": the .docx is one document for the whole unit, the .xlsx one sheet per project
    fields: tuple[str, ...] | None = None  # dotted project fields the version prints (the workbook's columns); None: all its kind's
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # dotted field -> the only values allowed (a drop-down list)
    suggestions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # dotted field -> usual values (a list; others allowed)
    reading: Reading | None = None  # how `docgen import` reads it (`read:`)
    region: str = ""  # where it is used (四川, 安徽…), as import messages name it

    @property
    def title(self) -> str:
        """The title this version's forms print (`labels: {title: …}`), as file names, the
        book's contents and messages name the form: 「部门预算项目支出绩效自评表」 for the
        Sichuan version; the kind's title when the version states none."""
        return (self.labels or {}).get("title") or self.kind_title

    @property
    def display(self) -> str:
        """The version as import messages name it: 「四川 部门预算项目支出绩效自评表 2023」."""
        title = self.reading.titles[0] if self.reading is not None and self.reading.titles else self.kind_title
        year = re.search(r"\d{4}$", self.version)
        return f"{self.region} {title} {year.group(0) if year else self.version}" if self.region else f"{title} {self.version}"


@dataclass(frozen=True)
class BookSpec:
    """The annual book (汇总表): its Word skeleton and the words of its title and sheet names."""

    docx: Path
    title_words: dict[str, str]  # form kind -> words in the book title
    sheet_tags: dict[str, str]  # form kind -> short tag in worksheet names

    def title(self, unit: str, year: int, kinds: list[str]) -> str:
        words = "及".join(dict.fromkeys(self.title_words.get(k, k) for k in kinds))
        return f"{unit}{year}年度{words}汇总表"


@dataclass(frozen=True)
class LetterSpec:
    """A letter docgen writes beside the forms (the review's 审核意见): its own kind and
    version, and its Word template (`letters:` in the manifest, not a form kind)."""

    kind: str
    title: str
    version: str
    docx: Path


@dataclass(frozen=True)
class Registry:
    root: Path
    kinds: dict[str, dict[str, FormVersion]]
    defaults: dict[str, str]
    book: BookSpec
    fonts: dict[str, str] = field(default_factory=dict)  # family a template names -> installed family, for PDF
    letters: dict[str, LetterSpec] = field(default_factory=dict)
    profiles: dict[str, Profile] = field(default_factory=dict)  # the shipped rule profiles, by name
    # form kind -> the Python package that implements it (`package:`, default docgen.forms.<kind>),
    # in the order a project's forms come (`form_order:`, then the other kinds in manifest order)
    packages: dict[str, str] = field(default_factory=dict)

    def letter(self, kind: str) -> LetterSpec:
        if kind not in self.letters:
            raise RegistryError(f"{self.root / 'manifest.yaml'} 的 letters: 中没有登记「{kind}」（文书模板）")
        return self.letters[kind]

    def version(self, kind: str, version: str | None = None) -> FormVersion:
        if kind not in self.kinds:
            raise RegistryError(f"没有表单种类「{kind}」；已登记：{'、'.join(self.kinds)}")
        version = version or self.defaults[kind]
        try:
            return self.kinds[kind][version]
        except KeyError:
            known = "、".join(self.kinds[kind])
            raise RegistryError(f"表单「{kind}」没有版本「{version}」；已登记：{known}") from None


def _profiles(raw: Any, loaded: LoadedFile, root: Path) -> dict[str, Profile]:
    """The manifest's `profiles:` and the files of `templates/profiles/`, each checked
    (a mistake names the file, line and field)."""
    out: dict[str, Profile] = {}
    try:
        for name, body in (raw or {}).items():
            out[str(name)] = Profile(name=str(name), rules=rules_of(str(name), body, loaded, ("profiles", name)), source=loaded.path)
        for name, profile in read_folder(root / "profiles").items():
            if name in out:
                raise RegistryError(f"规则配置「{name}」在 manifest.yaml 与 {profile.source} 中都有")
            out[name] = profile
    except InputError as exc:
        raise RegistryError(exc.message()) from exc
    return out


def _version(
    kind: str, title: str, version: str, entry: dict[str, Any], profiles: dict[str, Profile], root: Path, synonyms: Synonyms = Synonyms()
) -> FormVersion:
    where = f"kinds.{kind}.versions.{version}"
    profile = None
    if entry.get("profile") is not None:
        profile = profiles.get(entry["profile"])
        if profile is None:
            raise RegistryError(f"{where}：没有规则配置「{entry['profile']}」")
    taxonomy = entry.get("taxonomy")
    if taxonomy is None and profile is None:
        raise RegistryError(f"{where}：须有 profile 或 taxonomy")
    return FormVersion(
        kind=kind,
        kind_title=title,
        version=version,
        description=str(entry.get("description", "")),
        docx=root / entry["docx"],
        xlsx=root / entry["xlsx"],
        profile=profile,
        taxonomy=(
            {str(k): tuple(str(x) for x in v) for k, v in taxonomy.items()} if taxonomy is not None else profile.taxonomy  # type: ignore[union-attr]
        ),
        required_level1=tuple(str(x) for x in entry.get("required_level1", ())),
        requires=tuple(str(x) for x in entry.get("requires", ())),
        dates_within_year=bool(entry.get("dates_within_year", False)),
        labels={str(k): str(v) for k, v in (entry.get("labels") or {}).items()},
        amount_unit=str(entry["amount_unit"]) if entry.get("amount_unit") else None,
        example=(root / entry["example"]).resolve() if entry.get("example") else None,
        scope=_scope(entry.get("scope", "project"), where),
        fields=tuple(str(x) for x in entry["fields"]) if entry.get("fields") is not None else None,
        choices=_lists(entry.get("choices"), f"{where}.choices"),
        suggestions=_lists(entry.get("suggestions"), f"{where}.suggestions"),
        reading=with_synonyms(_reading(entry["read"], where), synonyms) if entry.get("read") is not None else None,
        region=str(entry.get("region", "")),
    )


def _path(value: Any) -> tuple[str, ...]:
    return tuple(str(value).split(".")) if value else ()


def _reading(raw: Any, where: str) -> Reading:
    where = f"{where}.read"
    if not isinstance(raw, dict):
        raise RegistryError(f"{where} 应为映射")
    unknown = set(raw) - {"titles", "fields", "goals", "funds", "indicators", "lines", "unprinted"}
    if unknown:
        raise RegistryError(f"{where} 有未知的键：{'、'.join(sorted(map(str, unknown)))}")
    funds = raw.get("funds")
    table = None
    if funds is not None:
        table = FundsTable(
            path=_path(funds["path"]),
            rows=_label_map(funds["rows"], f"{where}.funds.rows"),
            columns=_label_map(funds["columns"], f"{where}.funds.columns"),
            total_columns=_label_map(funds.get("total_columns"), f"{where}.funds.total_columns"),
            points=_path(funds.get("points")),
        )
    ind = raw["indicators"]
    header_rows = ind.get("header_rows", 1)
    if header_rows not in (1, 2):
        raise RegistryError(f"{where}.indicators.header_rows 应为 1 或 2，却是「{header_rows}」")
    indicators = IndicatorTable(
        columns=_label_map(ind["columns"], f"{where}.indicators.columns"),
        header_rows=header_rows,
        stop=_labels(ind["stop"], f"{where}.indicators.stop") if ind.get("stop") else (),
        total=_path(ind.get("total")),
        class_points=bool(ind.get("class_points", False)),
        weights_from_classes=bool(ind.get("weights_from_classes", False)),
        classes={str(k): str(v) for k, v in (ind.get("classes") or {}).items()},
    )
    if "level1" not in indicators.columns or "name" not in indicators.columns:
        raise RegistryError(f"{where}.indicators.columns 须有 level1 与 name")
    reading = Reading(
        titles=_labels(raw["titles"], f"{where}.titles"),
        fields=_label_map(raw.get("fields"), f"{where}.fields"),
        goals=_label_map(raw.get("goals"), f"{where}.goals"),
        funds=table,
        indicators=indicators,
        lines=_label_map(raw.get("lines"), f"{where}.lines"),
        unprinted=_labels(raw["unprinted"], f"{where}.unprinted") if raw.get("unprinted") else (),
    )
    declared = {label for labels in reading.labels().values() for label in labels}
    stray = [label for label in reading.unprinted if label not in declared]
    if stray:
        raise RegistryError(f"{where}.unprinted 中的「{'、'.join(stray)}」不是本版本 read: 登记的标签")
    return reading


def _lists(raw: Any, where: str) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, list) and v for v in raw.values()):
        raise RegistryError(f"{where} 应为「字段: [取值, …]」的映射")
    return {str(k): tuple(str(x) for x in v) for k, v in raw.items()}


def _scope(value: Any, where: str) -> str:
    if value not in ("project", "unit"):
        raise RegistryError(f"{where}.scope 应为 project 或 unit，却是「{value}」")
    return str(value)


def _book(raw: dict[str, Any], root: Path) -> BookSpec:
    return BookSpec(
        docx=root / raw["docx"],
        title_words={str(k): str(v) for k, v in (raw.get("title_words") or {}).items()},
        sheet_tags={str(k): str(v) for k, v in (raw.get("sheet_tags") or {}).items()},
    )


def _letters(raw: dict[str, Any], root: Path) -> dict[str, LetterSpec]:
    return {
        str(kind): LetterSpec(kind=str(kind), title=str(body["title"]), version=str(body["version"]), docx=root / body["docx"]) for kind, body in raw.items()
    }


def _packages(kinds: dict[str, Any], order: Any) -> dict[str, str]:
    """Each kind's package (`package:`, by default `docgen.forms.<kind>`), in form order."""
    order = list(order or [])
    unknown = [str(name) for name in order if name not in kinds]
    if unknown:
        raise RegistryError(f"form_order 中的「{'、'.join(unknown)}」不是已登记的表单种类；已登记：{'、'.join(kinds)}")
    names = [*order, *(name for name in kinds if name not in order)]
    packages = {str(name): str(kinds[name].get("package") or f"docgen.forms.{name}") for name in names}
    bad = [name for name, package in packages.items() if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", package)]
    if bad:
        raise RegistryError(f"kinds.{bad[0]}.package「{packages[bad[0]]}」不是 Python 程序包名")
    return packages


def load_registry(root: Path | None = None) -> Registry:
    root = Path(root) if root else templates_dir()
    manifest = root / "manifest.yaml"
    try:
        digest = hashlib.sha256(manifest.read_bytes())
        for path in sorted((root / "profiles").glob("*.y*ml")):  # shipped profile files count too
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    except OSError:
        return _read_registry(root, manifest)  # the loader names what is wrong
    return _kept_registry(root, digest.digest())


# A batch or a test session renders hundreds of times in one process: the registry is
# read once per folder and manifest content (`digest`), so an edited manifest reads anew.
@functools.lru_cache(maxsize=8)
def _kept_registry(root: Path, digest: bytes) -> Registry:
    return _read_registry(root, root / "manifest.yaml")


def _read_registry(root: Path, manifest: Path) -> Registry:
    try:
        loaded = load_file(manifest)
    except InputError as exc:
        raise RegistryError(exc.message()) from exc
    raw = loaded.data
    try:
        profiles = _profiles(raw.get("profiles"), loaded, root)
        kinds: dict[str, dict[str, FormVersion]] = {}
        defaults: dict[str, str] = {}
        for kind, body in raw["kinds"].items():
            defaults[kind] = str(body["default"])
            kinds[kind] = {}
            synonyms = read_synonyms(body.get("synonyms"), f"kinds.{kind}")
            for version, entry in body["versions"].items():
                kinds[kind][str(version)] = _version(kind, str(body["title"]), str(version), entry, profiles, root, synonyms)
            if defaults[kind] not in kinds[kind]:
                raise RegistryError(f"kinds.{kind}.default「{defaults[kind]}」不是已登记的版本")
        packages = _packages(raw["kinds"], raw.get("form_order"))
        book = _book(raw["book"], root)
        fonts = {str(name): str(real) for name, real in (raw.get("fonts") or {}).items()}
        letters = _letters(raw.get("letters") or {}, root)
    except (KeyError, TypeError, AttributeError) as exc:
        raise RegistryError(f"{manifest} 格式有误（缺少 {exc}）") from exc
    return Registry(root=root, kinds=kinds, defaults=defaults, book=book, fonts=fonts, letters=letters, profiles=profiles, packages=packages)


def default_registry() -> Registry:
    """The registry under `templates_dir()`, read again whenever its manifest changed."""
    return load_registry()
