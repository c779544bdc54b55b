"""The review page of `docgen serve` (审核): the review table of every unit in the folder,
as `docgen review` makes it (`batch_inputs`, `review_checked`), with filters (等级, errors
or warnings only, a unit's name), each finding's place inside the folder (file and line,
or received form and cell) linked to the input it is about on its unit's page
(`/u/<id>#f-projects-0-indicators-2-score`); the review workbook and letters."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from docgen.errors import DocgenError
from docgen.serve import output as forms_output
from docgen.serve.units import DRAFTS, unit_id


class ReviewPages:
    """The review routes of `app.Server` (which gives `folder`, `registry` and `page`)."""

    folder: Any
    registry: Any
    page: Any

    async def review(self, request: Request) -> Response:
        units, unusable, links = await asyncio.to_thread(self._review, True)
        root = f"{self.folder.root}{os.sep}"
        grade, only, name = (request.query_params.get(k, "").strip() for k in ("grade", "only", "q"))

        def shown(row: Any) -> bool:
            return (not grade or row.grade == grade) and (only != "errors" or row.errors > 0) and (only != "warnings" or row.warnings > 0)

        table = []
        for unit in units:
            if name and name not in unit.unit:
                continue
            rows = [r for r in unit.rows if shown(r)]
            loose = [i for i in unit.unit_issues if (only != "warnings" or i.severity == "warning") and (only != "errors" or i.severity == "error")]
            if rows or (loose and not grade):
                table.append((unit, rows, loose if not grade else [], links.get(id(unit), "")))

        def where(issue: Any) -> tuple[str, str]:
            """A finding's place inside the folder, and the link to the input it is about."""
            return issue.where.removeprefix(root), links.get(id(issue), "")

        total = sum(len(u.rows) for u in units)
        return self.page(
            "review.html",
            table=table,
            unusable=unusable,
            where=where,
            grade=grade,
            only=only,
            q=name,
            total=total,
            count=sum(len(rows) for _, rows, _, _ in table),
        )

    def _review(self, linked: bool = False) -> Any:
        """The review units of the folder and the unusable inputs; `linked`: also each
        finding's link (by `id()` of its Issue, and of each unit: its page)."""
        from docgen.review.batch import batch_inputs, checked_input
        from docgen.review.table import review_checked

        batch = batch_inputs([self.folder.root], None, False, leave_out=(self.folder.root / DRAFTS,))
        units, unusable = [], []
        links: dict[int, str] = {}
        files = {p.resolve(): p.name for p in self.folder.files()}
        for item in batch.items:
            if item in batch.skipped:
                unusable.append((_label(item, self.folder.root), batch.skipped[item]))
                continue
            try:
                checked = checked_input(item)
                unit = review_checked(checked)
            except DocgenError as exc:
                unusable.append((_label(item, self.folder.root), exc.message()))
                continue
            units.append(unit)
            name = files.get(Path(checked.path).resolve()) if isinstance(item, Path) else None
            if linked and name is not None:
                links.update(self._links(checked, unit, f"/u/{unit_id(name)}"))
        return (units, unusable, links) if linked else (units, unusable)

    def _links(self, checked: Any, unit: Any, page: str) -> dict[int, str]:
        """Each finding of `unit` linked to the input of its unit's page it is about (the
        Issue is the finding's message at its place: paired with the finding by both)."""
        from docgen.review.table import _where
        from docgen.serve import editor

        anchored = editor.anchors(editor.all_fields(self.registry, checked.source.data))
        paths: dict[tuple[str, str], tuple[Any, ...]] = {}
        for f in checked.findings:
            paths.setdefault((_where(checked, f), f.message), tuple(f.path))
        out = {id(unit): page}
        for issue in unit.issues:
            path = paths.get((issue.where, issue.text))
            if path is None:
                out[id(issue)] = page
                continue
            anchor = editor.field_of(path, anchored)
            if anchor is None and len(path) > 1 and path[0] == "projects" and isinstance(path[1], int):
                anchor = f"project-{path[1]}"
            out[id(issue)] = f"{page}#{anchor}" if anchor else page
        return out

    async def review_download(self, request: Request) -> Response:
        from docgen.review.letters import letter_names, render_letter
        from docgen.review.table import review_workbook

        units, unusable = await asyncio.to_thread(self._review)
        if request.path_params["what"] == "workbook":
            data = review_workbook(units, [(Path(a), b) for a, b in unusable])
            return Response(data, media_type=forms_output.MEDIA[".xlsx"], headers=attachment("审核汇总.xlsx"))
        spec = self.registry.letter("review")
        made = [forms_output.Made(name, render_letter(unit, spec)) for unit, name in zip(units, letter_names(units), strict=True)]
        return Response(forms_output.zipped(made), media_type=forms_output.MEDIA[".zip"], headers=attachment("审核意见.zip"))


def _label(item: Any, root: Path) -> str:
    path = getattr(item, "files", [item])[0]
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return Path(path).name


def attachment(name: str) -> dict[str, str]:
    from urllib.parse import quote

    return {"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
