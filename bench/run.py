"""The benchmark: seed a provincial platform, time the reads that must stay fast, print JSON.

    python bench/run.py                 # throwaway SQLite file under var/bench/
    DATABASE_URL=postgres://postgres@localhost/zx_bench python bench/run.py

See bench/README.md for the targets.
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


def measure(func, repeat):
    """Milliseconds per call over ``repeat`` calls after three warm-up calls."""
    for _ in range(3):
        func()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times):
    return {
        "p50": round(statistics.median(times), 2),
        "p95": round(statistics.quantiles(times, n=20, method="inclusive")[18], 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--committees", type=int, default=100)
    parser.add_argument("--members-per-committee", type=int, default=300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=50, help="timed calls per measurement")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file afterwards")
    args = parser.parse_args()

    sqlite_file = None
    if "DATABASE_URL" not in os.environ:
        sqlite_file = ROOT / "var" / "bench" / "bench.sqlite3"
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
    os.environ.setdefault("ZHENGXIE_DEMO", "1")  # a throwaway database needs no production key
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengxie.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.db import connection
    from django.db.models import Count
    from django_scopes import scope, scopes_disabled

    from zhengxie.organisation.models import Committee, Membership, MembershipStatus
    from zhengxie.organisation.queries import current_term, membership_directory

    call_command("migrate", interactive=False, verbosity=0)
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
    seed_seconds = time.perf_counter() - started

    with scopes_disabled():
        province = Committee.objects.get(code="SCALE-P00")
        county = (
            Committee.objects.filter(code__startswith="SCALE-", level="county").order_by("code")
            or Committee.objects.filter(code__startswith="SCALE-").order_by("code")
        ).first()
        members_total = Membership.objects.filter(committee__code__startswith="SCALE-").count()

    def directory_first_page():
        with scope(committee=county):
            page = Paginator(membership_directory(), 20).page(1)
            rows = [
                (m.person.name, m.sector.name, m.group.name if m.group else "", m.is_standing)
                for m in page.object_list
            ]
            return page.paginator.count, rows

    def count_by_sector():
        with scope(committee=county):
            return list(
                Membership.objects.filter(term=current_term())
                .in_office()
                .values("sector__name")
                .annotate(n=Count("pk"))
                .order_by("sector__position")
            )

    def province_in_office():
        with scopes_disabled():
            ids = [province.pk, *province.descendant_ids()]
            return Membership.objects.filter(
                committee_id__in=ids, status=MembershipStatus.IN_OFFICE
            ).count()

    from zhengxie.core.models import Role, RoleAssignment, StaffOffice, User
    from zhengxie.organisation.models import Session
    from zhengxie.proposals.models import Proposal
    from zhengxie.proposals.queries import proposal_list
    from zhengxie.proposals.stats import proposal_figures

    with scopes_disabled():
        proposals_total = Proposal.objects.filter(committee__code__startswith="SCALE-").count()
        latest_session = Session.objects.filter(committee=county).order_by("-opens_on").first()
    staff, _made = User.objects.get_or_create(username="bench-proposal-staff")
    staff.active_role, _made = RoleAssignment.objects.get_or_create(
        user=staff, committee=county, role=Role.STAFF, office=StaffOffice.PROPOSALS
    )

    def proposal_list_first_page():
        with scope(committee=county):
            page = Paginator(proposal_list(staff, view="all"), 20).page(1)
            rows = [(p.number_label, p.title, p.proposer_label, p.state) for p in page]
            return page.paginator.count, rows

    def proposal_stats_session():
        with scope(committee=county):
            return proposal_figures(committee=county, session=latest_session)

    directory = summary(measure(directory_first_page, args.repeat))
    by_sector = summary(measure(count_by_sector, args.repeat))
    aggregate = summary(measure(province_in_office, args.repeat))
    proposals_page = summary(measure(proposal_list_first_page, args.repeat))
    proposals_stats = summary(measure(proposal_stats_session, args.repeat))
    result = {
        "database": connection.vendor,
        "committees": args.committees,
        "members_total": members_total,
        "seed_scale_seconds": round(seed_seconds, 2),
        "directory_first_page_ms": directory,
        "count_by_sector_ms": by_sector,
        "province_in_office_ms": aggregate,
        "province_in_office": province_in_office(),
        "proposals_total": proposals_total,
        "proposal_list_first_page_ms": proposals_page,
        "proposal_stats_session_ms": proposals_stats,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    connection.close()
    if sqlite_file is not None and not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
