"""Backup and restore of the whole system: the database, the media files and a manifest.

A backup is a folder: the database (``database.sqlite3``, a copy made with SQLite's online
backup API, or ``database.dump``, ``pg_dump -Fc``), the media files under ``media/`` as they lie
under ``MEDIA_ROOT``, and ``manifest.json`` with every file's size and SHA-256 and every table's
row count (ADR 0024). It is written into a hidden sibling folder and renamed at the end, so a
folder with the backup's name is always a whole backup. Restoring checks the manifest before it
touches anything, and the row counts after.

This module sits in ``core`` and names no domain model: the tables come from the connection's
introspection, the project's models from the app registry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

import xiaoneng
from xiaoneng.core.errors import DomainError

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
VENDOR_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# The scheduled backups' folders: their creation time, so that names sort by age.
STAMP_FORMAT = "%Y%m%d-%H%M%S"
STAMPED = re.compile(r"\d{8}-\d{6}")
CHUNK = 1024 * 1024
LOCK_WAIT_SECONDS = 60.0
UNCHANGED = "未作任何修改"
# Reference data that the migrations themselves write (a fresh `migrate` fills these): rows
# here do not make a database "in use", so a restore after `migrate` needs no --force.
SEEDED_BY_MIGRATIONS = frozenset(
    {
        "core.calendaryear",
        "core.calendarexception",
        "inspections.checklist",
        "inspections.checklistitem",
        "org.role",
        "planning.inspectionitem",
        "planning.policy",
        "planning.policycell",
        "registry.creditrule",
        "registry.industry",
        "registry.riskclassrule",
    }
)


class BackupError(DomainError):
    """A backup or restore refused or failed; the message says which file or table and why."""


class CountsDiffer(BackupError):
    """The restore ran, but the tables do not hold the rows the manifest counted."""


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative, with "/" separators
    size: int
    sha256: str


@dataclass
class Manifest:
    """What ``manifest.json`` says of a backup."""

    vendor: str
    created_at: str
    xiaoneng_version: str
    files: list[FileEntry] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    @property
    def media_files(self) -> list[FileEntry]:
        return [f for f in self.files if f.path.startswith(MEDIA + "/")]

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format_version": self.format_version,
                "xiaoneng_version": self.xiaoneng_version,
                "vendor": self.vendor,
                "created_at": self.created_at,
                "tables": self.tables,
                "files": [vars(f) for f in self.files],
            },
            ensure_ascii=False,
            indent=1,
        )

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest of the backup in ``folder``, or ``BackupError`` saying what is wrong."""
        path = folder / MANIFEST
        if not folder.is_dir():
            raise BackupError(f"备份目录不存在：{folder}，{UNCHANGED}")
        if not path.is_file():
            raise BackupError(f"{folder} 中没有 {MANIFEST}：不是完整的备份，{UNCHANGED}")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            manifest = cls(
                vendor=str(data["vendor"]),
                created_at=str(data["created_at"]),
                xiaoneng_version=str(data["xiaoneng_version"]),
                files=[
                    FileEntry(str(f["path"]), int(f["size"]), str(f["sha256"]))
                    for f in data["files"]
                ],
                tables={str(k): int(v) for k, v in data["tables"].items()},
                format_version=int(data["format_version"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(f"{MANIFEST} 无法读取（{error}），{UNCHANGED}") from None
        if manifest.format_version != FORMAT_VERSION:
            raise BackupError(
                f"不支持的备份格式版本 {manifest.format_version}"
                f"（本程序读取版本 {FORMAT_VERSION}），{UNCHANGED}"
            )
        for entry in manifest.files:
            parts = PurePosixPath(entry.path).parts
            if entry.path.startswith("/") or ".." in parts or not parts:
                raise BackupError(f"{MANIFEST} 中的文件路径无效：{entry.path}，{UNCHANGED}")
        return manifest


@dataclass(frozen=True)
class Restored:
    """What a restore did: the manifest it followed and the row counts it found after."""

    manifest: Manifest
    counts: dict[str, int]
    media_files: int


# --- backup ------------------------------------------------------------------------------------


def backup(target: Path) -> Manifest:
    """Write a backup of the configured database and ``MEDIA_ROOT`` into ``target``.

    ``target`` must not exist or be an empty folder. Everything is written into a hidden
    sibling first and renamed to ``target`` at the end; on any failure the sibling is removed.
    """
    target = Path(target).absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"备份目录已存在且不为空：{target}，{UNCHANGED}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.parent / f".{target.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        vendor = connection.vendor
        database = partial / DATABASE_FILES.get(vendor, "")
        if vendor == "sqlite":
            tables = _sqlite_backup(database)
        elif vendor == "postgresql":
            tables = _postgresql_backup(database)
        else:
            raise BackupError(f"不支持备份 {vendor} 数据库")
        files = [_entry(partial, database)]
        media_root = Path(settings.MEDIA_ROOT)
        for source in _files_under(media_root):
            relative = source.relative_to(media_root).as_posix()
            files.append(_copy(source, partial / MEDIA / relative, f"{MEDIA}/{relative}"))
        manifest = Manifest(
            vendor=vendor,
            created_at=timezone.localtime().isoformat(timespec="seconds"),
            xiaoneng_version=_version(),
            files=files,
            tables=tables,
        )
        (partial / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        if target.exists():
            target.rmdir()  # empty, checked above
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def _version() -> str:
    return getattr(xiaoneng, "__version__", "") or _distribution_version()


def _distribution_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("xiaoneng")
    except PackageNotFoundError:
        return "unknown"


def _sqlite_connect() -> sqlite3.Connection:
    """A connection of its own to the configured SQLite database (a file, or the test suite's
    shared in-memory database, which another connection reaches through the same URI): on a
    file in WAL mode it reads while Django's connections write."""
    name = str(connection.settings_dict["NAME"])
    return sqlite3.connect(name, uri=name.startswith("file:"), timeout=30)


def _give_up_after(seconds: float) -> Callable[[int, int, int], None]:
    """A progress callback for ``Connection.backup``, which retries a locked database for
    ever: past ``seconds`` it stops with an error instead."""
    deadline = time.monotonic() + seconds

    def progress(status: int, remaining: int, total: int) -> None:
        if status in {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED} and time.monotonic() > deadline:
            raise BackupError(f"数据库被锁定超过 {seconds:.0f} 秒，备份未完成")

    return progress


def _sqlite_tables(db: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {n: db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def _sqlite_backup(database: Path) -> dict[str, int]:
    """Copy the live database with the online backup API, in one step: the copy is one
    consistent snapshot even while the server writes (WAL lets the writers go on). The counts
    are taken from the copy, so they are the copy's."""
    copy = sqlite3.connect(database)
    try:
        source = _sqlite_connect()
        try:
            source.backup(copy, progress=_give_up_after(LOCK_WAIT_SECONDS))  # all at once
        finally:
            source.close()
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        return _sqlite_tables(copy)
    finally:
        copy.close()


def _pg_environment(wrapper: BaseDatabaseWrapper) -> dict[str, str]:
    """libpq's environment for the pg_ tools, from Django's settings of the connection."""
    params = wrapper.settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    if sslmode := (params.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(sslmode)
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"找不到 {name}：请安装 PostgreSQL 客户端（Debian：apt install postgresql-client，"
            f"版本不低于数据库服务器），{UNCHANGED}"
        )
    return found


def _postgresql_backup(database: Path) -> dict[str, int]:
    """``pg_dump -Fc`` of the database, and the row counts, both from one snapshot: a
    connection of our own opens a repeatable-read transaction, exports its snapshot for pg_dump
    and counts in it, so the counts are the dump's even while the server writes."""
    pg_dump = _tool("pg_dump")
    wrapper = connections.create_connection("default")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            done = subprocess.run(
                [pg_dump, "-Fc", f"--snapshot={snapshot}", "--file", str(database)],
                env=_pg_environment(wrapper),
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump 失败：{done.stderr.strip()}")
            tables = _counts(wrapper, cursor)
            cursor.execute("COMMIT")
        return tables
    finally:
        wrapper.close()


def _counts(wrapper: BaseDatabaseWrapper, cursor: Any) -> dict[str, int]:
    names = sorted(
        name
        for name in wrapper.introspection.table_names(cursor, include_views=False)
        if not name.startswith("sqlite_")  # SQLite's own (sqlite_stat1 after ANALYZE)
    )
    quote = wrapper.ops.quote_name
    counts = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")
        counts[name] = cursor.fetchone()[0]
    return counts


def row_counts() -> dict[str, int]:
    """Every table of the configured database with its number of rows."""
    with connection.cursor() as cursor:
        return _counts(connection, cursor)


def _files_under(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


def _entry(base: Path, path: Path) -> FileEntry:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return FileEntry(path.relative_to(base).as_posix(), path.stat().st_size, digest.hexdigest())


def _copy(source: Path, destination: Path, name: str) -> FileEntry:
    """Copy ``source`` to ``destination``, hashing it on the way (the file is read once)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as reader, destination.open("wb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
    shutil.copystat(source, destination)
    return FileEntry(name, size, digest.hexdigest())


# --- restore -----------------------------------------------------------------------------------


def check(folder: Path) -> Manifest:
    """The backup's manifest once every file it lists is present with its size and SHA-256
    (``BackupError`` naming the first file that is not), and its database of this vendor."""
    folder = Path(folder).absolute()
    manifest = Manifest.read(folder)
    if manifest.vendor != connection.vendor:
        theirs = VENDOR_LABELS.get(manifest.vendor, manifest.vendor)
        ours = VENDOR_LABELS.get(connection.vendor, connection.vendor)
        raise BackupError(f"备份来自 {theirs} 数据库，当前数据库是 {ours}：无法恢复，{UNCHANGED}")
    database = DATABASE_FILES[manifest.vendor]
    if database not in {f.path for f in manifest.files}:
        raise BackupError(f"{MANIFEST} 中没有数据库文件 {database}，{UNCHANGED}")
    for expected in manifest.files:
        path = folder / expected.path
        if not path.is_file():
            raise BackupError(f"备份文件缺失：{expected.path}，{UNCHANGED}")
        found = _entry(folder, path)
        if found.size != expected.size:
            raise BackupError(
                f"备份文件大小不符：{expected.path}（清单 {expected.size} 字节，"
                f"实际 {found.size} 字节），{UNCHANGED}"
            )
        if found.sha256 != expected.sha256:
            raise BackupError(
                f"备份文件校验和不符：{expected.path}（SHA-256 与清单不同），{UNCHANGED}"
            )
    return manifest


def tables_in_use() -> set[str]:
    """The project's tables that hold rows (reference data written by the migrations aside):
    a restore would overwrite them. Empty when the tables do not exist yet."""
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor, include_views=False))
        found: set[str] = set()
        for model in apps.get_models(include_auto_created=True):
            if not model.__module__.startswith("xiaoneng."):
                continue
            if model._meta.label_lower in SEEDED_BY_MIGRATIONS:
                continue
            table = model._meta.db_table
            if table in existing and model._base_manager.exists():
                found.add(table)
    return found


def restore(folder: Path, *, force: bool = False) -> Restored:
    """Restore the backup in ``folder`` over the configured database and ``MEDIA_ROOT``.

    Nothing is touched until the manifest checks out and (unless ``force``) the database is
    found empty. Then the database, then the media files; then every table's row count is
    compared with the manifest (``BackupError`` naming the tables that differ).
    """
    folder = Path(folder).absolute()
    manifest = check(folder)
    if not force and (used := tables_in_use()):
        names = "、".join(sorted(used)[:3])
        raise BackupError(
            f"当前数据库不是空的（{names} 等 {len(used)} 个表有数据）：确定要覆盖请加 --force，"
            f"{UNCHANGED}"
        )
    database = folder / DATABASE_FILES[manifest.vendor]
    connection.close()  # no connection of ours holds the old tables or their schema
    if manifest.vendor == "sqlite":
        _sqlite_restore(database)
    else:
        _postgresql_restore(database)
    media_root = Path(settings.MEDIA_ROOT)
    for entry in manifest.media_files:
        relative = entry.path.removeprefix(MEDIA + "/")
        destination = media_root / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(f".{destination.name}.partial")
        shutil.copyfile(folder / entry.path, partial)
        os.replace(partial, destination)
    counts = row_counts()
    differ = [
        f"{table} 清单 {rows} 行，实际 {counts.get(table, '无此表')}"
        for table, rows in manifest.tables.items()
        if counts.get(table) != rows
    ]
    if differ:
        raise CountsDiffer("恢复后行数与清单不符：" + "；".join(differ))
    return Restored(manifest, counts, len(manifest.media_files))


def _sqlite_restore(database: Path) -> None:
    """The backup API from the file into the configured database: page by page under the
    destination's lock, replacing its whole content (the same call that made the copy)."""
    source = sqlite3.connect(database.as_uri() + "?mode=ro", uri=True)
    destination = _sqlite_connect()
    try:
        source.backup(destination, progress=_give_up_after(LOCK_WAIT_SECONDS))
    finally:
        destination.close()
        source.close()


def _postgresql_restore(database: Path) -> None:
    """``pg_restore --clean --if-exists --no-owner`` in one transaction: it drops and recreates
    every object of the dump, and a failure leaves the database as it was."""
    pg_restore = _tool("pg_restore")
    name = str(connection.settings_dict["NAME"])
    done = subprocess.run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "-d",
            name,
            str(database),
        ],
        env=_pg_environment(connection),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore 失败：{done.stderr.strip()}")


# --- scheduled backups -------------------------------------------------------------------------


@dataclass(frozen=True)
class Scheduled:
    """A scheduled backup's result: where it went, what it held, which old ones it removed."""

    folder: Path
    manifest: Manifest
    removed: list[Path]


def scheduled_backup(root: Path, *, keep: int, now: dt.datetime | None = None) -> Scheduled:
    """A new backup under ``root`` named by its local time; then, and only then, the oldest
    backups beyond the newest ``keep`` (at least one) are removed."""
    moment = timezone.localtime(now or timezone.now())
    folder = Path(root) / moment.strftime(STAMP_FORMAT)
    manifest = backup(folder)
    return Scheduled(folder, manifest, prune(Path(root), keep=keep))


def prune(root: Path, *, keep: int) -> list[Path]:
    """Remove the backups under ``root`` (the folders named by time) older than the newest
    ``keep``; other files and folders there are left alone."""
    stamped = sorted(p for p in root.iterdir() if p.is_dir() and STAMPED.fullmatch(p.name))
    old = stamped[: max(len(stamped) - max(keep, 1), 0)]
    for folder in old:
        shutil.rmtree(folder)
    return old
