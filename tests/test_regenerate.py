"""The correction round: identical bytes, only changed files rewritten, hand edits kept
or refused, removed projects' files deleted, interrupted renders recoverable.

Full renders are slow, so the example (and its correction) are rendered once per session
(`rendered_once`, tests/conftest.py); a test that renders into a folder again works on a
copy of it (`shutil.copytree`), which is what a render into that folder would have left.
"""

import io
import os
import shutil

import pytest
from conftest import EXAMPLE, FIXTURES, ROOT, edited_copy
from docx import Document
from typer.testing import CliRunner

import docgen.build.output as output
import docgen.build.pipeline as api
from docgen import EditedFilesError, RenderOptions, render_file
from docgen.build.record import MANIFEST_NAME, Manifest
from docgen.cli.app import app

runner = CliRunner()
REPLACE = RenderOptions(replace=True)  # a corrected copy renders into the folder the original rendered
DPF = "上海市残疾人联合会2022年度项目支出绩效自评汇总表"
FORM1 = "1-残疾人权益保障经费-财政项目支出绩效自评表"
FORM2 = "2-残疾人事业宣传经费-财政项目支出绩效自评表"


def snapshot(folder):
    """Every file in the folder (the manifest too) -> bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def stamps(folder):
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


def corrected(tmp_path, source=EXAMPLE, old='actual: "1.6"', new='actual: "2"', name="unit.yaml"):
    """A copy of `source` with one value corrected (by default: 完成研究课题个数 1.6 -> 2)."""
    return edited_copy(tmp_path, source, (old, new), name=name)


@pytest.fixture
def unit(tmp_path, rendered_once):
    """The example unit, as if rendered into tmp_path/out: its one render of the session copied there."""
    shutil.copytree(rendered_once(EXAMPLE).files[0].parents[2], tmp_path / "out")
    return EXAMPLE


@pytest.fixture(scope="module")
def correction(tmp_path_factory, rendered_once):
    """The example with 完成研究课题个数 corrected (1.6 -> 2), and its render from scratch.

    One file for the whole module (tests only read it), so every render of it records the
    same source in its manifest and folders rendered from it compare byte for byte."""
    path = corrected(tmp_path_factory.mktemp("correction"))
    return path, rendered_once(path).files[0].parent


def folder_of(tmp_path):
    return tmp_path / "out" / "上海市残疾人联合会" / "2022"


class Calls:
    """Counts the single-form renders `render_file` makes."""

    def __init__(self, monkeypatch):
        self.docx = self.xlsx = 0
        real_docx, real_xlsx = api.render_docx, api.render_xlsx

        def docx(*args, **kwargs):
            self.docx += 1
            return real_docx(*args, **kwargs)

        def xlsx(*args, **kwargs):
            self.xlsx += 1
            return real_xlsx(*args, **kwargs)

        monkeypatch.setattr(api, "render_docx", docx)
        monkeypatch.setattr(api, "render_xlsx", xlsx)


@pytest.mark.parametrize(
    "example",
    ["shanghai-dpf-2022.yaml", "qinhuangdao-shanhaiguan-dpf-2020.yaml", "one-project-two-forms.yaml", "shanghai-dpf-infocenter-2020.yaml"],
)
def test_same_data_renders_identical_bytes(rendered_once, example):
    path = ROOT / "data" / "examples" / example
    # Two independent renders from scratch, each made once per session (tests/render reads them too).
    first = rendered_once(path)
    second = rendered_once(path, again=True)
    assert first.files[0].parent != second.files[0].parent
    assert first.book and len(first.files) >= 3
    a = snapshot(first.files[0].parent)
    b = snapshot(second.files[0].parent)
    assert a == b  # every form, the departmental document, the book and the manifest


def test_rerender_with_the_same_data_renders_and_writes_nothing(unit, tmp_path, monkeypatch):
    folder = folder_of(tmp_path)
    before, times = snapshot(folder), stamps(folder)
    calls = Calls(monkeypatch)
    again = render_file(unit, tmp_path / "out")
    assert (calls.docx, calls.xlsx) == (0, 0)
    assert again.added == again.changed == again.removed == again.kept == []
    assert len(again.unchanged) == 14 and again.files == again.unchanged
    assert snapshot(folder) == before and stamps(folder) == times  # not even touched


def test_correction_rewrites_only_the_corrected_project_and_the_book(unit, correction, tmp_path, monkeypatch):
    folder = folder_of(tmp_path)
    before, times = snapshot(folder), stamps(folder)
    path, fresh = correction
    calls = Calls(monkeypatch)
    result = render_file(path, tmp_path / "out", options=REPLACE)
    # Only project 1 is rendered; the book binds the other five forms from disk.
    assert (calls.docx, calls.xlsx) == (1, 1)
    assert [p.name for p in result.changed] == [f"{FORM1}.docx", f"{FORM1}.xlsx", f"{DPF}.docx", f"{DPF}.xlsx"]
    assert result.added == result.removed == []
    assert len(result.unchanged) == 10
    after = snapshot(folder)
    for name in before:
        if name.startswith(("1-", DPF)) or name == MANIFEST_NAME:
            assert after[name] != before[name], name
        else:
            assert after[name] == before[name] and stamps(folder)[name] == times[name], name
    # The same correction rendered from scratch gives the very same files.
    assert snapshot(fresh) == after


def test_cli_reports_what_changed(unit, correction, tmp_path):
    path, _ = correction
    result = runner.invoke(app, ["render", str(path), "-o", str(tmp_path / "out"), "--replace"])
    assert result.exit_code == 1, result.output  # the example's published slips remain
    folder = folder_of(tmp_path)
    lines = result.output.splitlines()
    assert f"更新：{folder / (FORM1 + '.docx')}" in lines
    assert f"未变：{folder / (FORM2 + '.docx')}" in lines
    assert f"更新：{folder / (DPF + '.xlsx')}" in lines
    assert "文件：新增 0 个，更新 4 个，未变 10 个，删除 0 个。" in lines


def edit_in_word(path, text="（手工修改）"):
    """What a clerk does: open the form, add a paragraph, save."""
    doc = Document(str(path))
    doc.add_paragraph(text)
    doc.save(str(path))


def test_an_edited_form_is_never_overwritten_silently(unit, correction, tmp_path):
    folder = folder_of(tmp_path)
    edit_in_word(folder / f"{FORM1}.docx")
    before = snapshot(folder)
    path, fresh = correction  # project 1 changes: its edited form would be replaced
    with pytest.raises(EditedFilesError) as caught:
        render_file(path, tmp_path / "out", options=REPLACE)
    assert caught.value.edited == [f"{FORM1}.docx"]
    assert snapshot(folder) == before  # nothing written, not even the untouched book

    result = runner.invoke(app, ["render", str(path), "-o", str(tmp_path / "out"), "--replace"])
    assert result.exit_code == 3
    assert f"  {folder / (FORM1 + '.docx')}（生成后被修改）" in result.output
    assert "--force" in result.output
    assert snapshot(folder) == before

    forced = runner.invoke(app, ["render", str(path), "-o", str(tmp_path / "out"), "--force", "--replace"])
    assert forced.exit_code == 1, forced.output
    texts = [p.text for p in Document(str(folder / f"{FORM1}.docx")).paragraphs]
    assert "（手工修改）" not in texts
    assert snapshot(folder) == snapshot(fresh)


def test_an_edited_form_whose_data_did_not_change_is_kept(unit, correction, tmp_path):
    folder = folder_of(tmp_path)
    edit_in_word(folder / f"{FORM2}.docx")
    edited = (folder / f"{FORM2}.docx").read_bytes()
    path, _ = correction  # project 1 changes, project 2 does not
    result = runner.invoke(app, ["render", str(path), "-o", str(tmp_path / "out"), "--replace"])
    assert result.exit_code == 1, result.output
    assert (folder / f"{FORM2}.docx").read_bytes() == edited
    assert f"保留手工修改（数据未变，未重新生成；--force 则重新生成）：{folder / (FORM2 + '.docx')}" in result.output.splitlines()
    assert "文件：新增 0 个，更新 4 个，未变 9 个，删除 0 个，保留手工修改 1 个。" in result.output
    # It stays kept on the next render too, until --force.
    assert render_file(path, tmp_path / "out", options=REPLACE).kept == [folder / f"{FORM2}.docx"]
    assert render_file(path, tmp_path / "out", force=True, options=REPLACE).changed == [folder / f"{FORM2}.docx"]


def test_files_not_written_by_docgen_are_refused(tmp_path):
    folder = tmp_path / "out" / "测试单位" / "2023"
    folder.mkdir(parents=True)
    mine = folder / "1-测试项目-财政项目支出绩效自评表.docx"
    mine.write_bytes(b"a clerk's own file")
    with pytest.raises(EditedFilesError) as caught:
        render_file(FIXTURES / "minimal.yaml", tmp_path / "out")
    assert caught.value.foreign == [mine.name]
    assert sorted(p.name for p in folder.iterdir()) == [mine.name]
    assert mine.read_bytes() == b"a clerk's own file"


def test_a_renamed_project_replaces_its_files(tmp_path):
    render_file(FIXTURES / "minimal.yaml", tmp_path / "out")
    path = corrected(tmp_path, FIXTURES / "minimal.yaml", "name: 测试项目", "name: 改名后的项目")
    result = runner.invoke(app, ["render", str(path), "-o", str(tmp_path / "out"), "--replace"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "测试单位" / "2023"
    assert f"删除：{folder / '1-测试项目-财政项目支出绩效自评表.docx'}" in result.output.splitlines()
    assert f"新增：{folder / '1-改名后的项目-财政项目支出绩效自评表.xlsx'}" in result.output.splitlines()
    assert sorted(p.name for p in folder.glob("1-*")) == ["1-改名后的项目-财政项目支出绩效自评表.docx", "1-改名后的项目-财政项目支出绩效自评表.xlsx"]
    assert "文件：新增 2 个，更新 2 个，未变 0 个，删除 2 个。" in result.output
    assert set(Manifest.read(folder).files) == {p.name for p in folder.iterdir() if p.name != MANIFEST_NAME}


def test_rendering_some_projects_leaves_the_others_alone(unit, correction, tmp_path):
    folder = folder_of(tmp_path)
    path, _ = correction
    result = render_file(path, tmp_path / "out", options=RenderOptions(projects=("1",), book=False, replace=True))
    assert [p.name for p in result.changed] == [f"{FORM1}.docx", f"{FORM1}.xlsx"]
    assert result.removed == []
    assert (folder / f"{FORM2}.docx").exists() and (folder / f"{DPF}.docx").exists()
    assert len(Manifest.read(folder).files) == 14


def test_stale_temporary_files_are_cleaned(unit, correction, tmp_path):
    folder = folder_of(tmp_path)
    stale = folder / ".docgen-tmp-abc123.docx"  # what a killed render leaves
    stale.write_bytes(b"half a form")
    render_file(correction[0], tmp_path / "out", options=REPLACE)
    assert not stale.exists()


# ------------------------------------------------------------ interrupted renders


def count_replaces(monkeypatch, fail_at=None):
    """Count `os.replace` calls of the writer; interrupt (as Ctrl-C would) at call `fail_at`."""
    calls = []
    real = os.replace

    def replace(src, dst):
        calls.append(dst)
        if fail_at is not None and len(calls) == fail_at:
            raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    return calls


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """The minimal unit, its correction, and what each renders to from scratch."""
    base = tmp_path_factory.mktemp("versions")
    old = base / "unit.yaml"
    shutil.copy(FIXTURES / "minimal.yaml", old)
    new = corrected(base, FIXTURES / "minimal.yaml", "executed: 90}", "executed: 95}", name="new.yaml")
    old_files = snapshot(render_file(old, base / "old").files[0].parent)
    new_files = snapshot(render_file(new, base / "new").files[0].parent)
    return old, new, old_files, new_files


def rendered_old(versions, out):
    """`out` as `render_file(old, out)` leaves it: the old render copied there."""
    old = versions[0]
    shutil.copytree(old.parent / "old", out)
    assert snapshot(out / "测试单位" / "2023") == versions[2]


def test_correction_writes_six_times(versions, tmp_path, monkeypatch):
    old, new, _, _ = versions
    rendered_old(versions, tmp_path / "out")
    calls = count_replaces(monkeypatch)
    render_file(new, tmp_path / "out", options=REPLACE)
    # pending manifest, the form (.docx, .xlsx), the book (.docx, .xlsx), final manifest
    assert [p.name for p in calls][0] == [p.name for p in calls][-1] == MANIFEST_NAME
    assert len(calls) == 6


@pytest.mark.parametrize("fail_at", range(1, 7))
def test_an_interrupted_render_leaves_every_file_old_or_new(versions, tmp_path, monkeypatch, fail_at):
    old, new, old_files, new_files = versions
    rendered_old(versions, tmp_path / "out")
    folder = tmp_path / "out" / "测试单位" / "2023"
    count_replaces(monkeypatch, fail_at)
    with pytest.raises(KeyboardInterrupt):
        render_file(new, tmp_path / "out", options=REPLACE)
    monkeypatch.undo()
    now = snapshot(folder)
    assert set(now) == set(new_files)  # no temporary file left, nothing missing
    for name, data in now.items():
        if name != MANIFEST_NAME:
            assert data in (old_files[name], new_files[name]), name
    # The next render recognises every file as docgen's own and completes the job.
    done = render_file(new, tmp_path / "out", options=REPLACE)
    assert done.kept == []
    assert snapshot(folder) == new_files
    assert all(e.previous == () for e in Manifest.read(folder).files.values())


def test_manifest_keeps_the_rendered_data(unit, tmp_path):
    manifest = Manifest.read(folder_of(tmp_path))
    assert manifest.source_text == EXAMPLE.read_text(encoding="utf-8")
    assert manifest.source_name == str(unit)
    assert manifest.docgen == "0.2.0"
    assert all(len(e.inputs) == len(e.output) == 64 for e in manifest.files.values())
    raw = io.BytesIO(manifest.dumps()).getvalue().decode("utf-8")
    assert "上海市残疾人联合会" in raw  # readable, not escaped
