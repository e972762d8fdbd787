"""zhengxie backup / restore: a backup restored into an empty instance has every row and file.

The backup is taken in-process from the test database (committed data: transactional tests);
the round trip restores it with the real command into a separate, empty database (a new
SQLite file, or a throwaway PostgreSQL database when DATABASE_URL is PostgreSQL).
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests.core.test_attachments import png_bytes
from tests.factories import CommitteeFactory, ProposalFactory
from zhengxie.core import backup
from zhengxie.core.attachments import attachment_create
from zhengxie.core.fields import _fernet
from zhengxie.organisation.models import Committee

ZHENGXIE = str(Path(sys.executable).with_name("zhengxie"))
ON_POSTGRES = connection.vendor == "postgresql"
transactional = pytest.mark.django_db(transaction=True)
DJANGO_SQLITE_TYPES = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    """Restores unpack under VAR_DIR: keep them out of the project's own var/."""
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def records(county):
    """The county's committee, members and units, a proposal, and an uploaded photo."""
    lead = county.members[0][1]
    proposal = ProposalFactory(committee=county.committee, session=county.session, lead=lead)
    attachment = attachment_create(
        committee=county.committee,
        upload=SimpleUploadedFile("现场照片.png", png_bytes()),
        actor=county.staff,
        target=proposal,
    )
    return county, proposal, attachment


def take_backup(tmp_path, name="backup.tar.gz") -> Path:
    output = tmp_path / name
    call_command("backup", output=str(output), stdout=io.StringIO())
    return output


