from django.core.management.base import BaseCommand, CommandError

from zhengxie.core import lockout


class Command(BaseCommand):
    help = "解除账号(或来源地址)因连续登录失败而产生的临时锁定,操作记入审计。"

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="要解锁的用户名")
        parser.add_argument("--ip", help="同时(或只)解除该地址的锁定")

    def handle(self, *args, username=None, ip=None, **options):
        if not username and not ip:
            raise CommandError("请指定用户名或 --ip 地址。")
        was_locked = lockout.unlock(actor=None, username=username, ip=ip)
        target = "、".join(part for part in (username, ip) if part)
        if was_locked:
            self.stdout.write(f"已解除 {target} 的登录锁定。")
        else:
            self.stdout.write(f"{target} 当前没有被锁定(已清除失败计数)。")
