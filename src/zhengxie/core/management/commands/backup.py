"""``zhengxie backup [--output PATH]``: the database and every uploaded file in one archive."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhengxie.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "备份数据库(SQLite 在线备份,PostgreSQL 用 pg_dump)和全部上传文件到一个 .tar.gz 文件,"
        "运行中的系统也可以安全备份。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="备份文件路径或目录(默认 var/backups/zhengxie-backup-<代码>-<时间>.tar.gz)",
        )

    def handle(self, *args, output=None, **options):
        try:
            path, manifest = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=exc.exit_code) from exc
        rows = sum(entry["rows"] for entry in manifest["row_counts"].values())
        size = sum(entry["size"] for entry in manifest["media"])
        self.stdout.write(
            self.style.SUCCESS(
                _("备份完成:%(path)s") % {"path": path},
            )
        )
        self.stdout.write(
            _("数据库 %(engine)s,%(rows)s 行;上传文件 %(files)s 个,共 %(size)s 字节。")
            % {
                "engine": manifest["database"]["engine"],
                "rows": rows,
                "files": len(manifest["media"]),
                "size": size,
            }
        )
