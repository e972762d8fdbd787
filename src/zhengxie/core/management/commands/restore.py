"""``zhengxie restore PATH [--force]``: verify a backup archive, then restore it."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhengxie.core.backup import BackupError, CountMismatch, backup_restore


class Command(BaseCommand):
    help = (
        "从 zhengxie backup 生成的备份文件恢复数据库和上传文件。先完整校验备份,"
        "当前数据库已有数据时需加 --force。恢复前请先停止网站和后台任务进程。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件(.tar.gz)")
        parser.add_argument(
            "--force", action="store_true", help="当前数据库已有数据时仍然恢复(覆盖现有数据)"
        )

    def handle(self, *args, path, force=False, **options):
        try:
            result = backup_restore(archive=path, force=force)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=exc.exit_code) from exc
        manifest = result.manifest
        self.stdout.write(
            _("已恢复 %(created)s 的备份(智慧政协 %(version)s,%(engine)s 数据库)。")
            % {
                "created": manifest.get("created_at"),
                "version": manifest.get("app_version"),
                "engine": manifest["database"]["engine"],
            }
        )
        rows = sum(expected for expected, _found in result.counts.values())
        self.stdout.write(
            _("数据表 %(models)s 个,共 %(rows)s 行;上传文件 %(files)s 个。")
            % {"models": len(result.counts), "rows": rows, "files": len(manifest["media"])}
        )
        if not result.keys_match:
            self.stderr.write(
                _(
                    "警告:当前的 FIELD_ENCRYPTION_KEYS(或 SECRET_KEY)与备份时不同,"
                    "身份证号、手机号将无法解密显示。请设置为原服务器的密钥后再启动。"
                )
            )
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    _("备份来自较早版本(缺少 %(count)s 个数据库迁移),请接着运行:zhengxie migrate")
                    % {"count": len(result.pending_migrations)}
                )
            )
        if result.mismatches:
            for label, (expected, found) in sorted(result.mismatches.items()):
                self.stderr.write(
                    _("  %(label)s:备份中 %(expected)s 行,恢复后 %(found)s 行")
                    % {"label": label, "expected": expected, "found": found}
                )
            raise CommandError(
                _("恢复后的行数与备份清单不符(见上),请检查数据库后重新恢复。"),
                returncode=CountMismatch.exit_code,
            )
        self.stdout.write(self.style.SUCCESS(_("恢复完成,各表行数与备份清单一致。")))
