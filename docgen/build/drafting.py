"""A first draft of a new form version from a received form (`docgen templates new KIND ID
--from-form FORM`): the form is read into its grid of cells by the import's reader, its
title, field labels (label cell -> value cell), funds header and indicator header (one or
two rows) are found, every label that some version of the kind already knows (its
`read:` synonyms) is mapped to that version's field, and the labels nobody knows are
listed to be finished by hand.  The draft is a `read:` declaration; `versions.py` writes
it into the manifest beside copies of the closest version's templates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import InputError, Problem
from docgen.inputs.importing import _forms
from docgen.inputs.importing.grid import Cell, FormText, Row
from docgen.inputs.importing.labels import norm, points_of
from docgen.inputs.importing.recognise import fits
from docgen.registry.manifest import FormVersion, Reading, Registry

SECTIONS = ("field", "goal", "funds-row", "funds", "funds-total", "indicator")
_GAP = re.compile(r"[ \t\u3000]{2,}|\u3000")
_VALUE_LIKE = re.compile(r"^[\d.,%‰+\-/=≥≤<>﹦万元个]+$")
_YEAR = re.compile(r"^\d{4}\s*年度?|[(（]\s*\d{4}\s*年度?\s*[)）]$")
_LONGEST_LABEL = 24
_NOT_LABELS = {"附件", "<"}


@dataclass(frozen=True)
class Label:
    """A label the form prints: where, in which part of the form, and the field a known
    version reads it into (None: no version of the kind knows it)."""

    text: str
    where: str
    section: str
    key: str | None


@dataclass
class Draft:
    """What the form showed, as a `read:` declaration to be finished by hand."""

    path: Path
    form: FormText
    closest: FormVersion
    title: str
    known_titles: list[str] = field(default_factory=list)  # registered titles the form's title contains
    labels: list[Label] = field(default_factory=list)
    header_rows: int = 1
    class_points: bool = False
    stop: str = ""
    funds_points: bool = False
    amount_unit: str | None = None

    def mapped(self, section: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for label in self.labels:
            if label.section == section and label.key is not None and label.text not in out.get(label.key, []):
                out.setdefault(label.key, []).append(label.text)
        return out

    @property
    def unmatched(self) -> list[Label]:
        return [label for label in self.labels if label.key is None]

    def reading(self) -> dict:
        """The `read:` declaration as plain data (the manifest's shape)."""
        out: dict = {"titles": [self.title, *(t for t in self.known_titles if t != self.title)]}
        for name, section in (("fields", "field"), ("goals", "goal")):
            if self.mapped(section):
                out[name] = self.mapped(section)
        funds = self.closest.reading.funds if self.closest.reading is not None else None
        if self.mapped("funds"):
            table: dict = {"path": ".".join(funds.path) if funds else "evaluation.funds", "rows": self.mapped("funds-row"), "columns": self.mapped("funds")}
            if self.mapped("funds-total"):
                table["total_columns"] = self.mapped("funds-total")
            if self.funds_points and funds is not None and funds.points:
                table["points"] = ".".join(funds.points)
            out["funds"] = table
        indicators: dict = {}
        if self.header_rows == 2:
            indicators["header_rows"] = 2
        indicators["columns"] = self.mapped("indicator")
        if self.stop:
            indicators["stop"] = [self.stop]
            closest = self.closest.reading.indicators if self.closest.reading is not None else None
            if closest is not None and closest.total:
                indicators["total"] = ".".join(closest.total)
        if self.class_points:
            indicators["class_points"] = True
            if "weight" not in indicators["columns"]:
                indicators["weights_from_classes"] = True
        out["indicators"] = indicators
        return out


def _known(versions: list[FormVersion]) -> dict[str, dict[str, str]]:
    """section -> normalised label -> the field it is read into, from every version's `read:`
    (the closest version first: its mapping wins)."""
    out: dict[str, dict[str, str]] = {s: {} for s in SECTIONS}
    for version in versions:
        reading: Reading | None = version.reading
        if reading is None:
            continue
        groups = [("field", reading.fields), ("field", reading.lines), ("goal", reading.goals), ("indicator", reading.indicators.columns)]
        if reading.funds is not None:
            groups += [("funds-row", reading.funds.rows), ("funds", reading.funds.columns), ("funds-total", reading.funds.total_columns)]
        for section, labels in groups:
            for key, synonyms in labels.items():
                for synonym in synonyms:
                    out[section].setdefault(norm(synonym), key)
    return out


def _matches(row: Row, known: dict[str, str]) -> int:
    return sum(1 for c in row if points_of(c.text)[0] in known or norm(c.text) in known)


def _key(text: str, known: dict[str, str]) -> str | None:
    return known.get(norm(text)) or known.get(points_of(text)[0])


def _plausible(text: str) -> bool:
    """A text that may be a label: short, not a number or an amount, not a sentence, not
    a year or 附件 alone."""
    n = norm(_untitled(text))
    return 0 < len(n) <= _LONGEST_LABEL and not _VALUE_LIKE.match(n) and "。" not in n and n not in _NOT_LABELS


class _Reader:
    """One pass over the form's rows, recording every label in its part of the form."""

    def __init__(self, draft: Draft, versions: list[FormVersion]) -> None:
        self.draft, self.versions, self.known = draft, versions, _known(versions)
        self.seen: set[tuple[str, str]] = set()
        self.used: set[int] = set()  # rows already read as a table's or a header's

    def add(self, cell: Cell, section: str, text: str | None = None) -> None:
        text = (text if text is not None else cell.text).strip().rstrip(":：").strip()
        if not norm(text) or (section, norm(text)) in self.seen:
            return
        self.seen.add((section, norm(text)))
        self.draft.labels.append(Label(text, cell.where, section, _key(text, self.known[section])))

    def funds(self, rows: list[Row], at: int, end: int) -> None:
        """The funds header (every cell from its first column of numbers on) and the label
        of each source row below it, while the block's label (merged down) goes on."""
        head = rows[at]
        known, totals = self.known["funds"], self.known["funds-total"]
        first = min(c.col for c in head if _key(c.text, known) or _key(c.text, totals))
        block = head[0].text if head and head[0].col < first else None
        self.draft.funds_points = any(points_of(c.text)[1] is not None for c in head if c.col < first)
        for cell in head:
            if cell.col >= first and norm(cell.text):
                self.add(cell, "funds-total" if _key(cell.text, totals) and not _key(cell.text, known) else "funds")
        self.used.add(at)
        headings = {(c.col, c.text) for c in head}
        for r in range(at + 1, end):
            row = rows[r]
            if block is not None and (not row or row[0].text != block):
                break
            names = [c for c in row if c.col < first and norm(c.text) and c.text != block and (c.col, c.text) not in headings]
            if block is None and not (names and _key(names[-1].text, self.known["funds-row"])):
                break
            if names:
                self.add(names[-1], "funds-row")
            self.used.add(r)

    def indicators(self, rows: list[Row], at: int) -> None:
        """The indicator header (one row, or two: a heading over 指标性质/指标值/度量单位),
        then its rows up to the row that ends the table (总分, 合计, or the block's end)."""
        known = self.known["indicator"]
        self.draft.header_rows = 2 if at + 1 < len(rows) and _matches(rows[at + 1], known) >= 2 else 1
        heads = rows[at : at + self.draft.header_rows]
        for head in heads:
            for cell in head:
                if _key(cell.text, known) or cell.col > 0:
                    self.add(cell, "indicator")
        self.used |= set(range(at, at + self.draft.header_rows))
        level1 = next((c.col for head in heads for c in head if _key(c.text, known) == "level1"), None)
        last = heads[-1]
        block = last[0].text if last and not _key(last[0].text, known) else None
        stops = {norm(s) for v in self.versions if v.reading for s in v.reading.indicators.stop}
        for r in range(at + self.draft.header_rows, len(rows)):
            first = rows[r][0].text if rows[r] else ""
            if norm(first) in stops or (block is not None and first != block):
                self.draft.stop = first.strip()
                self.used |= {r} if norm(first) in stops else set()
                return
            self.used.add(r)
            heading = next((c for c in rows[r] if c.col == level1), None)
            if heading is not None and points_of(heading.text)[1] is not None:
                self.draft.class_points = True

    def goals(self, rows: list[Row]) -> None:
        for r, row in enumerate(rows):
            if r in self.used or not any(_key(c.text, self.known["goal"]) for c in row):
                continue
            for cell in row[1:]:
                self.add(cell, "goal")
            self.used |= {r, r + 1}  # the row of the goals' texts below the header

    def fields(self, rows: list[Row]) -> None:
        for r, row in enumerate(rows):
            if r not in self.used:
                self.line(row)
        lines = [*self.draft.form.preamble, *self.draft.form.after]
        for n, text in enumerate(lines):
            for part in _GAP.split(text):
                label = re.split(r"[:：]", part, maxsplit=1)[0]
                if part.strip() and label != part and _plausible(label) and norm(label) != "附件":
                    self.add(Cell(label, 0, f"{self.draft.form.label} 上下的文字第 {n + 1} 段"), "field")

    def line(self, row: Row) -> None:
        """A row of label-and-value cells: a known label, a label ending with a colon or
        typed with its value (「项目负责人：张三」), or else every other cell."""
        expect_label = True
        if sum(1 for c in row if c.text.strip()) == 1 and not any(re.search("[:：]", c.text) or _key(c.text, self.known["field"]) for c in row):
            return  # a heading typed across the table (the title of a sheet): no label
        for cell in row:
            text = cell.text.strip()
            inline = re.split(r"[:：]", text, maxsplit=1)
            if not norm(text):
                expect_label = True
            elif len(inline) == 2 and inline[1].strip() and _plausible(inline[0]):
                for part in _GAP.split(text):
                    head = re.split(r"[:：]", part, maxsplit=1)
                    if len(head) == 2 and _plausible(head[0]):
                        self.add(cell, "field", head[0])
                expect_label = True
            elif (text.endswith((":", "：")) and _plausible(text)) or _key(text, self.known["field"]):
                self.add(cell, "field")
                expect_label = False
            elif expect_label and _plausible(text):
                self.add(cell, "field")
                expect_label = False
            else:
                expect_label = True


def _title(form: FormText, kind_titles: list[str]) -> tuple[str, list[str]]:
    """The form's own title (its year taken off) and the registered titles it contains:
    the last line above the table (or a one-cell row at the top of a sheet) that ends in
    「表」 once the year is taken off."""
    top = []
    for row in form.rows:
        texts = [c.text for c in row if c.text.strip()]
        if len(texts) > 1:
            break
        top += texts
    titles = [_untitled(line) for line in [*form.preamble, *top]]
    title = next((t for t in reversed(titles) if t.endswith("表") or any(k in norm(t) for k in kind_titles)), "")
    known = sorted({t for t in kind_titles if t in norm(title)}, key=len, reverse=True)
    return title, known


def _untitled(line: str) -> str:
    """A title line without its year (「2020年度」 before it, 「（2023年度）」 after it)."""
    return _YEAR.sub("", _YEAR.sub("", line.strip())).strip()


def draft_version(path: Path, kind: str, registry: Registry) -> Draft:
    """The draft of a version of `kind` read off the received form `path`; raises
    `InputError` when the file holds no table that looks like a form of `kind`."""
    forms = _forms(path)
    versions = list(registry.kinds[kind].values())
    scored = []
    for form in forms:
        best = next((f for f in fits(form, registry) if f.version.kind == kind), None)
        if best is not None and best.matched:
            scored.append((len(best.matched), best.share, form, best.version))
    if not scored:
        why = f"文件中没有看似「{registry.version(kind, None).kind_title}」的表格（没有一个已登记的标签）：无法起草新版本"
        raise InputError(path, [Problem((), why, what="表单")])
    _, _, form, closest = max(scored, key=lambda s: (s[0], s[1]))
    ordered = [closest, *(v for v in versions if v is not closest)]
    kind_titles = [norm(t) for v in ordered if v.reading for t in v.reading.titles]
    title, known_titles = _title(form, kind_titles)
    draft = Draft(path, form, closest, title or closest.kind_title, known_titles)
    draft.amount_unit = "万元" if any("万元" in t for t in form.texts()) else closest.amount_unit
    reader = _Reader(draft, ordered)
    rows = form.rows
    at_indicators = next((r for r, row in enumerate(rows) if _matches(row, reader.known["indicator"]) >= 2 and _matches(row, reader.known["funds"]) < 2), None)
    at_funds = next((r for r, row in enumerate(rows) if _matches(row, reader.known["funds"]) >= 2), None)
    if at_funds is not None:
        reader.funds(rows, at_funds, at_indicators if at_indicators is not None and at_indicators > at_funds else len(rows))
    if at_indicators is not None:
        reader.indicators(rows, at_indicators)
    reader.goals(rows)
    reader.fields(rows)
    if not draft.mapped("indicator").get("level1") or not draft.mapped("indicator").get("name"):
        why = "找不到指标表头（一级指标、三级指标）：新版本须有指标表，请先在表中补上表头，或用 --from 复制已有版本"
        raise InputError(path, [Problem((), why, line=form.label, what="表单")])
    return draft
