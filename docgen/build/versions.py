"""Managing form versions: list what the manifest registers, start a new version from an old one.

A new version is a copy of the old version's templates plus a copy of its manifest
entry; the user then edits the copies in Word/Excel and the manifest, never Python.
The manifest is rewritten with ruamel's round-trip mode so its comments survive.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from docgen.build.drafting import Draft, draft_version
from docgen.errors import RegistryError
from docgen.model.names import safe_name
from docgen.registry.manifest import FormVersion, Registry, load_registry


@dataclass(frozen=True)
class VersionRow:
    kind: str
    title: str
    version: str
    default: bool
    description: str
    files: tuple[Path, ...]
    missing: tuple[Path, ...]
    labels: dict[str, str] = field(default_factory=dict)  # label name -> the text it prints by default


def list_versions(registry: Registry) -> list[VersionRow]:
    rows = []
    for kind, versions in registry.kinds.items():
        for version in versions.values():
            files = (version.docx, version.xlsx)
            rows.append(
                VersionRow(
                    kind=kind,
                    title=version.title,
                    version=version.version,
                    default=registry.defaults[kind] == version.version,
                    description=version.description,
                    files=files,
                    missing=tuple(f for f in files if not f.is_file()),
                    labels=dict(version.labels or {}),
                )
            )
    return rows


def _renamed(path: str, kind: str, old: str, new: str) -> str:
    p = Path(path)
    stem = p.stem.replace(old, new) if old in p.stem else f"{kind}-{safe_name(new)}"
    return str(p.with_name(stem + p.suffix))


def _manifest(registry: Registry) -> tuple[YAML, Path, Any]:
    manifest = registry.root / "manifest.yaml"
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml, manifest, yaml.load(manifest.read_text(encoding="utf-8"))


def _refuse(registry: Registry, kind: str, version: str) -> None:
    if version in registry.kinds[kind]:
        raise RegistryError(f"表单「{kind}」已有版本「{version}」，不覆盖：请另取一个版本名")
    if not version.strip() or version != safe_name(version):
        raise RegistryError(f'版本名「{version}」不能为空，也不能含有 \\ / : * ? " < > | 等字符')


def _copy_templates(registry: Registry, kind: str, old: FormVersion, raw: Any, version: str) -> tuple[dict[str, str], dict[Path, Path]]:
    """The new version's template paths (the old ones renamed) and the copies to make;
    refuses when a file of that name is there already."""
    paths, copies = {}, {}
    for key in ("docx", "xlsx"):
        paths[key] = _renamed(str(raw[key]), kind, old.version, version)
        target = registry.root / paths[key]
        if target.exists():
            raise RegistryError(f"文件已存在，不覆盖：{target}")
        copies[getattr(old, key)] = target
    return paths, copies


def _write(yaml: YAML, manifest: Path, data: Any, copies: dict[Path, Path]) -> None:
    """The template copies, then the manifest, atomically (a copy left by a failed write is removed)."""
    done = []
    try:
        for src, dst in copies.items():
            shutil.copyfile(src, dst)
            done.append(dst)
        fd, tmp = tempfile.mkstemp(prefix=".manifest-", suffix=".yaml", dir=manifest.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                yaml.dump(data, fh)
            os.replace(tmp, manifest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except BaseException:
        for dst in done:
            dst.unlink(missing_ok=True)
        raise


def new_version(kind: str, version: str, source: str, root: Path | None = None, region: str | None = None) -> FormVersion:
    """Copy version `source` of `kind` (templates and manifest entry) as `version`; with
    `region`, the new version's `region:` (else the source's, if it has one)."""
    registry = load_registry(root)
    old = registry.version(kind, source)
    _refuse(registry, kind, version)
    yaml, manifest, data = _manifest(registry)
    versions = data["kinds"][kind]["versions"]
    entry = versions[source].copy()
    paths, copies = _copy_templates(registry, kind, old, versions[source], version)
    entry.update(paths)
    entry["description"] = f"{old.description}（由 {source} 版复制，待修改）".strip()
    if region:
        entry["region"] = region
    versions[version] = entry
    _write(yaml, manifest, data, copies)
    return load_registry(registry.root).version(kind, version)


_NOT_COPIED = ("description", "docx", "xlsx", "example", "read", "region")


def drafted_version(kind: str, version: str, form: Path, root: Path | None = None, region: str | None = None) -> tuple[FormVersion, Draft]:
    """A new version `version` of `kind` drafted from the received form `form`
    (`drafting.draft_version`): the closest version's templates copied, its manifest entry
    copied with the `read:` the form's labels give, and the labels no version knows listed
    above it as comments to finish by hand.  The form's own title becomes the version's
    `labels: {title: …}` (file names and messages use it) and `region`, when given, its
    `region:` (import messages name the version by it)."""
    registry = load_registry(root)
    registry.version(kind, None)
    _refuse(registry, kind, version)
    draft = draft_version(form, kind, registry)
    yaml, manifest, data = _manifest(registry)
    versions = data["kinds"][kind]["versions"]
    raw = versions[draft.closest.version]
    paths, copies = _copy_templates(registry, kind, draft.closest, raw, version)
    entry = CommentedMap()
    entry["description"] = f"由 {form.name} 起草（docgen templates new --from-form），模板复制自 {draft.closest.version} 版：待修改"
    entry.update(paths)
    if region:
        entry["region"] = region
    for key, value in raw.items():
        if key not in _NOT_COPIED:
            entry[key] = _plain(value, flow=key in ("labels", "fields"))
    if draft.title and draft.title != draft.closest.title:
        labels = entry.get("labels")
        if labels is None:
            labels = entry["labels"] = _plain({}, flow=True)
        labels.insert(0, "title", draft.title)
    if draft.amount_unit:
        entry["amount_unit"] = draft.amount_unit
    entry["read"] = _plain(draft.reading())
    entry.yaml_set_comment_before_after_key("read", before=_comment(draft), indent=8)
    versions[version] = entry
    _write(yaml, manifest, data, copies)
    return load_registry(registry.root).version(kind, version), draft


def _plain(value: Any, flow: bool = False) -> Any:
    """A copy of manifest data of its own (no anchor shared with the entry it came from),
    lists of labels written on one line (`[项目名称, 项目支出名称]`; 「其中:财政资金」 in
    quotes, which a YAML parser other than ruamel's would not read plain in a flow list)."""
    if isinstance(value, dict):
        out = CommentedMap((str(k), _plain(v)) for k, v in value.items())
        if flow:
            out.fa.set_flow_style()
        return out
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):  # on one line; a label with an ASCII colon quoted
            seq = CommentedSeq(DoubleQuotedScalarString(v) if ":" in v or "#" in v else v for v in value)
            seq.fa.set_flow_style()
            return seq
        return CommentedSeq(_plain(v) for v in value)
    return value


def _comment(draft: Draft) -> str:
    lines = [f"read: 由 {draft.path.name}（{draft.form.label}）的标签起草；已对应到已登记版本的字段。"]
    if draft.unmatched:
        lines.append("以下标签已登记的版本都不认识，请手工登记到 fields:/goals:/funds:/indicators:（或删去本注释）：")
        lines += [f"  {label.text}（{label.where}）" for label in draft.unmatched]
    return "\n".join(lines)
