"""Speed and memory of a batch of units (`docgen render DIR` and `docgen review DIR`),
measured on this machine: part of `make bench` (scripts/bench.py calls `batch_rows`), or
on its own for the issue's full size:

    python scripts/bench_batch.py [--sizes 2,4,8] [--projects 20] [-j N] [--keep DIR]
    nice -n 10 python scripts/bench_batch.py --sizes 300 --review   # 300 × 20 = 6,000 forms

For each size N it writes N generated units of M projects (`scripts/many_units.py`, one
自评表 per project), renders them with `docgen render units/ -o out --no-layout -j N`
and reports the wall clock, the CPU time of docgen and its workers, forms per hour and
seconds per form (so a time linear in forms shows as a constant per form), and peak
memory two ways: the largest resident set of any one process (getrusage of the
children: one worker rendering one unit, or the parent), and the peak of the summed
resident set of the whole process tree (sampled from /proc every 0.2 s).  One unit
rendered alone with `-j 1` gives the reference: a batch's largest process stays at
about one unit's render, and its tree at about `-j` of them plus the parent.
`--review` also times `docgen review units/ -o 审核汇总.xlsx --letters letters/`.  Last,
`docgen check` of the smallest batch's Word forms, copied out as a finance bureau
receives them: what reading printed forms back costs per file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCGEN = [sys.executable, "-c", "from docgen.cli.app import main; main()"]

# Runs argv[1:] and prints [wall s, CPU s of it and its children, largest RSS of one
# process MB, peak summed RSS of the process tree MB, exit code].  The tree is sampled
# from /proc (Linux); elsewhere its peak is reported as 0.
_MEASURE = r"""
import json, os, resource, subprocess, sys, threading, time

def tree_rss(root):
    children, rss = {}, {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(pid))
            rss[int(pid)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total

start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = [0]
def sample():
    while proc.poll() is None:
        if os.path.isdir("/proc"):
            peak[0] = max(peak[0], tree_rss(proc.pid))
        time.sleep(0.2)
thread = threading.Thread(target=sample, daemon=True)
thread.start()
code = proc.wait()
wall = time.perf_counter() - start
thread.join()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak[0] / 2**20, code]))
"""


def measure(argv: list[str]) -> dict[str, float]:
    """One run of `argv`: wall, cpu, one (largest process MB), tree (peak sum MB); a crash
    (exit code > 1) stops the bench."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *argv], capture_output=True, text=True, check=True, cwd=ROOT)
    wall, cpu, one, tree, code = json.loads(out.stdout)
    if code not in (0, 1):  # 1: the generated units carry the example's findings
        raise SystemExit(f"bench: {' '.join(map(str, argv))} exited {code}")
    return {"wall": wall, "cpu": cpu, "one": one, "tree": tree}


def generate(units: int, projects: int, folder: Path) -> Path:
    if not folder.is_dir():
        script = ROOT / "scripts" / "many_units.py"
        subprocess.run([sys.executable, str(script), str(units), str(folder), "--projects", str(projects)], check=True, stdout=subprocess.DEVNULL)
    return folder


def _memory(m: dict[str, float]) -> str:
    return f"largest process {m['one']:.0f} MB, whole tree {m['tree']:.0f} MB"


def received(work: Path, report: Callable[[str, str], None], n: int, jobs: int) -> None:
    """`docgen check` of the Word forms the batch of `n` units rendered, copied out of
    their output folders as a finance bureau receives them (read back, grouped by unit)."""
    folder = work / f"received-{n}"
    for form in sorted((work / f"out-{n}").rglob("*.docx")):
        if form.name[0].isdigit():  # the single forms, not the book
            target = folder / form.parent.parent.name / form.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(form, target)
    files = len(list(folder.rglob("*.docx")))
    m = measure([*DOCGEN, "check", str(folder), "-j", str(jobs)])
    report(
        f"batch check of received Word forms ({n} units, {files} files, -j {jobs})", f"{m['wall']:.1f} s wall, {m['cpu'] / files:.3f} s CPU/file; {_memory(m)}"
    )


def batch_rows(work: Path, report: Callable[[str, str], None], sizes: list[int], projects: int, jobs: int, review: bool = False) -> None:
    """Measure a batch render (and review) at each size; `report(label, value)` prints a row."""
    os.environ["DOCGEN_SOFFICE"] = ""  # --no-layout: no LibreOffice anywhere
    alone = generate(1, projects, work / "units-alone")
    ref = measure([*DOCGEN, "render", str(alone), "-o", str(work / "out-alone"), "--no-layout", "-j", "1"])
    report(f"batch: 1 unit × {projects} projects alone (-j 1)", f"{ref['wall']:.1f} s, {_memory(ref)}")
    per_form = []
    for n in sizes:
        forms = n * projects
        units = generate(n, projects, work / f"units-{n}")
        m = measure([*DOCGEN, "render", str(units), "-o", str(work / f"out-{n}"), "--no-layout", "-j", str(jobs)])
        per_form.append(m["wall"] / forms)
        report(
            f"batch render {n} units × {projects} ({forms} forms, -j {jobs})",
            f"{m['wall']:.1f} s wall, {m['cpu']:.1f} s CPU, {m['wall'] / forms:.3f} s/form, "
            f"{3600 * forms / m['wall']:,.0f} forms/h, {m['cpu'] / forms:.3f} s CPU/form; {_memory(m)}",
        )
        if review:
            r = measure(
                [*DOCGEN, "review", str(units), "-o", str(work / f"review-{n}.xlsx"), "--letters", str(work / f"letters-{n}"), "--force", "-j", str(jobs)]
            )
            report(f"batch review {n} units ({forms} forms, letters, -j {jobs})", f"{r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU; {_memory(r)}")
    if sizes:
        received(work, report, sizes[0], jobs)
    if len(per_form) > 1:
        report("batch: s/form, largest size / smallest (1.0 = linear)", f"{per_form[-1] / per_form[0]:.2f}")
    report(f"batch: memory bound, -j {jobs} × one unit's render", f"{jobs * ref['one']:.0f} MB (one process at most {ref['one']:.0f} MB)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2,4,8", help="numbers of units, comma-separated (default 2,4,8)")
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("-j", "--jobs", type=int, default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    parser.add_argument("--review", action="store_true", help="also time docgen review (with letters)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="docgen-bench-batch-"))
    work.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average at start {load:.1f}, {os.cpu_count()} cores", flush=True)
    report = lambda label, value: print(f"{label:<58} {value}", flush=True)  # noqa: E731
    batch_rows(work, report, [int(s) for s in args.sizes.split(",")], args.projects, args.jobs, args.review)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average at end {load:.1f}", flush=True)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
