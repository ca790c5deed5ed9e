"""The watched-folder contract: whole files only, configurable names, a ledger against re-writing what the
reader took, retention of what this folder wrote."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest

from verifier.facexml import FaceXmlWriter
from verifier.watched_folder import LEDGER, FolderPolicy, WatchedFolder


def test_a_file_appears_whole_and_only_xml_names_are_final(tmp_path: Path) -> None:
    folder = WatchedFolder(tmp_path / "face")
    path = folder.write("OQSsiquc01res_face_x.xml", b"<XmlMsg/>\n")
    assert path.read_bytes() == b"<XmlMsg/>\n"
    assert sorted(p.name for p in (tmp_path / "face").iterdir()) == [LEDGER, "OQSsiquc01res_face_x.xml"]
    assert not list((tmp_path / "face").glob(".*.part"))  # the temporary name is gone after the rename


def test_names_follow_the_template(tmp_path: Path) -> None:
    assert FolderPolicy().name("1310000017", 42, "20261121133000") == \
        "OQSsiquc01res_face_13100000170100000042_20261121133000.xml"
    custom = FolderPolicy(template="face_{institution}_{reception:06d}_{timestamp}.xml", process_code="02")
    assert custom.name("1310000017", 42, "20261121133000") == "face_1310000017_000042_20261121133000.xml"
    for bad in ("{reception}.txt", "../{reception}.xml", ".{reception}.xml"):
        with pytest.raises(ValueError):
            FolderPolicy(template=bad).name("1", 1, "t")


def test_the_ledger_outlives_the_file_and_the_process(tmp_path: Path) -> None:
    folder = WatchedFolder(tmp_path)
    folder.write("a.xml", b"1")
    (tmp_path / "a.xml").unlink()  # the reader imported and removed it
    assert WatchedFolder(tmp_path).was_written("a.xml")  # a new process still knows
    assert not WatchedFolder(tmp_path).was_written("b.xml")


def test_retention_removes_only_old_files_this_folder_wrote(tmp_path: Path) -> None:
    folder = WatchedFolder(tmp_path, FolderPolicy(retention=timedelta(days=30)))
    old, new = folder.write("old.xml", b"1"), folder.write("new.xml", b"2")
    foreign = tmp_path / "theirs.xml"
    foreign.write_bytes(b"3")
    month_ago = time.time() - 31 * 86400
    for path in (old, foreign):
        os.utime(path, (month_ago, month_ago))
    assert folder.purge() == 1
    assert not old.exists() and new.exists() and foreign.exists()
    assert WatchedFolder(tmp_path).purge() == 0  # no retention set: keeps everything


def test_the_writer_writes_in_the_background_and_flushes(tmp_path: Path) -> None:
    writer = FaceXmlWriter(tmp_path, FolderPolicy(retention=timedelta(days=1)))
    for n in range(20):
        writer.put(f"{n}.xml", b"x")
    writer.flush()
    assert len(list(tmp_path.glob("*.xml"))) == 20 and all(writer.was_written(f"{n}.xml") for n in range(20))
