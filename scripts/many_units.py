"""Write N generated unit files of M projects each (default 20) into a folder, to time a
batch: `python scripts/many_units.py 300 units/ [--projects 20]`, then
`docgen render units/ -j 2` and `docgen review units/ -o 审核汇总.xlsx`.

Each unit is the self-evaluation example (上海市残疾人联合会 2022, six projects with the
published slips) under its own name, its projects repeated under new names up to M:
one 自评表 per project, so a batch makes N × M forms (each in .docx and .xlsx) and N books."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml"


def _copy(yaml: YAML, node):
    buf = io.StringIO()
    yaml.dump(node, buf)
    return yaml.load(buf.getvalue())


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    units, folder = int(argv[1]), Path(argv[2])
    projects = int(argv[argv.index("--projects") + 1]) if "--projects" in argv else 20
    yaml = YAML(typ="rt")
    data = yaml.load(EXAMPLE.read_text(encoding="utf-8"))
    base = list(data["projects"])
    folder.mkdir(parents=True, exist_ok=True)
    for u in range(1, units + 1):
        unit = _copy(yaml, data)
        unit["unit"] = unit["department"] = unit["executor"] = f"批量测试单位{u:03d}"
        unit["projects"] = []
        for n in range(projects):
            project = _copy(yaml, base[n % len(base)])
            project["name"] = f"{project['name']}（第{n + 1}号）"
            unit["projects"].append(project)
        with (folder / f"unit-{u:03d}.yaml").open("w", encoding="utf-8") as fh:
            yaml.dump(unit, fh)
    print(f"{units} 个单位 × {projects} 个项目 → {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
