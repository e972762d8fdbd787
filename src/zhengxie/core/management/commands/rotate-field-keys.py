from django.core.management.base import BaseCommand, CommandError

from zhengxie.core.fields import KeyRotationError, reencrypt_all


class Command(BaseCommand):
    help = (
        "用 FIELD_ENCRYPTION_KEYS 中的第一个(最新)密钥重新加密全部加密字段(身份证号、手机号等);"
        "完成后即可从配置中移除旧密钥。步骤见 docs/security.md「密钥轮换」。"
    )

    def handle(self, *args, **options):
        try:
            counts = reencrypt_all()
        except KeyRotationError as exc:
            raise CommandError(str(exc)) from exc
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} 条")
        self.stdout.write(f"已用最新密钥重新加密 {sum(counts.values())} 条记录。")
