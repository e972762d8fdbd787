import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhengxie.core.archive import ArchiveError, audit_archive


class Command(BaseCommand):
    help = "把指定日期之前的审计记录归档到文件(gzip JSON Lines),归档本身也记入审计。"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="归档此日期之前的记录,格式 YYYY-MM-DD")
        parser.add_argument(
            "--output", help="归档文件路径(默认 var/audit-archive/audit-<日期>.jsonl.gz)"
        )

    def handle(self, *args, before, output=None, **options):
        try:
            cutoff = datetime.date.fromisoformat(before)
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        path = (
            Path(output)
            if output
            else settings.VAR_DIR / "audit-archive" / f"audit-{cutoff}.jsonl.gz"
        )
        try:
            count, digest = audit_archive(before=cutoff, output=path)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已归档 {count} 条审计记录到 {path}(SHA-256 {digest})")
