"""Backup and restore of one instance: the database and every uploaded file in one archive.

An archive is a ``.tar.gz`` holding ``database/…`` (a consistent SQLite copy made with the
online backup API, or a ``pg_dump --format=custom`` file), ``media/…`` (every file under
MEDIA_ROOT) and ``manifest.json`` (written last: an archive without it is incomplete). The
manifest carries the checksums a restore verifies before it touches anything, the migration
state that decides whether the code can read the data, and the row counts it checks after.
"""

import errno
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import psycopg
from cryptography.fernet import InvalidToken
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie import __version__
from zhengxie.core.fields import _fernet

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/zhengxie.sqlite3", "postgresql": "database/zhengxie.pgdump"}
MEDIA_DIR = "media"
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Known plaintext encrypted with the field keys: tells a restore whether its keys can read the data.
KEY_CHECK = b"zhengxie-backup-key-check"
# libpq connection parameters and the environment variables pg_dump / pg_restore read them from.
LIBPQ_ENV = {
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
}


class BackupError(Exception):
    """A backup or restore that did not happen; ``exit_code`` is the command's exit status."""

    exit_code = 1


class ToolMissing(BackupError):
    exit_code = 3


class WriteFailed(BackupError):
    exit_code = 4


class ArchiveInvalid(BackupError):
    exit_code = 5


class Incompatible(BackupError):
    exit_code = 6


class TargetNotEmpty(BackupError):
    exit_code = 7


class CountMismatch(BackupError):
    exit_code = 8


@dataclass
class RestoreResult:
    manifest: dict
    counts: dict = field(default_factory=dict)  # label -> (expected, found)
    pending_migrations: list = field(default_factory=list)
    keys_match: bool = True

    @property
    def mismatches(self):
        return {label: pair for label, pair in self.counts.items() if pair[0] != pair[1]}


# ---------------------------------------------------------------- database helpers


def database_engine() -> str:
    """``sqlite`` or ``postgresql``: the engine of the configured database."""
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise Incompatible(_("不支持备份此类数据库:%(vendor)s。") % {"vendor": vendor})
    return vendor


def _libpq_params() -> dict:
    config = connection.settings_dict
    values = {
        "dbname": config["NAME"],
        "user": config.get("USER"),
        "password": config.get("PASSWORD"),
        "host": config.get("HOST"),
        "port": str(config.get("PORT") or ""),
        "sslmode": config.get("OPTIONS", {}).get("sslmode"),
    }
    return {key: value for key, value in values.items() if value}


def _pg_env() -> dict:
    """The environment for pg_dump / pg_restore: the password travels here, never in argv."""
    env = os.environ.copy()
    for key, value in _libpq_params().items():
        env[LIBPQ_ENV[key]] = value
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(
            _(
                "找不到 %(tool)s 命令。请安装与服务器版本一致的 PostgreSQL 客户端"
                "(Debian 12:apt install postgresql-client-15)后重试。"
            )
            % {"tool": name}
        )
    return path


def _run(argv: list[str]) -> None:
    result = subprocess.run(argv, env=_pg_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s 执行失败(退出码 %(code)s):%(error)s")
            % {
                "tool": Path(argv[0]).name,
                "code": result.returncode,
                "error": result.stderr.strip(),
            }
        )


def _model_tables() -> list[tuple[str, str]]:
    """(model label, table) for every table the code's models keep rows in."""
    seen, tables = set(), []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        tables.append((meta.label_lower, meta.db_table))
    return sorted(tables)


def _quote(table: str) -> str:
    escaped = table.replace('"', '""')
    return f'"{escaped}"'


def _count(query, table: str) -> int:
    return query(f"SELECT COUNT(*) FROM {_quote(table)}")[0][0]


def _latest_migrations(rows) -> dict[str, list[str]]:
    """Per app, the applied migrations with the highest number (several when branches merge)."""
    by_app: dict[str, list[str]] = {}
    for app, name in rows:
        by_app.setdefault(app, []).append(name)
    latest = {}
    for app, names in sorted(by_app.items()):
        top = max(name.split("_", 1)[0] for name in names)
        latest[app] = sorted(name for name in names if name.split("_", 1)[0] == top)
    return latest


def _read_state(query, existing_tables: set[str]) -> tuple[dict, dict]:
    """Migration state and row counts, read through ``query(sql) -> rows`` from one snapshot."""
    migrations = {}
    if "django_migrations" in existing_tables:
        migrations = _latest_migrations(query("SELECT app, name FROM django_migrations"))
    counts = {
        label: {"table": table, "rows": _count(query, table)}
        for label, table in _model_tables()
        if table in existing_tables
    }
    return migrations, counts


