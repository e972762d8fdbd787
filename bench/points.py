"""bench/points: recompute a provincial year of duty points and time one member's breakdown.

    python bench/points.py                  # throwaway SQLite file under var/bench/
    python bench/points.py --reuse          # keep the scale data already in the database
    DATABASE_URL=postgres://postgres@localhost/zx_bench python bench/points.py

Seeds ``zhengxie seed-scale`` (100 committees, 30,000 members; the current year holds about a
million ledger rows), gives every committee its point table for the year, then times
``performance.scoring.scores_for_committees`` over all of them (the whole province, each committee
with its own table) and ``member_breakdown`` for sampled members. Prints one JSON line.
Targets (issue #7): province ≤ 10 s on PostgreSQL and on SQLite; one breakdown ≤ 50 ms.
"""

import argparse
import io
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--committees", type=int, default=100)
    parser.add_argument("--members-per-committee", type=int, default=300)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="province recomputes timed")
    parser.add_argument("--members", type=int, default=50, help="breakdowns timed")
    parser.add_argument("--reuse", action="store_true", help="use the scale data already there")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file afterwards")
    args = parser.parse_args()

    sqlite_file = None
    if "DATABASE_URL" not in os.environ:
        sqlite_file = ROOT / "var" / "bench" / "points.sqlite3"
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
    os.environ.setdefault("ZHENGXIE_DEMO", "1")  # a throwaway database needs no production key
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengxie.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_scopes import scope, scopes_disabled

    from zhengxie.core.models import DutyRecord
    from zhengxie.organisation.models import Committee, Membership
    from zhengxie.performance import scoring, tables

    call_command("migrate", interactive=False, verbosity=0)
    seed_seconds = None
    if not args.reuse:
        started = time.perf_counter()
        call_command(
            "seed-scale",
            "--reset",
            "--committees", str(args.committees),
            "--members-per-committee", str(args.members_per_committee),
            "--years", str(args.years),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )  # fmt: skip
        seed_seconds = round(time.perf_counter() - started, 2)

    year = timezone.localdate().year
    with scopes_disabled():
        committees = list(Committee.objects.filter(code__startswith="SCALE-").order_by("code"))
        for committee in committees:
            tables.table_ensure(committee=committee, year=year)
        ledger_rows = DutyRecord.objects.filter(
            committee__code__startswith="SCALE-", occurred_on__year=year
        ).count()
        members = Membership.objects.filter(committee__code__startswith="SCALE-").count()

        province_times, scored = [], {}
        for _ in range(args.repeat):
            started = time.perf_counter()
            scored = scoring.scores_for_committees(committees=committees, year=year)
            province_times.append(time.perf_counter() - started)

        sample = random.Random(7).sample(list(scored), min(args.members, len(scored)))
        sampled = list(Membership.objects.filter(pk__in=sample).select_related("committee"))
    breakdown_ms = []
    agree = True
    for membership in sampled:
        with scope(committee=membership.committee):
            started = time.perf_counter()
            breakdown = scoring.member_breakdown(membership=membership, year=year)
            breakdown_ms.append((time.perf_counter() - started) * 1000)
            agree = agree and breakdown.total == scored[membership.pk]

    result = {
        "database": connection.vendor,
        "committees": len(committees),
        "members": members,
        "year": year,
        "ledger_rows_in_year": ledger_rows,
        "members_scored": len(scored),
        "seed_scale_seconds": seed_seconds,
        "province_recompute_s": {
            "min": round(min(province_times), 2),
            "median": round(statistics.median(province_times), 2),
        },
        "member_breakdown_ms": {
            "p50": round(statistics.median(breakdown_ms), 2),
            "p95": round(statistics.quantiles(breakdown_ms, n=20, method="inclusive")[18], 2),
            "max": round(max(breakdown_ms), 2),
        },
        "breakdowns_agree_with_province": agree,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    connection.close()
    if sqlite_file is not None and not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
