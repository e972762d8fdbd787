"""``zhengxie seed-scale``: the provincial-scale data every benchmark starts from."""

import json

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import gettext as _

from zhengxie.demo.scale import DEFAULT_SEED, reset_scale, seed_scale


class Command(BaseCommand):
    help = "生成规模测试数据(默认 100 个委员会、约 3 万名委员),输出 JSON 摘要。"

    def add_arguments(self, parser):
        parser.add_argument("--committees", type=int, default=100, help="委员会数(含省、市、县)")
        parser.add_argument("--years", type=int, default=5, help="生成多少年的会议(届次)")
        parser.add_argument(
            "--members-per-committee", type=int, default=300, help="每个委员会的委员数"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子")
        parser.add_argument(
            "--reset", action="store_true", help="先删除已有的规模测试数据(仅 SCALE- 开头的委员会)"
        )

    def handle(self, *args, committees, years, members_per_committee, seed, reset, **options):
        if reset:
            removed = reset_scale()
            self.stderr.write(_("已删除 %d 个规模测试委员会的数据。") % removed)
        summary = seed_scale(
            committees=committees,
            years=years,
            members_per_committee=members_per_committee,
            seed=seed,
        )
        if connection.vendor == "postgresql":
            # Fresh planner statistics after a bulk load, as autovacuum would gather them (it may
            # be off or not yet run); without them PostgreSQL guesses one row per table.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