def _snapshot_sqlite(dest: Path) -> tuple[dict, dict]:
    """Copy the live database with the online backup API. One step holds one read transaction,
    so the copy is a consistent state even while the server and the worker write (WAL)."""
    connection.ensure_connection()
    copy = sqlite3.connect(dest)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        return _read_state(lambda sql: copy.execute(sql).fetchall(), tables)
    finally:
        copy.close()


def _snapshot_postgresql(dest: Path) -> tuple[dict, dict]:
    """pg_dump of an exported snapshot; the counts and migrations are read in that same
    snapshot, so they describe exactly the dumped data even while the server writes."""
    pg_dump = _tool("pg_dump")
    try:
        return _dump_postgresql(pg_dump, dest)
    except psycopg.Error as exc:
        raise BackupError(_("读取 PostgreSQL 数据库失败:%(error)s") % {"error": exc}) from exc


def _dump_postgresql(pg_dump: str, dest: Path) -> tuple[dict, dict]:
    with psycopg.connect(**_libpq_params()) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        }
        state = _read_state(lambda sql: conn.execute(sql).fetchall(), tables)
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={dest}",
                f"--dbname={connection.settings_dict['NAME']}",
            ]
        )
        conn.rollback()
    return state


def _django_query(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _existing_tables() -> set[str]:
    return set(connection.introspection.table_names())


def database_has_data() -> bool:
    """True when the configured database holds any committee or user: an instance in use.
    (Rows that migrations create — content types, permissions — do not count.)"""
    tables = _existing_tables()
    for model in (apps.get_model("organisation", "Committee"), get_user_model()):
        table = model._meta.db_table
        if table in tables and _django_query(f"SELECT 1 FROM {_quote(table)} LIMIT 1"):
            return True
    return False


def pending_migrations() -> list[str]:
    """Migrations the code has and the configured database has not applied yet."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def unknown_migrations(migrations: dict[str, list[str]]) -> list[str]:
    """Migrations named in a manifest that the code does not have: the backup is newer."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    return [
        f"{app}.{name}"
        for app, names in sorted(migrations.items())
        for name in names
        if (app, name) not in known
    ]


# ---------------------------------------------------------------- backup


def _site_label() -> str:
    """The code of the instance's top committee, or ``site`` when there is not exactly one."""
    try:
        codes = list(
            apps.get_model("organisation", "Committee")
            .objects.filter(parent__isnull=True)
            .values_list("code", flat=True)[:2]
        )
    except DatabaseError:
        codes = []
    label = re.sub(r"[^A-Za-z0-9_-]+", "-", codes[0]).strip("-") if len(codes) == 1 else ""
    return label or "site"


def default_backup_name(now=None) -> str:
    now = timezone.localtime(now)
    return f"zhengxie-backup-{_site_label()}-{now:%Y%m%d-%H%M%S}.tar.gz"


def _output_path(output) -> Path:
    if output is None:
        return Path(settings.VAR_DIR) / "backups" / default_backup_name()
    path = Path(output)
    if path.is_dir() or str(output).endswith(("/", os.sep)):
        return path / default_backup_name()
    return path


def _media_files() -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(
        (path.relative_to(root).as_posix(), path) for path in root.rglob("*") if path.is_file()
    )


class _HashingReader:
    """Passes a file's bytes to tarfile while hashing exactly what goes into the archive."""

    def __init__(self, handle):
        self.handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.sha256.update(data)
        return data


def _add_file(tar, name: str, path: Path) -> dict:
    stat = path.stat()
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"size": stat.st_size, "sha256": reader.sha256.hexdigest()}


def _add_bytes(tar, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o644
    tar.addfile(info, io.BytesIO(data))


def _write_failed(exc: OSError, path: Path) -> WriteFailed:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return WriteFailed(
            _("磁盘空间不足,备份未完成:%(path)s。请清理空间或用 --output 指定其他位置。")
            % {"path": path}
        )
    return WriteFailed(
        _("无法写入备份文件 %(path)s:%(error)s。请检查目录是否存在、是否有写权限。")
        % {"path": path, "error": exc.strerror or exc}
    )


def backup_create(*, output=None) -> tuple[Path, dict]:
    """Write one archive of the database and MEDIA_ROOT; return (path, manifest).

    Everything is written inside a hidden temporary directory beside the target and renamed
    into place at the end, so an interrupted backup never leaves a file that looks complete.
    The database is copied before the files are read: an attachment row in the copy already
    has its file on disk (files are written before their rows are committed).
    """
    engine = database_engine()
    path = _output_path(output)
    if path.exists():
        raise WriteFailed(_("备份文件已存在:%(path)s。") % {"path": path})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".zhengxie-backup-") as work:
            work = Path(work)
            manifest = _write_archive(work, engine=engine)
            os.replace(work / "archive.tar.gz", path)
    except OSError as exc:
        raise _write_failed(exc, path) from exc
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            raise _write_failed(OSError(errno.ENOSPC, str(exc)), path) from exc
        raise BackupError(_("复制 SQLite 数据库失败:%(error)s") % {"error": exc}) from exc
    return path, manifest


