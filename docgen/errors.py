"""The one exception hierarchy of docgen.

Library code raises these with the data a user needs to fix the problem (file,
line, field path, the project in the user's words); only the CLI turns them into
messages and exit codes.  Every message is Chinese because finance clerks read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any


class DocgenError(Exception):
    """Base of every error docgen reports to a user."""

    exit_code = 2

    def __str__(self) -> str:  # pragma: no cover - subclasses override
        return self.message()

    def message(self) -> str:
        return super().__str__()

    def __reduce__(self) -> Any:
        """Rebuilt from its fields, so it crosses a process boundary (`-j N`) unchanged."""
        if is_dataclass(self):
            return type(self), tuple(getattr(self, f.name) for f in fields(self) if f.init)
        return super().__reduce__()


class Located(str):
    """A place in one of several files read as one unit (received printed forms): reads
    `file:cell`, the file included, where a single file's place is a line or a cell only."""

    file: Path
    cell: str

    def __new__(cls, file: Path, cell: str) -> Located:
        self = super().__new__(cls, f"{file}:{cell}")
        self.file, self.cell = Path(file), cell
        return self

    def __reduce__(self) -> Any:
        return Located, (self.file, self.cell)


def place(file: Path | str, line: int | str | None) -> str:
    """Where to look, as `file:line` (`file:cell`); a `Located` names its own file."""
    if isinstance(line, Located):
        return str(line)
    return f"{file}:{line}" if line else str(file)


@dataclass
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    path: tuple[str | int, ...]
    text: str
    line: int | str | None = None  # a line number, or a workbook's cell (`项目!F5`)
    context: str = ""  # e.g. 项目「…」 / 指标「…」 in the user's words
    what: str = ""  # what `line` names when it is not a line or a cell (表单: a form of a file)
    words: str | None = None  # the field as the message names it when it is no unit file's field (a profile's key)

    def field(self) -> str:
        """The field's path in the data (`projects[0].declaration.end`): for code and tests."""
        return format_path(self.path)

    def located_text(self) -> str:
        """`第 8 行，项目「甲」，指标「乙」 分值：应为分数…`: where in the file (when known),
        the project, indicator and field in the form's words, then the problem."""
        cell = self.line.cell if isinstance(self.line, Located) else self.line
        where = self.what or (f"第 {cell} 行" if isinstance(cell, int) else f"单元格 {cell}" if cell else "")
        label = self.words if self.words is not None else self.label() if self.path else ""
        if label:
            head = "，".join(part for part in (where, " ".join(p for p in (self.context, label) if p)) if part)
        else:
            head = f"{where}（{self.context}）" if where and self.context else where or self.context
        return f"{head}：{self.text}" if head else self.text

    def label(self) -> str:
        """The field in the form's words (`申报 › 计划完成日期`); the project and indicator
        are left to `context` when it names them."""
        return _field_label(self.path, bool(self.context))


def _no_labels(path: tuple[str | int, ...], named: bool) -> str:
    return ""


# How a field path reads in the form's words: `docgen.model.labels` registers the models'
# own titles when the model is imported (this module sits below the model).
_field_label: Callable[[tuple[str | int, ...], bool], str] = _no_labels


def register_field_label(label: Callable[[tuple[str | int, ...], bool], str]) -> None:
    global _field_label
    _field_label = label


@dataclass
class InputError(DocgenError):
    """The unit file cannot be read or does not match the data model."""

    file: Path
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message())

    def message(self) -> str:
        lines = [f"输入文件有误：{self.file}"]
        for p in self.problems:
            lines.append(f"  {place(self.file, p.line)}: {p.located_text()}")
        return "\n".join(lines)


@dataclass
class TemplateError(DocgenError):
    """A template is missing, broken, or tries something a template may not do."""

    template: Path
    text: str

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message())

    def message(self) -> str:
        return f"模板有误：{self.template}：{self.text}"


@dataclass
class RegistryError(DocgenError):
    """The form registry (manifest) names something that does not exist."""

    text: str

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message())

    def message(self) -> str:
        return f"表单登记有误：{self.text}"


@dataclass
class OutputError(DocgenError):
    """Output could not be written; earlier outputs are left untouched."""

    target: Path
    text: str

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message())

    def message(self) -> str:
        return f"无法写入输出：{self.target}：{self.text}"


