"""The review page of `docgen serve` (审核): the review table of every unit in the folder,
as `docgen review` makes it (`batch_inputs`, `cli_batch.reviewed`), with filters, each
finding's place inside the folder linked to its unit; the review workbook and letters."""

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
        units, unusable = await asyncio.to_thread(self._review)
        root = f"{self.folder.root}{os.sep}"
        opened = {p.name for p in self.folder.files()}

        def where(text: str) -> tuple[str, str]:
            """A finding's place inside the folder, and the link to the unit it is in."""
            text = text.removeprefix(root)
            name = text.split(":", 1)[0]
            return text, (f"/u/{unit_id(name)}" if name in opened else "")

        return self.page(
            "review.html", units=units, unusable=unusable, where=where, grade=request.query_params.get("grade", ""), only=request.query_params.get("only", "")
        )

    def _review(self) -> tuple[list[Any], list[tuple[str, str]]]:
        from docgen.review.batch import batch_inputs, reviewed

        batch = batch_inputs([self.folder.root], None, False, leave_out=(self.folder.root / DRAFTS,))
        units, unusable = [], []
        for item in batch.items:
            if item in batch.skipped:
                unusable.append((_label(item, self.folder.root), batch.skipped[item]))
                continue
            try:
                units.append(reviewed(item))
            except DocgenError as exc:
                unusable.append((_label(item, self.folder.root), exc.message()))
        return units, unusable

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