def _write_archive(work: Path, *, engine: str) -> dict:
    snapshot = work / "database"
    migrations, counts = (
        _snapshot_sqlite(snapshot) if engine == "sqlite" else _snapshot_postgresql(snapshot)
    )
    member = DATABASE_MEMBERS[engine]
    manifest = {
        "format": FORMAT,
        "created_at": timezone.localtime().isoformat(),
        "app_version": __version__,
        "database": {"engine": engine, "file": member},
        "migrations": migrations,
        "row_counts": counts,
        "media": [],
        "key_check": _fernet().encrypt(KEY_CHECK).decode(),
    }
    part = work / "archive.tar.gz"
    with part.open("wb") as raw:
        with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
            manifest["database"].update(_add_file(tar, member, snapshot))
            snapshot.unlink()
            for relative, media_path in _media_files():
                entry = _add_file(tar, f"{MEDIA_DIR}/{relative}", media_path)
                manifest["media"].append({"path": relative, **entry})
            text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
            _add_bytes(tar, MANIFEST, text.encode())
        raw.flush()
        os.fsync(raw.fileno())
    return manifest


# ---------------------------------------------------------------- restore


def _safe_relative(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


def _allowed_member(member: tarfile.TarInfo) -> bool:
    name = member.name
    if member.isdir():
        return name == MEDIA_DIR or name.startswith(f"{MEDIA_DIR}/")
    if not member.isfile() or not _safe_relative(name):
        return False
    return (
        name == MANIFEST
        or name in DATABASE_MEMBERS.values()
        or (name.startswith(f"{MEDIA_DIR}/") and len(name) > len(MEDIA_DIR) + 1)
    )


def _damaged(archive: Path, detail) -> ArchiveInvalid:
    return ArchiveInvalid(
        _("备份文件 %(path)s 已损坏或不完整(%(detail)s),未恢复任何数据。")
        % {"path": archive, "detail": detail}
    )


def _extract(archive: Path, staging: Path) -> dict:
    """Unpack into ``staging`` and return the manifest; refuses anything but our own members."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            members = tar.getmembers()
            strange = [member.name for member in members if not _allowed_member(member)]
            if strange:
                raise _damaged(archive, _("含有不应有的内容:%s") % strange[0])
            tar.extractall(staging, members=members, filter="data")
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise _damaged(archive, exc) from exc
    except FileNotFoundError as exc:
        raise ArchiveInvalid(_("找不到备份文件:%(path)s。") % {"path": archive}) from exc
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _no_space(staging) from exc
        raise ArchiveInvalid(
            _("无法读取备份文件 %(path)s:%(error)s。") % {"path": archive, "error": exc.strerror}
        ) from exc
    manifest_path = staging / MANIFEST
    if not manifest_path.is_file():
        raise _damaged(archive, _("缺少 manifest.json"))
    try:
        return json.loads(manifest_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _damaged(archive, _("manifest.json 无法读取")) from exc


def _no_space(directory: Path) -> WriteFailed:
    return WriteFailed(
        _("磁盘空间不足,无法在 %(path)s 解开或恢复备份。请清理空间后重试。")
        % {"path": directory.parent}
    )


def _file_digest(path: Path) -> tuple[int, str]:
    sha256 = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            sha256.update(chunk)
    return path.stat().st_size, sha256.hexdigest()


def _check_file(staging: Path, name: str, entry: dict) -> None:
    path = staging / name
    if not path.is_file():
        raise ArchiveInvalid(_("备份中缺少文件 %(name)s,未恢复任何数据。") % {"name": name})
    if _file_digest(path) != (entry.get("size"), entry.get("sha256")):
        raise ArchiveInvalid(
            _("文件 %(name)s 的校验值与清单不符(备份已损坏或被改动),未恢复任何数据。")
            % {"name": name}
        )


def verify_archive(manifest: dict, staging: Path) -> None:
    """Every file present with the size and SHA-256 the manifest records, and no others."""
    if manifest.get("format") != FORMAT:
        raise Incompatible(
            _("备份格式版本 %(format)s 不受本程序支持,请使用对应版本的智慧政协恢复。")
            % {"format": manifest.get("format")}
        )
    database = manifest.get("database") or {}
    if database.get("file") not in DATABASE_MEMBERS.values():
        raise ArchiveInvalid(_("备份清单中没有数据库文件,未恢复任何数据。"))
    _check_file(staging, database["file"], database)
    listed = set()
    for entry in manifest.get("media", []):
        if not _safe_relative(entry.get("path", "")):
            raise ArchiveInvalid(_("备份清单中的文件路径不合法,未恢复任何数据。"))
        listed.add(entry["path"])
        _check_file(staging, f"{MEDIA_DIR}/{entry['path']}", entry)
    media_root = staging / MEDIA_DIR
    present = (
        {p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file()}
        if media_root.is_dir()
        else set()
    )
    if present - listed:
        raise ArchiveInvalid(
            _("备份中有清单未列出的文件 %(name)s,未恢复任何数据。")
            % {"name": sorted(present - listed)[0]}
        )


def check_compatible(manifest: dict) -> None:
    """The backup's engine is the configured one and its schema is not newer than the code."""
    engine, current = manifest["database"].get("engine"), database_engine()
    if engine != current:
        raise Incompatible(
            _(
                "这是 %(backup)s 数据库的备份,当前配置的是 %(current)s 数据库(DATABASE_URL),"
                "两者不能互相恢复。请把 DATABASE_URL 指向 %(backup)s 数据库后再恢复。"
            )
            % {
                "backup": ENGINE_LABELS.get(engine, engine),
                "current": ENGINE_LABELS[current],
            }
        )
    unknown = unknown_migrations(manifest.get("migrations", {}))
    if unknown:
        raise Incompatible(
            _(
                "备份来自较新版本的智慧政协(含本程序没有的数据库迁移:%(names)s),"
                "请先把程序升级到不低于 %(version)s 的版本再恢复。"
            )
            % {"names": "、".join(unknown), "version": manifest.get("app_version", "?")}
        )


def _restore_sqlite(staged: Path) -> None:
    """Copy the staged database into the configured one with the backup API: it replaces
    every page under one lock, so nothing is half-copied, and the WAL stays consistent."""
    source = sqlite3.connect(staged)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise ArchiveInvalid(_("备份中的 SQLite 数据库文件已损坏,未恢复任何数据。"))
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(_("恢复 SQLite 数据库失败:%(error)s") % {"error": exc}) from exc
    finally:
        source.close()


def _restore_postgresql(staged: Path) -> None:
    pg_restore = _tool("pg_restore")
    connection.close()  # pg_restore drops tables: hold no session that could block it
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(staged),
        ]
    )


