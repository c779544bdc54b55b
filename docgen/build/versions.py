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

from ruamel.yaml import YAML

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
                    title=version.kind_title,
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


def new_version(kind: str, version: str, source: str, root: Path | None = None) -> FormVersion:
    """Copy version `source` of `kind` (templates and manifest entry) as `version`."""
    registry = load_registry(root)
    old = registry.version(kind, source)
    if version in registry.kinds[kind]:
        raise RegistryError(f"表单「{kind}」已有版本「{version}」")
    if not version.strip() or version != safe_name(version):
        raise RegistryError(f'版本名「{version}」不能为空，也不能含有 \\ / : * ? " < > | 等字符')
    manifest = registry.root / "manifest.yaml"
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    data = yaml.load(manifest.read_text(encoding="utf-8"))
    versions = data["kinds"][kind]["versions"]
    entry = versions[source].copy()
    copies = {}
    for key in ("docx", "xlsx"):
        entry[key] = _renamed(str(versions[source][key]), kind, source, version)
        target = registry.root / entry[key]
        if target.exists():
            raise RegistryError(f"文件已存在，不覆盖：{target}")
        copies[getattr(old, key)] = target
    entry["description"] = f"{old.description}（由 {source} 版复制，待修改）".strip()
    versions[version] = entry
    for src, dst in copies.items():
        shutil.copyfile(src, dst)
    fd, tmp = tempfile.mkstemp(prefix=".manifest-", suffix=".yaml", dir=manifest.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    os.replace(tmp, manifest)
    return load_registry(registry.root).version(kind, version)
