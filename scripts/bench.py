"""`make bench`: how fast docgen renders, measured on the machine it runs on, in one run
(so the ratios hold even when other work shares the machine).

Prints: ms per form for docgen's Word and Excel forms (`docgen render --only forms
--no-layout`, whole command: start-up, reading and checking the unit included), the
same for a bare docxtpl open/render/save loop over the very .docx files docgen wrote,
their ratio; `-j 1` against `-j N` on 2,000 projects; the book's time and peak
memory at 200 and 2,000 projects (`--no-layout`); what LibreOffice laying out a
200-project book adds (wall clock and CPU time), alone and with its forms (whose
tables it splits at page breaks); PDF ms per form in one LibreOffice batch; the Word
forms read back, `docgen import` and `docgen check` of them against their render, with the
ratios (scripts/bench_received.py); a batch of units (scripts/bench_batch.py: forms per
hour at three sizes, memory per process and tree).

    python scripts/bench.py [--small] [--keep DIR]

`--small` uses 20 and 200 projects instead of 200 and 2,000 (a quick look).
Peak memory is the largest resident set of the render process (or of any process it
started), from getrusage.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCGEN = [sys.executable, "-c", "from docgen.cli.app import main; main()"]

# Runs `argv` and reports its wall time, peak RSS (the largest process among it and its
# children) and exit code: getrusage(RUSAGE_CHILDREN) of a process that ran nothing else.
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - start
print(json.dumps([wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, code]))
"""


def measure(argv: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one run of `argv`; a crash (exit code > 1) stops the bench."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *argv], capture_output=True, text=True, check=True, cwd=ROOT)
    wall, peak, code = json.loads(out.stdout)
    if code not in (0, 1):  # 1: the generated data carries the example's findings
        raise SystemExit(f"bench: {' '.join(map(str, argv))} exited {code}")
    return wall, peak


# The same, reporting the CPU time (user + system) of the command and every process it
# started and waited for (LibreOffice included) instead of its memory.
_MEASURE_CPU = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - start
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([wall, used.ru_utime + used.ru_stime, code]))
"""


def timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `argv`; exit codes 0 and 1 (the example's
    published slips are findings) are fine, any other stops the bench."""
    done = subprocess.run([sys.executable, "-c", _MEASURE_CPU, *argv], capture_output=True, text=True, check=True, cwd=ROOT)
    wall, cpu, code = json.loads(done.stdout)
    if code not in (0, 1):
        raise SystemExit(f"bench: {' '.join(map(str, argv))} exited {code}")
    return wall, cpu


def render_cpu(unit: Path, out: Path, *options: str) -> tuple[float, float]:
    """(seconds, CPU seconds) of one `docgen render`."""
    return timed([*DOCGEN, "render", str(unit), "-o", str(out), "--force", *options])


def render(unit: Path, out: Path, *options: str) -> tuple[float, float]:
    return measure([*DOCGEN, "render", str(unit), "-o", str(out), "--force", *options])


def bare_docxtpl(files: list[Path]) -> float:
    """Seconds for docxtpl alone to open, render and save each file (in this process)."""
    from docxtpl import DocxTemplate

    start = time.perf_counter()
    for path in files:
        doc = DocxTemplate(str(path))
        doc.render({})
        doc.save(io.BytesIO())
    return time.perf_counter() - start


def pdf_batch(files: list[Path]) -> float | None:
    """Seconds for one LibreOffice batch to print `files`; None without LibreOffice."""
    from docgen.registry.manifest import default_registry
    from docgen.render import office

    os.environ.pop("DOCGEN_SOFFICE", None)
    printer = office.find(default_registry().fonts)
    if printer is None:
        return None
    batch = {path.name: path.read_bytes() for path in files}
    start = time.perf_counter()
    printer.convert(batch, datetime(2022, 12, 31))
    return time.perf_counter() - start


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor()
    )
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), 0)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{cpu}, {os.cpu_count()} cores, {mem} MB, Python {platform.python_version()}, load average {load:.1f} at start"