def _restore_media(manifest: dict, staging: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    for entry in manifest.get("media", []):
        target = root / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging / MEDIA_DIR / entry["path"], target)


def _restored_counts(manifest: dict) -> dict:
    tables = _existing_tables()
    return {
        label: (
            entry["rows"],
            _count(_django_query, entry["table"]) if entry["table"] in tables else None,
        )
        for label, entry in sorted(manifest.get("row_counts", {}).items())
    }


def keys_match(manifest: dict) -> bool:
    """Whether the configured FIELD_ENCRYPTION_KEYS read the backup's encrypted fields."""
    try:
        return _fernet().decrypt(manifest.get("key_check", "").encode()) == KEY_CHECK
    except InvalidToken:
        return False


def backup_restore(*, archive, force=False) -> RestoreResult:
    """Verify ``archive`` completely, then replace the database and restore the files.

    Nothing is written before the archive, its engine and its schema are checked, and a
    database already in use is only overwritten with ``force``.
    """
    archive = Path(archive)
    var_dir = Path(settings.VAR_DIR)
    var_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=var_dir, prefix=".zhengxie-restore-") as staging:
        staging = Path(staging)
        manifest = _extract(archive, staging)
        verify_archive(manifest, staging)
        check_compatible(manifest)
        if not force and database_has_data():
            raise TargetNotEmpty(
                _(
                    "当前数据库中已有数据(委员会或用户),恢复会覆盖全部现有数据。"
                    "确认要覆盖请加 --force 重新运行。"
                )
            )
        staged = staging / manifest["database"]["file"]
        if manifest["database"]["engine"] == "sqlite":
            _restore_sqlite(staged)
        else:
            _restore_postgresql(staged)
        try:
            _restore_media(manifest, staging)
        except OSError as exc:
            raise WriteFailed(
                _("数据库已恢复,但上传文件未能全部放回 %(path)s:%(error)s。处理后请重新恢复。")
                % {"path": settings.MEDIA_ROOT, "error": exc.strerror or exc}
            ) from exc
    return RestoreResult(
        manifest=manifest,
        counts=_restored_counts(manifest),
        pending_migrations=pending_migrations(),
        keys_match=keys_match(manifest),
    )