def format_path(path: tuple[str | int, ...]) -> str:
    """`('projects', 2, 'indicators', 0, 'weight')` -> `projects[2].indicators[0].weight`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass
class SelectionError(DocgenError):
    """A command-line choice (such as a project to render) names nothing in the file."""

    file: Path
    text: str

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message())

    def message(self) -> str:
        return f"选择有误：{self.file}：{self.text}"


@dataclass
class EditedFilesError(DocgenError):
    """A render would replace or remove files changed by hand since docgen wrote them
    (or files docgen never wrote); nothing has been written."""

    folder: Path
    edited: list[str]
    foreign: list[str] = field(default_factory=list)

    exit_code = 3

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message())

    def message(self) -> str:
        lines = [f"未生成任何文件：输出目录 {self.folder} 中有文件在上次生成后被修改过，重新生成会覆盖这些修改："]
        lines += [f"  {self.folder / name}（生成后被修改）" for name in self.edited]
        lines += [f"  {self.folder / name}（不是 docgen 生成的，或缺少生成记录 .docgen-manifest.json）" for name in self.foreign]
        lines.append(
            "请先把需要保留的修改移回数据文件（docgen import 修改过的文件 --merge 数据文件），或另存；确认可以覆盖时加 --force，或用 -o 输出到其他目录。"
        )
        return "\n".join(lines)


@dataclass
class HistoryError(DocgenError):
    """`docgen diff` was asked to compare with a render that left no record."""

    folder: Path
    text: str

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message())

    def message(self) -> str:
        return f"没有上次生成的记录：{self.folder}：{self.text}"


@dataclass
class OverwriteError(DocgenError):
    """A command would replace a file that exists (a workbook the user may have filled in)."""

    target: Path

    exit_code = 3

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message())

    def message(self) -> str:
        return f"文件已存在，未写入：{self.target}（它可能已填写了数据；确认可以覆盖时加 --force，或换一个文件名）"


@dataclass
class FolderOwnerError(DocgenError):
    """The output folder holds another unit's forms (their names make the same folder name)."""

    folder: Path
    owner: tuple[str, int]
    unit: tuple[str, int]

    exit_code = 3

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message())

    def message(self) -> str:
        return (
            f"未生成任何文件：输出目录 {self.folder} 是单位「{self.owner[0]}」{self.owner[1]} 年的（见其中的生成记录 "
            f".docgen-manifest.json），而数据文件是单位「{self.unit[0]}」{self.unit[1]} 年；两个单位名称作文件夹名时相同"
            "（/ : 等字符被替换）。请用 -o 输出到其他目录；确认要用本单位的表单替换那个单位的表单时加 --force。"
        )


@dataclass
class RecordError(DocgenError):
    """The output folder's record (`.docgen-manifest.json`) is damaged or was planted: it
    is not a regular file, is far too big or too deep, or names a file outside its folder.
    Nothing is written or deleted."""

    record: Path
    text: str

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message())

    def message(self) -> str:
        return (
            f"输出目录的生成记录已损坏或被篡改：{self.record}：{self.text}。未写入、未删除任何文件；"
            "请删除这个记录文件（此后目录中已有的文件视为非 docgen 生成，覆盖前会要求 --force），或用 -o 输出到其他目录。"
        )


@dataclass(frozen=True)
class Conflict:
    """A value changed on the form and in the unit file since the last render, differently."""

    label: str  # the field in the form's words, with its project and indicator
    ours: str  # the unit file's value now
    theirs: str  # the form's value
    base: str  # the value last rendered
    ours_at: str  # where in the unit file (file:line or file:cell)
    theirs_at: str  # where on the form (file:cell)


@dataclass
class MergeConflictError(DocgenError):
    """A merge found values changed on both sides: nothing is written."""

    file: Path
    conflicts: list[Conflict] = field(default_factory=list)

    exit_code = 3

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message())

    def message(self) -> str:
        lines = [f"未写入：{self.file} 与表单在上次生成后都改了同一处，改得不同（{len(self.conflicts)} 处冲突）："]
        for c in self.conflicts:
            lines.append(f"  {c.label}：上次生成为「{c.base}」")
            lines.append(f"    数据文件 {c.ours_at}：「{c.ours}」")
            lines.append(f"    表单 {c.theirs_at}：「{c.theirs}」")
        lines.append("请先在数据文件或表单中改成一致；或加 --theirs（以表单为准）或 --ours（以数据文件为准）处理全部冲突。")
        return "\n".join(lines)


@dataclass
class SourceOwnerError(DocgenError):
    """The output folder holds the forms another data file of the same unit and year rendered."""

    folder: Path
    first: str  # the data file that rendered the folder
    source: Path  # the data file being rendered

    exit_code = 3

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message())

    def message(self) -> str:
        return (
            f"未生成任何文件：输出目录 {self.folder} 中的表单是数据文件 {self.first} 生成的（见生成记录 .docgen-manifest.json），"
            f"不是 {self.source}；同一单位同一年度的表单只来自一个数据文件，以免一个文件删掉另一个文件的表单。"
            f"请把两个文件的项目合并到一个文件中再生成（或继续用 docgen render {self.first}）；"
            f"确认要以 {self.source} 取代 {self.first} 时加 --replace（{self.first} 生成而 {self.source} 不生成的表单将被删除）；"
            "或用 -o 输出到其他目录。"
        )
