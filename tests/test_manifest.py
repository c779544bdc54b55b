"""The render plan: which files are new, changed, unchanged, removed, kept or refused."""

import json

import pytest

from docgen.build.record import MANIFEST_NAME, Entry, Manifest, digest, plan, sha256
from docgen.errors import EditedFilesError

OLD, NEW, EDITED = b"old bytes", b"new bytes", b"edited by hand"


def folder_with(tmp_path, disk: dict[str, bytes], entries: dict[str, Entry]) -> Manifest:
    for name, data in disk.items():
        (tmp_path / name).write_bytes(data)
    return Manifest(entries, "unit.yaml", "unit: x\n", "0.1.0")


# (on disk, manifest entry (inputs, output bytes, previous bytes), wanted inputs, force) -> bucket
CASES = [
    ("nothing anywhere", None, None, "in-1", False, "added"),
    ("same inputs, untouched", OLD, ("in-1", OLD, ()), "in-1", False, "unchanged"),
    ("inputs changed", OLD, ("in-1", OLD, ()), "in-2", False, "changed"),
    ("deleted by the user", None, ("in-1", OLD, ()), "in-1", False, "changed"),
    ("interrupted render left the old bytes", OLD, ("in-2", NEW, (sha256(OLD),)), "in-2", False, "changed"),
    ("interrupted render left the new bytes", NEW, ("in-2", NEW, (sha256(OLD),)), "in-2", False, "unchanged"),
    ("edited, inputs unchanged", EDITED, ("in-1", OLD, ()), "in-1", False, "kept"),
    ("edited, inputs unchanged, forced", EDITED, ("in-1", OLD, ()), "in-1", True, "changed"),
    ("edited, inputs changed, forced", EDITED, ("in-1", OLD, ()), "in-2", True, "changed"),
    ("not docgen's, forced", EDITED, None, "in-1", True, "changed"),
]


@pytest.mark.parametrize("what, disk, entry, inputs, force, bucket", CASES, ids=[c[0] for c in CASES])
def test_plan_buckets(tmp_path, what, disk, entry, inputs, force, bucket):
    entries = {} if entry is None else {"a.docx": Entry(entry[0], sha256(entry[1]), entry[2])}
    manifest = folder_with(tmp_path, {"a.docx": disk} if disk is not None else {}, entries)
    todo = plan(tmp_path, manifest, {"a.docx": inputs}, {"a.docx"}, force)
    buckets = {name: getattr(todo, name) for name in ("added", "changed", "unchanged", "removed", "kept")}
    assert {k: v for k, v in buckets.items() if v} == {bucket: ["a.docx"]}
    assert todo.write == (["a.docx"] if bucket in ("added", "changed") else [])


@pytest.mark.parametrize(
    "disk, entry, inputs, expected, edited, foreign",
    [
        (EDITED, ("in-1", OLD), "in-2", {"a.docx"}, ["a.docx"], []),  # edit would be overwritten
        (EDITED, None, "in-1", {"a.docx"}, [], ["a.docx"]),  # a file docgen never wrote is in the way
        (EDITED, ("in-1", OLD), None, set(), ["a.docx"], []),  # edited file the data no longer makes
    ],
)
def test_plan_refuses_to_lose_edits(tmp_path, disk, entry, inputs, expected, edited, foreign):
    entries = {} if entry is None else {"a.docx": Entry(entry[0], sha256(entry[1]))}
    manifest = folder_with(tmp_path, {"a.docx": disk}, entries)
    wanted = {} if inputs is None else {"a.docx": inputs}
    with pytest.raises(EditedFilesError) as caught:
        plan(tmp_path, manifest, wanted, expected, force=False)
    assert (caught.value.edited, caught.value.foreign) == (edited, foreign)
    assert caught.value.exit_code == 3
    text = caught.value.message()
    assert str(tmp_path / "a.docx") in text and "--force" in text


def test_plan_removes_what_the_data_no_longer_makes(tmp_path):
    manifest = folder_with(
        tmp_path,
        {"gone.docx": OLD, "kept.docx": OLD},
        {"gone.docx": Entry("in", sha256(OLD)), "kept.docx": Entry("in", sha256(OLD)), "vanished.docx": Entry("in", sha256(OLD))},
    )
    todo = plan(tmp_path, manifest, {"kept.docx": "in"}, {"kept.docx"}, force=False)
    assert todo.removed == ["gone.docx"]  # vanished.docx is already gone from disk
    assert todo.unchanged == ["kept.docx"]


def test_manifest_round_trip_and_unreadable(tmp_path):
    manifest = Manifest({"b.xlsx": Entry("i2", "o2", ("p",)), "a.docx": Entry("i1", "o1")}, "u.yaml", "unit: 甲\n", "0.1.0")
    (tmp_path / MANIFEST_NAME).write_bytes(manifest.dumps())
    again = Manifest.read(tmp_path)
    assert again == manifest
    assert list(json.loads(manifest.dumps())["files"]) == ["a.docx", "b.xlsx"]  # sorted: stable bytes
    (tmp_path / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    assert Manifest.read(tmp_path) is None
    assert Manifest.read(tmp_path / "nowhere") is None


def test_digest_is_stable_and_sensitive():
    from decimal import Decimal

    assert digest({"b": 1, "a": Decimal("1.50")}) == digest({"a": Decimal("1.50"), "b": 1})
    assert digest({"a": Decimal("1.50")}) != digest({"a": Decimal("1.5")})
