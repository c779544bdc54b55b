"""Write a unit file with N generated projects (the self-evaluation example's six,
repeated under new names) to time a big book: `python scripts/many_projects.py 200 out.yaml`."""

from __future__ import annotations

import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml"


def main(argv: list[str]) -> int:
    count, target = int(argv[1]), Path(argv[2])
    yaml = YAML(typ="rt")
    data = yaml.load(EXAMPLE.read_text(encoding="utf-8"))
    base = list(data["projects"])
    projects = []
    for n in range(count):
        project = yaml.load(_dump(yaml, base[n % len(base)]))
        project["name"] = f"{project['name']}（第{n + 1}号）"
        projects.append(project)
    data["projects"] = projects
    with target.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    return 0


def _dump(yaml: YAML, node) -> str:
    import io

    buf = io.StringIO()
    yaml.dump(node, buf)
    return buf.getvalue()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