def forms_of(out: Path, suffix: str) -> list[Path]:
    return sorted(p for p in out.rglob(f"*{suffix}") if "汇总表" not in p.name and p.name[0].isdigit())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="20 and 200 projects instead of 200 and 2,000")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    small, big = (20, 200) if args.small else (200, 2000)
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    work = args.keep or Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["DOCGEN_SOFFICE"] = ""  # --no-layout runs must not look for LibreOffice either
    units = {}
    for n in (small, big):
        units[n] = work / f"unit-{n}.yaml"
        subprocess.run([sys.executable, str(ROOT / "scripts" / "many_projects.py"), str(n), str(units[n])], check=True)
    print(f"machine: {machine()}")
    rows: list[tuple[str, str]] = []

    def report(label: str, value: str) -> None:
        rows.append((label, value))
        print(f"{label:<58} {value}", flush=True)

    # Forms: Word alone, Excel alone, both; then docxtpl alone over the same .docx files.
    forms = lambda tag, *o: render(units[small], work / tag, "--only", "forms", "--no-layout", *o)[0]  # noqa: E731
    word = forms("word", "-f", "docx", "-j", "1")
    excel = forms("excel", "-f", "xlsx", "-j", "1")
    both = forms("both", "-j", "1")
    both_jobs = forms("both-j", "-j", str(jobs))
    docx_files = forms_of(work / "both", ".docx")
    bare = bare_docxtpl(docx_files)
    per = lambda seconds: f"{seconds / small * 1000:.1f} ms/form"  # noqa: E731
    report(f"docgen Word forms ({small} projects, -j 1)", per(word))
    report(f"docgen Excel forms ({small} projects, -j 1)", per(excel))
    report(f"docgen Word + Excel forms ({small} projects, -j 1)", per(both))
    report(f"docgen Word + Excel forms ({small} projects, -j {jobs})", per(both_jobs))
    report(f"bare docxtpl open/render/save, the same {len(docx_files)} .docx", per(bare))
    report("ratio docgen Word + Excel (-j 1) / bare docxtpl", f"{both / bare:.2f}")
    report(f"ratio docgen Word + Excel (-j {jobs}) / bare docxtpl", f"{both_jobs / bare:.2f}")

    # A big render: -j 1 against -j N, forms only and with the book.
    one, _ = render(units[big], work / "big-1", "--only", "forms", "--no-layout", "-j", "1")
    many, _ = render(units[big], work / "big-n", "--only", "forms", "--no-layout", "-j", str(jobs))
    report(f"{big} projects, forms only: -j 1", f"{one:.1f} s")
    report(f"{big} projects, forms only: -j {jobs}", f"{many:.1f} s ({one / many:.2f}x faster)")
    books = {}
    for n in (small, big):
        books[n] = render(units[n], work / f"book-{n}", "--no-layout")
        report(f"{n} projects, forms and book (--no-layout, -j {jobs})", f"{books[n][0]:.1f} s, peak {books[n][1]:.0f} MB")
    report(f"time {big} / {small} projects, forms and book", f"{books[big][0] / books[small][0]:.1f}x")
    report(f"peak memory {big} / {small} projects", f"{books[big][1] / books[small][1]:.1f}x")

    # LibreOffice: laying out the book (and, with the forms, splitting their tables at
    # page breaks), printing the forms.  CPU time (docgen and LibreOffice) beside the wall
    # clock: on a shared machine the wall clock depends on what else runs.
    os.environ.pop("DOCGEN_SOFFICE", None)
    estimated, estimated_cpu = render_cpu(units[small], work / "layout-no", "--only", "book", "--no-layout")
    laid_out, laid_out_cpu = render_cpu(units[small], work / "layout-yes", "--only", "book")
    report(f"{small}-project book alone: --no-layout / laid out by LibreOffice", f"{estimated:.1f} s / {laid_out:.1f} s (+{laid_out - estimated:.1f} s)")
    report("  the same, CPU time of docgen and LibreOffice", f"{estimated_cpu:.1f} s / {laid_out_cpu:.1f} s (+{laid_out_cpu - estimated_cpu:.1f} s)")
    whole, whole_cpu = render_cpu(units[small], work / "layout-all", "-j", str(jobs))
    plain, plain_cpu = render_cpu(units[small], work / "layout-plain", "--no-layout", "-j", str(jobs))
    report(
        f"{small} projects, forms and book (-j {jobs}): --no-layout / laid out",
        f"{plain:.1f} s / {whole:.1f} s (+{whole - plain:.1f} s; CPU +{whole_cpu - plain_cpu:.1f} s)",
    )
    pdf = pdf_batch(docx_files)
    report(f"PDF of the {len(docx_files)} Word forms, one LibreOffice batch", per(pdf) if pdf is not None else "LibreOffice not installed")
    # Received forms read back (scripts/bench_received.py): import and check of the Word
    # forms against rendering them, CPU and wall clock.
    os.environ["DOCGEN_SOFFICE"] = ""
    from bench_received import received_rows

    received_rows(work / "received", report, small, units[small])
    # Many units in one run (scripts/bench_batch.py): time per form at three batch sizes, memory.
    from bench_batch import batch_rows

    batch_rows(work / "batch", report, [1, 2, 4] if args.small else [2, 4, 8], 5 if args.small else 20, jobs, review=True)
    if not args.keep:
        subprocess.run(["rm", "-rf", str(work)], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
