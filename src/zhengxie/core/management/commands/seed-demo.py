"""``zhengxie seed-demo [--if-empty]``: the fictional 政协示范县委员会 with one login per role."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhengxie.demo.county import DEMO_PASSWORD, seed_demo
from zhengxie.organisation.models import Committee


class Command(BaseCommand):
    help = "创建演示数据:政协示范县委员会、示范市委员会及各角色演示账号(可重复运行)。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="数据库中已有任何政协委员会时不做任何事(供 make run 使用)。",
        )
        parser.add_argument(
            "--without-proposals",
            action="store_true",
            help="不生成提案演示数据(约可节省 20 秒)。",
        )
        parser.add_argument(
            "--without-opinions",
            action="store_true",
            help="不生成社情民意演示数据。",
        )
        parser.add_argument(
            "--without-meetings",
            action="store_true",
            help="不生成会议、大会发言、视察调研、民主监督和委员之家演示数据。",
        )

    def handle(
        self,
        *args,
        if_empty=False,
        without_proposals=False,
        without_opinions=False,
        without_meetings=False,
        **options,
    ):
        if if_empty and Committee.objects.exists():
            self.stdout.write(_("数据库中已有政协委员会,跳过演示数据。"))
            return
        created, logins = seed_demo(
            proposals=not without_proposals,
            opinions=not without_opinions,
            meetings=not without_meetings,
        )
        total = sum(n for key, n in created.items() if key != "person_link")
        if total == 0:
            self.stdout.write(_("演示数据已存在,未作任何更改。"))
        else:
            summary = ", ".join(f"{key} {n}" for key, n in sorted(created.items()) if n)
            self.stdout.write(self.style.SUCCESS(_("已创建演示数据:%s") % summary))
        self.stdout.write(_("演示账号(密码均为 %s):") % DEMO_PASSWORD)
        for username, role, display_name in logins:
            self.stdout.write(f"  {username:<12} {role} · {display_name}")
