"""Backup and restore (core/backup.py, `xiaoneng backup` / `xiaoneng restore`, the backup job).

The suite runs on SQLite and again on PostgreSQL (DATABASE_URL): each test runs on whichever it
is given. pg_dump sees only committed rows, so the tests are transactional; the reference data
of the migrations comes back by serialized rollback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.conftest import County, make_county
from tests.inspections.factories import make_attachment, make_inspection
from tests.registry.factories import make_entity
from xiaoneng.core import backup as backups
from xiaoneng.core.models import AuditEvent, JobRun
from xiaoneng.inspections.models import Attachment, Inspection
from xiaoneng.web import jobs

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OTHER = {
    "sqlite": ("postgresql", "PostgreSQL", "SQLite"),
    "postgresql": ("sqlite", "SQLite", "PostgreSQL"),
}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def build(county: County) -> None:
    """Entities, signed inspections (one with two officers) with attachments, and a draft."""
    east = [make_entity(name=f"城东餐饮{i}", grid=county.east_grid.code) for i in range(3)]
    west = make_entity(name="城西超市", grid=county.west_grid.code)
    first = make_inspection(entity=east[0], officers=[county.east_officer, county.east_director])
    make_attachment(first, b"%PDF-1.4 record one")
    make_attachment(
        first, b"\x89PNG photo bytes", kind=Attachment.Kind.PHOTO, original_name="a.png"
    )
    second = make_inspection(
        entity=west, officers=[county.west_officer], results=["fail", "pass", "pass"]
    )
    make_attachment(second, b"%PDF-1.4 record two")
    make_inspection(entity=east[1], officers=[county.east_officer], signed=False)


def state() -> dict[str, Any]:
    """What a restore must give back: every table's rows, the trace, the signed records'
    digests and the attachments' file hashes."""
    trace = list(
        AuditEvent.objects.order_by("id").values_list(
            "id",
            "at",
            "actor_id",
            "actor_name",
            "source",
            "content_type_id",
            "object_id",
            "object_repr",
            "action",
            "changes",
            "reason",
        )
    )
    signed = {}
    for record in Inspection.objects.filter(status=Inspection.Status.SIGNED).order_by("id"):
        content = {
            "record": [
                record.entity_id,
                record.lead_officer_id,
                str(record.signed_at),
                record.summary,
                record.items_failed,
                record.uniform,
                record.revision,
            ],
            "team": list(record.team.order_by("id").values_list("officer_id", "signed_at")),
            "results": list(record.results.order_by("id").values_list("item_id", "result", "note")),
        }
        signed[record.pk] = hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()
    files = {}
    for attachment in Attachment.objects.order_by("id"):
        with attachment.file.open("rb") as stream:
            files[attachment.pk] = (attachment.sha256, hashlib.sha256(stream.read()).hexdigest())
    return {"counts": backups.row_counts(), "trace": trace, "signed": signed, "files": files}


