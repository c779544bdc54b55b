"""The documentation site builds with every link and anchor found (`mkdocs build --strict`,
never with `-q`: it hides the warnings that strict mode counts)
and the README links only to pages that exist."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).parent / "mkdocs"


def test_the_site_builds_with_no_broken_link(tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "quickstart" / "index.html").is_file()
    assert "用 Excel 填报" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_a_broken_link_fails_the_build(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 首页\n\n[没有的页](nowhere.md)\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:")[0] + "\n", encoding="utf-8")
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "-f", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode != 0 and "nowhere.md" in result.stdout + result.stderr


def test_the_readme_links_to_pages_that_exist():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)\)", text)
    assert links and all((ROOT / link).exists() for link in links if not link.startswith("http")), links


def _code_of(text: str) -> list[str]:
    """The code a page shows: each line of its fenced blocks and each inline code span."""
    blocks = re.findall(r"```[^\n]*\n(.*?)```", text, flags=re.S)
    inline = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
    return [line for block in blocks for line in block.splitlines()] + inline


def _unknown_in(code: list[str]) -> list[str]:
    """Each `docgen COMMAND … --option` in code that names no command or an option the command lacks."""
    import typer

    from docgen.cli.app import app

    root = typer.main.get_command(app)

    def options(command) -> set[str]:
        return {o for p in command.params for o in p.opts + p.secondary_opts if o.startswith("-")} | {"--help"}

    unknown = []
    for line in code:
        for match in re.finditer(r"(?<![\w/.-])docgen((?: +[^\s#|;&]+)*)", line):
            words = [w for w in match.group(1).split() if w != "--debug"]
            if not words or words[0].startswith("-"):
                unknown += [f"{line}: {w}" for w in words[:1] if w not in options(root)]
                continue
            if not re.fullmatch(r"[a-z]+", words[0]):
                continue
            command = root.commands.get(words[0])
            if command is None:
                unknown.append(f"{line}: {words[0]}")
                continue
            rest = words[1:]
            if hasattr(command, "commands") and rest and rest[0] in command.commands:
                command, rest = command.commands[rest[0]], rest[1:]
            for word in rest:
                unknown += [f"{line}: {o}" for o in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", word) if o not in options(command)]
    return unknown


def test_every_command_the_docs_show_exists_with_its_options():
    assert _unknown_in(["docgen render 本单位.xlsx --fomat pdf", "docgen rendr x.yaml", "docgen profiles new X --form Y"]) == [
        "docgen render 本单位.xlsx --fomat pdf: --fomat",
        "docgen rendr x.yaml: rendr",
        "docgen profiles new X --form Y: --form",
    ]
    pages = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
    unknown = {page.name: found for page in pages if (found := _unknown_in(_code_of(page.read_text(encoding="utf-8"))))}
    assert unknown == {}