def restore(path, **options):
    out = io.StringIO()
    call_command("restore", str(path), stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def restore_error(path, **options) -> CommandError:
    with pytest.raises(CommandError) as caught:
        restore(path, **options)
    return caught.value


def read_archive(path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def write_archive(path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def with_manifest(source, dest, change) -> Path:
    members = read_archive(source)
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    return write_archive(dest, members)


def media_files(root) -> list[str]:
    root = Path(root)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


# ---------------------------------------------------------------- reading two databases


def all_rows(conn, tables) -> dict[str, list]:
    """Every row of every table, in a stable order, through a raw DB-API connection."""
    result = {}
    for table in tables:
        cursor = conn.cursor()
        cursor.execute(f'SELECT * FROM "{table}"')
        result[table] = sorted(cursor.fetchall(), key=repr)
    return result


def table_names(conn) -> list[str]:
    cursor = conn.cursor()
    if not ON_POSTGRES:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    return sorted(row[0] for row in cursor.fetchall())


def pg_params(dbname) -> dict:
    config = connection.settings_dict
    params = {
        "dbname": dbname,
        "user": config["USER"],
        "password": config["PASSWORD"],
        "host": config["HOST"],
        "port": config["PORT"],
    }
    return {key: str(value) for key, value in params.items() if value}


def pg_env(dbname) -> dict:
    names = {"user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT"}
    params = pg_params(dbname)
    return {**os.environ, **{env: params[key] for key, env in names.items() if key in params}}


@pytest.fixture
def empty_instance(tmp_path):
    """(environment for the ``zhengxie`` command, its VAR directory, connect()) of a new
    instance with no data: a new SQLite file, or a new PostgreSQL database."""
    var = tmp_path / "restored-var"
    env = {**os.environ, "ZHENGXIE_VAR": str(var), "ZHENGXIE_DEMO": "1"}
    opened = []
    if ON_POSTGRES:
        import psycopg

        name = f"zx_backup_rt_{uuid.uuid4().hex[:10]}"
        subprocess.run(["createdb", name], env=pg_env(name), check=True)
        params = pg_params(name)
        auth = params["user"] + (f":{params['password']}" if "password" in params else "")
        port = f":{params['port']}" if "port" in params else ""
        env["DATABASE_URL"] = f"postgres://{auth}@{params.get('host', 'localhost')}{port}/{name}"

        def connect():
            opened.append(psycopg.connect(**params, autocommit=True))
            return opened[-1]
    else:
        path = tmp_path / "restored.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"

        def connect():
            # Django's own conversions, so rows compare equal to those read through Django's.
            opened.append(sqlite3.connect(path, detect_types=DJANGO_SQLITE_TYPES))
            return opened[-1]

    yield env, var, connect
    for conn in opened:
        conn.close()
    if ON_POSTGRES:
        subprocess.run(["dropdb", "--force", "--if-exists", name], env=pg_env(name), check=True)


@pytest.fixture
def source(db):
    """A raw connection to the test database, of the same driver as the restored one's
    (closed before the transactional test's flush, which it would otherwise block)."""
    if not ON_POSTGRES:
        connection.ensure_connection()
        yield connection.connection
        return
    import psycopg

    conn = psycopg.connect(**pg_params(connection.settings_dict["NAME"]), autocommit=True)
    yield conn
    conn.close()


# ---------------------------------------------------------------- the round trip


@transactional
def test_a_backup_restored_into_an_empty_instance_has_every_record_and_file(
    records, tmp_path, empty_instance, source
):
    county, proposal, attachment = records
    archive = take_backup(tmp_path)
    env, var, connect = empty_instance

    done = subprocess.run(
        [ZHENGXIE, "restore", str(archive)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert (done.returncode, done.stderr) == (0, "")
    assert "恢复完成,各表行数与备份清单一致。" in done.stdout
    restored = connect()
    tables = table_names(source)
    assert table_names(restored) == tables
    assert all_rows(restored, tables) == all_rows(source, tables)
    # Spot checks of specific rows, read back from the restored database itself.
    cursor = restored.cursor()
    cursor.execute(f"SELECT name FROM organisation_committee WHERE id = {county.committee.pk}")
    assert cursor.fetchall() == [(county.committee.name,)]
    cursor.execute(f"SELECT title FROM proposals_proposal WHERE id = {proposal.pk}")
    assert cursor.fetchall() == [(proposal.title,)]
    person = county.members[1][1].person
    cursor.execute(f"SELECT name, phone FROM organisation_person WHERE id = {person.pk}")
    name, phone = cursor.fetchone()
    assert (name, _fernet().decrypt(phone.encode()).decode()) == ("王芳", person.phone)
    cursor.execute(f"SELECT file, sha256 FROM core_attachment WHERE id = {attachment.pk}")
    assert cursor.fetchall() == [(attachment.file.name, hashlib.sha256(png_bytes()).hexdigest())]
    assert (var / "media" / attachment.file.name).read_bytes() == png_bytes()
    assert media_files(var / "media") == [attachment.file.name]


@transactional
def test_the_archive_lists_rows_migrations_and_files(records, tmp_path, settings):
    county, proposal, attachment = records
    out = io.StringIO()
    backups = tmp_path / "backups"
    backups.mkdir()
    call_command("backup", output=str(backups), stdout=out)

    [archive] = backups.glob("zhengxie-backup-*.tar.gz")
    assert archive.name.startswith(f"zhengxie-backup-{county.committee.code}-")
    assert f"备份完成:{archive}" in out.getvalue()
    assert [p.name for p in backups.iterdir()] == [archive.name]  # no temporary left behind
    members = read_archive(archive)
    manifest = json.loads(members["manifest.json"])
    engine = connection.vendor
    database_file = backup.DATABASE_MEMBERS[engine]
    assert sorted(members) == sorted(
        ["manifest.json", database_file, f"media/{attachment.file.name}"]
    )
    assert (manifest["format"], manifest["app_version"], manifest["database"]["engine"]) == (
        1,
        settings.VERSION,
        engine,
    )
    assert manifest["database"]["sha256"] == hashlib.sha256(members[database_file]).hexdigest()
    assert manifest["created_at"].endswith("+08:00")
    assert manifest["media"] == [
        {
            "path": attachment.file.name,
            "size": len(png_bytes()),
            "sha256": hashlib.sha256(png_bytes()).hexdigest(),
        }
    ]
    rows = {label: entry["rows"] for label, entry in manifest["row_counts"].items()}
    assert (rows["organisation.committee"], rows["proposals.proposal"]) == (1, 1)
    assert (rows["core.attachment"], rows["organisation.membership"]) == (1, 3)
    assert manifest["row_counts"]["core.attachment"]["table"] == "core_attachment"
    leaves = MigrationLoader(None).graph.leaf_nodes()
    assert manifest["migrations"] == {app: [name] for app, name in sorted(leaves)}


@transactional
def test_force_restores_over_an_instance_in_use(records, tmp_path, settings):
    county, proposal, attachment = records
    archive = take_backup(tmp_path)
    CommitteeFactory(name="备份之后新建的委员会")
    (Path(settings.MEDIA_ROOT) / attachment.file.name).unlink()

    error = restore_error(archive)

    assert error.returncode == 7
    assert "当前数据库中已有数据" in str(error) and "--force" in str(error)
    assert Committee.objects.filter(name="备份之后新建的委员会").exists()

    output = restore(archive, force=True)

    assert "恢复完成,各表行数与备份清单一致。" in output
    assert list(Committee.objects.values_list("name", flat=True)) == [county.committee.name]
    assert (Path(settings.MEDIA_ROOT) / attachment.file.name).read_bytes() == png_bytes()


# ---------------------------------------------------------------- refused archives


@pytest.fixture
def archive(records, tmp_path, settings):
    """A backup of the records; the media directory is then emptied and a row added, so a
    refused restore shows that it changed nothing."""
    path = take_backup(tmp_path)
    shutil.rmtree(settings.MEDIA_ROOT)
    CommitteeFactory(name="恢复前已有的委员会")
    return path


def assert_nothing_restored(settings):
    assert Committee.objects.filter(name="恢复前已有的委员会").exists()
    assert not Path(settings.MEDIA_ROOT).exists()


@transactional
def test_a_tampered_file_is_refused_and_nothing_is_restored(archive, tmp_path, settings):
    members = read_archive(archive)
    name = next(n for n in members if n.startswith("media/"))
    members[name] = members[name][:-1] + b"\x00"
    tampered = write_archive(tmp_path / "tampered.tar.gz", members)

    error = restore_error(tampered, force=True)

    assert error.returncode == 5
    assert str(error) == f"文件 {name} 的校验值与清单不符(备份已损坏或被改动),未恢复任何数据。"
    assert_nothing_restored(settings)


@transactional
def test_an_interrupted_archive_is_refused(archive, tmp_path, settings):
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    error = restore_error(truncated, force=True)

    assert error.returncode == 5
    assert str(error).startswith(f"备份文件 {truncated} 已损坏或不完整")
    assert_nothing_restored(settings)


@transactional
def test_an_archive_without_manifest_is_refused(archive, tmp_path, settings):
    members = read_archive(archive)
    del members["manifest.json"]
    incomplete = write_archive(tmp_path / "incomplete.tar.gz", members)

    error = restore_error(incomplete, force=True)

    assert error.returncode == 5
    assert "缺少 manifest.json" in str(error)
    assert_nothing_restored(settings)


@transactional
def test_a_backup_of_the_other_engine_is_refused(archive, tmp_path, settings):
    other = "sqlite" if ON_POSTGRES else "postgresql"
    mismatched = with_manifest(
        archive,
        tmp_path / "other-engine.tar.gz",
        lambda manifest: manifest["database"].update(engine=other),
    )

    error = restore_error(mismatched, force=True)

    assert error.returncode == 6
    labels = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    assert str(error).startswith(
        f"这是 {labels[other]} 数据库的备份,当前配置的是 {labels[connection.vendor]} 数据库"
    )
    assert_nothing_restored(settings)


@transactional
def test_a_backup_from_a_newer_version_is_refused(archive, tmp_path, settings):
    newer = with_manifest(
        archive,
        tmp_path / "newer.tar.gz",
        lambda manifest: manifest["migrations"]["core"].append("9999_from_a_newer_version"),
    )

    error = restore_error(newer, force=True)

    assert error.returncode == 6
    assert str(error).startswith(
        "备份来自较新版本的智慧政协(含本程序没有的数据库迁移:core.9999_from_a_newer_version),"
    )
    assert_nothing_restored(settings)


# ---------------------------------------------------------------- smaller pieces


def test_an_older_schema_is_accepted_and_leaves_migrations_to_run(db):
    [(_app, latest)] = MigrationLoader(None).graph.leaf_nodes("core")
    assert backup.unknown_migrations({"core": ["0003_x"]}) == ["core.0003_x"]
    assert backup.unknown_migrations({"core": ["0001_initial"]}) == []
    assert backup.pending_migrations() == []
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'core' AND name = %s", [latest])

    assert backup.pending_migrations() == [f"core.{latest}"]


def test_it_refuses_to_overwrite_an_existing_backup(db, tmp_path):
    existing = tmp_path / "backup.tar.gz"
    existing.write_bytes(b"old")

    with pytest.raises(CommandError) as caught:
        call_command("backup", output=str(existing), stdout=io.StringIO())

    assert (caught.value.returncode, str(caught.value)) == (4, f"备份文件已存在:{existing}。")
    assert existing.read_bytes() == b"old"


def test_it_reports_an_unwritable_destination(db, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    output = blocker / "backup.tar.gz"

    with pytest.raises(CommandError) as caught:
        call_command("backup", output=str(output), stdout=io.StringIO())

    assert caught.value.returncode == 4
    assert str(caught.value).startswith(f"无法写入备份文件 {output}:")
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-directory"]


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump is used for PostgreSQL only")
def test_it_names_the_missing_pg_dump(db, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))

    with pytest.raises(CommandError) as caught:
        call_command("backup", output=str(tmp_path / "b.tar.gz"), stdout=io.StringIO())

    assert caught.value.returncode == 3
    assert str(caught.value).startswith("找不到 pg_dump 命令。")
    assert list(tmp_path.iterdir()) == []


def test_other_encryption_keys_are_noticed(settings):
    manifest = {"key_check": _fernet().encrypt(backup.KEY_CHECK).decode()}
    assert backup.keys_match(manifest) is True
    settings.FIELD_ENCRYPTION_KEYS = ["another-key"]
    _fernet.cache_clear()
    try:
        assert backup.keys_match(manifest) is False
    finally:
        _fernet.cache_clear()  # recomputed from the keys the settings fixture puts back