def media_listing(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def empty_everything(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as error:
        call_command(*args)
    assert error.value.returncode == 2
    return error.value


def test_round_trip_gives_back_every_table_the_trace_signed_records_and_attachments(
    media: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(make_county())
    before = state()
    assert len(before["trace"]) > 10 and len(before["signed"]) == 2 and len(before["files"]) == 3
    assert all(stored == found for stored, found in before["files"].values())

    call_command("backup", "-o", str(tmp_path / "b"))
    out = capsys.readouterr().out
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert "备份完成" in out and f"{len(manifest['tables'])} 个表" in out
    assert manifest["format_version"] == 1 and manifest["vendor"] == connection.vendor
    assert manifest["xiaoneng_version"] and dt.datetime.fromisoformat(manifest["created_at"])
    assert manifest["tables"] == before["counts"]
    paths = {f["path"] for f in manifest["files"]}
    assert backups.DATABASE_FILES[connection.vendor] in paths
    assert {p for p in paths if p.startswith("media/")} == {
        f"media/{p}" for p in media_listing(media)
    }
    for entry in manifest["files"]:
        data = (tmp_path / "b" / entry["path"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    empty_everything(media)
    assert Inspection.objects.count() == 0 and media_listing(media) == {}
    call_command("restore", str(tmp_path / "b"))
    assert "行数与清单一致" in capsys.readouterr().out
    after = state()
    assert after["counts"] == before["counts"]
    assert after["trace"] == before["trace"]
    assert after["signed"] == before["signed"]
    assert after["files"] == before["files"]


def test_backup_refuses_a_folder_that_is_not_empty(media: Path, tmp_path: Path) -> None:
    target = tmp_path / "b"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    error = refused("backup", "-o", str(target))
    assert str(error) == f"备份目录已存在且不为空：{target}，未作任何修改"
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    (target / "notes.txt").unlink()
    call_command("backup", "-o", str(target))  # an empty folder is taken
    assert (target / "manifest.json").is_file()


def test_a_failed_backup_leaves_no_folder_that_looks_whole(
    media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (media / "x").mkdir(parents=True)
    (media / "x" / "photo.jpg").write_bytes(b"jpeg")

    def full_disk(*args: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "_copy", full_disk)
    with pytest.raises(OSError):
        backups.backup(tmp_path / "b")
    assert list(tmp_path.iterdir()) == [media]


@pytest.fixture
def made(media: Path, tmp_path: Path) -> Path:
    """A backup of the county with its records, the database then emptied."""
    build(make_county())
    folder = tmp_path / "b"
    backups.backup(folder)
    return folder


def unchanged(run: Any, media: Path) -> None:
    """``run`` refuses and leaves the database and the media files as they were."""
    counts, files = backups.row_counts(), media_listing(media)
    run()
    assert backups.row_counts() == counts and media_listing(media) == files


def test_restore_refuses_a_folder_without_manifest(made: Path, media: Path) -> None:
    (made / "manifest.json").unlink()
    error: list[CommandError] = []
    unchanged(lambda: error.append(refused("restore", str(made), "--force")), media)
    assert str(error[0]) == f"{made} 中没有 manifest.json：不是完整的备份，未作任何修改"


def test_restore_refuses_a_changed_or_missing_file(made: Path, media: Path) -> None:
    manifest = json.loads((made / "manifest.json").read_text())
    photo = next(f["path"] for f in manifest["files"] if f["path"].startswith("media/"))
    original = (made / photo).read_bytes()
    (made / photo).write_bytes(bytes([original[0] ^ 1]) + original[1:])  # same size
    messages: list[str] = []
    unchanged(lambda: messages.append(str(refused("restore", str(made), "--force"))), media)
    (made / photo).write_bytes(original + b"!")
    unchanged(lambda: messages.append(str(refused("restore", str(made), "--force"))), media)
    (made / photo).unlink()
    unchanged(lambda: messages.append(str(refused("restore", str(made), "--force"))), media)
    size = len(original)
    assert messages == [
        f"备份文件校验和不符：{photo}（SHA-256 与清单不同），未作任何修改",
        f"备份文件大小不符：{photo}（清单 {size} 字节，实际 {size + 1} 字节），未作任何修改",
        f"备份文件缺失：{photo}，未作任何修改",
    ]


def test_restore_refuses_a_database_in_use_unless_forced(made: Path, media: Path) -> None:
    error: list[CommandError] = []
    unchanged(lambda: error.append(refused("restore", str(made))), media)
    message = str(error[0])
    assert message.startswith("当前数据库不是空的（") and message.endswith(
        "个表有数据）：确定要覆盖请加 --force，未作任何修改"
    )
    before = state()
    make_entity(name="备份之后新登记的")
    Attachment.objects.all().delete()
    call_command("restore", str(made), "--force")
    assert state() == before


def test_restore_refuses_the_other_databases_dump(made: Path, media: Path) -> None:
    other, theirs, ours = OTHER[connection.vendor]
    manifest = json.loads((made / "manifest.json").read_text())
    manifest["vendor"] = other
    (made / "manifest.json").write_text(json.dumps(manifest))
    error: list[CommandError] = []
    unchanged(lambda: error.append(refused("restore", str(made), "--force")), media)
    assert str(error[0]) == f"备份来自 {theirs} 数据库，当前数据库是 {ours}：无法恢复，未作任何修改"


def test_the_backup_job_keeps_the_newest_n_and_prunes_only_after_a_success(
    media: Path, tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "backups"
    settings.XIAONENG_BACKUP_DIR = root
    settings.XIAONENG_BACKUP_KEEP = 2
    for name in ("20261101-003000", "20261102-003000", "20261103-003000", "notes"):
        (root / name).mkdir(parents=True)
    (root / "20261104-003000.txt").write_text("not a backup folder")

    monkeypatch.setattr(backups, "backup", lambda target: 1 / 0)
    run = jobs.run_job("backup")
    assert run.status == JobRun.Status.FAILED
    assert sorted(p.name for p in root.iterdir())[:3] == [
        "20261101-003000",
        "20261102-003000",
        "20261103-003000",
    ]
    monkeypatch.undo()

    run = jobs.run_job("backup")
    assert run.status == JobRun.Status.OK, run.error
    assert run.counts["removed"] == 2 and run.counts["files"] >= 1
    names = sorted(p.name for p in root.iterdir())
    new = [n for n in names if backups.STAMPED.fullmatch(n) and n > "20261103-003000"]
    assert names == sorted(["20261103-003000", *new, "notes", "20261104-003000.txt"])
    assert len(new) == 1 and (root / new[0] / "manifest.json").is_file()
    assert jobs.JOBS["backup"].cadence == jobs.DAILY


def test_a_missing_pg_dump_is_named(
    media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump is PostgreSQL's")
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)
    error = refused("backup", "-o", str(tmp_path / "b"))
    assert str(error).startswith("找不到 pg_dump：请安装 PostgreSQL 客户端")
    assert list(tmp_path.iterdir()) == []
