"""Reading received forms against rendering them (issue 24: reading a received form
should cost no more than rendering one), measured on this machine: part of `make bench`
(scripts/bench.py calls `received_rows`), or on its own:

    python scripts/bench_received.py [--projects 200] [--keep DIR]

One generated unit of N projects (`scripts/many_projects.py`, one 自评表 each) is
rendered in Word and Excel (`docgen render --only forms --no-layout -j 1`); its N Word
forms, copied into a folder as a finance bureau receives them, are then read back with
`docgen import DIR -o unit.yaml` and checked with `docgen check DIR -j 1`.  Each command
runs whole (start-up included) in a fresh folder; reported are the wall clock and the
CPU time (user + system, the command and its children) per form, and the ratios of
import and check to the render: the CPU ratio is the one that holds on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import DOCGEN, ROOT, timed  # noqa: E402  (one way to time a command, scripts/bench.py's)


def received_rows(work: Path, report: Callable[[str, str], None], projects: int, unit: Path | None = None) -> dict[str, tuple[float, float]]:
    """Render, import and check `projects` forms under `work`; reports a line each and the
    ratios, and returns {step: (wall, CPU)}."""
    work.mkdir(parents=True, exist_ok=True)
    if unit is None:
        unit = work / f"unit-{projects}.yaml"
        subprocess.run([sys.executable, str(ROOT / "scripts" / "many_projects.py"), str(projects), str(unit)], check=True)
    out = work / "rendered"
    shutil.rmtree(out, ignore_errors=True)
    got = {"render": timed([*DOCGEN, "render", str(unit), "-o", str(out), "--only", "forms", "--no-layout", "-j", "1"])}
    received = work / "received"
    shutil.rmtree(received, ignore_errors=True)
    received.mkdir()
    words = sorted(p for p in out.rglob("*.docx") if p.name[0].isdigit())
    for path in words:
        shutil.copy(path, received / path.name)
    got["import"] = timed([*DOCGEN, "import", str(received), "-o", str(work / "imported.yaml"), "--force"])
    got["check"] = timed([*DOCGEN, "check", str(received), "-j", "1"])
    n = len(words)
    per = lambda wall, cpu: f"{wall / n * 1000:.1f} ms/form wall, {cpu / n * 1000:.1f} ms/form CPU"  # noqa: E731
    report(f"render {n} forms, Word + Excel (-j 1)", per(*got["render"]))
    report(f"import the {n} Word forms (docgen import DIR -o unit.yaml)", per(*got["import"]))
    report(f"check the {n} Word forms (docgen check DIR -j 1)", per(*got["check"]))
    for step in ("import", "check"):
        wall, cpu = got[step]
        report(f"ratio {step} / render (CPU; wall)", f"{cpu / got['render'][1]:.2f}; {wall / got['render'][0]:.2f}")
    return got


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=200, help="forms to render and read back (200)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    os.environ["DOCGEN_SOFFICE"] = ""
    work = args.keep or Path(tempfile.mkdtemp(prefix="docgen-bench-received-"))
    received_rows(work, lambda label, value: print(f"{label:<58} {value}", flush=True), args.projects)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
