"""bench/reports: time a county's committee-year report, the province aggregate and the dashboard.

    python bench/reports.py                 # throwaway SQLite file under var/bench/, ten years
    python bench/reports.py --years 5       # fewer years of scale data (seeding is the slow part)
    python bench/reports.py --keep          # keep var/bench/reports.sqlite3 for --reuse
    python bench/reports.py --reuse         # skip seeding (the seed time of the kept run is reused)
    DATABASE_URL=postgres://postgres@localhost/zx_bench2 python bench/reports.py

Seeds ``zhengxie seed-scale`` (100 committees, 300 members each, ``--years`` years), then times
``reports.figures.committee_report`` for one county and one year, the same with
``aggregate=True`` for the province (the whole platform added up), and the dashboard page
(``reports:dashboard``) through the Django test client as a county staff user. Prints one JSON
line. Targets (issue #8): county-year report ≤ 1 s, province aggregate ≤ 5 s, dashboard ≤ 300 ms.
"""

import argparse
import io
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def timed(func, repeat, warm=1):
    """Seconds of each of ``repeat`` calls after ``warm`` warm-up calls."""
    for _ in range(warm):
        func()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return times


def stats_ms(times):
    ms = sorted(t * 1000 for t in times)
    return {
        "p50": round(statistics.median(ms), 1),
        "max": round(ms[-1], 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--committees", type=int, default=100)
    parser.add_argument("--members-per-committee", type=int, default=300)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per measurement")
    parser.add_argument("--reuse", action="store_true", help="use the scale data already there")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file afterwards")
    parser.add_argument("--seed-only", action="store_true", help="seed (and keep), time nothing")
    args = parser.parse_args()

    sqlite_file = None
    if "DATABASE_URL" not in os.environ:
        sqlite_file = ROOT / "var" / "bench" / "reports.sqlite3"
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
    os.environ.setdefault("ZHENGXIE_DEMO", "1")  # a throwaway database needs no production key
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengxie.settings")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone
    from django_scopes import scope, scopes_disabled

    from zhengxie.core.models import DutyRecord, Role, RoleAssignment, StaffOffice, User
    from zhengxie.organisation.models import Committee

    call_command("migrate", interactive=False, verbosity=0)
    # The seed time of the run that seeded this database, for --reuse.
    seed_record = ROOT / "var" / "bench" / f"reports.seed.{connection.vendor}.json"
    seed_record.parent.mkdir(parents=True, exist_ok=True)
    if args.reuse:
        seeded = json.loads(seed_record.read_text()) if seed_record.exists() else {}
    else:
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
        seeded = {
            "database": connection.vendor,
            "years": args.years,
            "seed_scale_seconds": round(time.perf_counter() - started, 1),
        }
        seed_record.write_text(json.dumps(seeded))
    if args.seed_only:
        print(json.dumps(seeded, ensure_ascii=False))
        return

    from zhengxie.reports.figures import committee_report

    year = timezone.localdate().year
    with scopes_disabled():
        province = Committee.objects.get(code="SCALE-P00")
        county = (
            Committee.objects.filter(code__startswith="SCALE-", level="county").order_by("code")
            or Committee.objects.filter(code__startswith="SCALE-").order_by("code")
        ).first()
        committees = Committee.objects.filter(code__startswith="SCALE-").count()
        ledger_rows = DutyRecord.objects.filter(
            committee__code__startswith="SCALE-", occurred_on__year=year
        ).count()
        years_with_data = sorted(
            {
                d.year
                for d in DutyRecord.objects.filter(committee=county).dates("occurred_on", "year")
            }
        )

    def county_year():
        with scope(committee=county):
            return committee_report(committee=county, year=year)

    def province_aggregate():
        with scope(committee=province):
            return committee_report(committee=province, year=year, aggregate=True)

    county_times = timed(county_year, args.repeat)
    province_times = timed(province_aggregate, max(1, min(args.repeat, 3)))
    aggregate = province_aggregate()

    staff, _made = User.objects.get_or_create(username="bench-reports-staff")
    with scopes_disabled():
        staff.active_role, _made = RoleAssignment.objects.get_or_create(
            user=staff, committee=county, role=Role.STAFF, office=StaffOffice.GENERAL
        )
    setup_test_environment()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(staff)
    url = reverse("reports:dashboard") + f"?year={year}"
    statuses = set()

    def dashboard():
        response = client.get(url)
        statuses.add(response.status_code)

    dashboard_times = timed(dashboard, args.repeat)

    result = {
        "database": connection.vendor,
        "committees": committees,
        "years_seeded": seeded.get("years"),
        "seed_scale_seconds": seeded.get("seed_scale_seconds"),
        "county": county.code,
        "year": year,
        "county_years_with_ledger_rows": len(years_with_data),
        "ledger_rows_in_year": ledger_rows,
        "province_committees_aggregated": len(aggregate.committees),
        "province_proposals_received": aggregate.values.get("proposals_received"),
        "county_year_report_ms": stats_ms(county_times),
        "province_aggregate_ms": stats_ms(province_times),
        "dashboard_ms": stats_ms(dashboard_times),
        "dashboard_status": sorted(statuses),
        "targets_met": {
            "county_year_report_le_1s": max(county_times) <= 1,
            "province_aggregate_le_5s": max(province_times) <= 5,
            "dashboard_le_300ms": statistics.median(dashboard_times) <= 0.3,
        },
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    connection.close()
    if sqlite_file is not None and not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
