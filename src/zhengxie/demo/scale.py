"""A provincial platform at scale: 1 province, ~13 cities, the rest counties, ~300 members each.

Every benchmark starts from ``seed_scale()``. Committees get codes under ``SCALE-`` so that the
data can be told apart from real or demo committees and removed with ``reset_scale()``.
Deterministic: committee ``i`` draws from ``random.Random(seed * 1000 + i)``.
"""

import datetime
import random
import time
from collections import Counter

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core.models.ledger import Level
from zhengxie.core.scoping import scopes_disabled
from zhengxie.demo import data
from zhengxie.demo.people import PersonMaker
from zhengxie.demo.roster import Change, ensure_organisation, ensure_term, plan_roster, write_roster
from zhengxie.organisation.models import (
    Affiliation,
    Committee,
    Membership,
    MembershipStatusChange,
    Person,
    Position,
    Session,
    StatusChangeKind,
    Term,
)

PREFIX = "SCALE-"
DEFAULT_SEED = 2026
CITY_SHARE = 13 / 99  # of the committees below the province
FIRST_TERM_YEAR = 2022  # 第十届 began in 2022; terms last five years
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (1–99)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return (DIGITS[tens] if tens > 1 else "") + "十" + (DIGITS[ones] if ones else "")


def plan_committees(count: int):
    """[(code, name, short_name, level, parent_index)] with the province first."""
    rows = [(f"{PREFIX}P00", "政协规模测试省委员会", "规模测试省政协", Level.PROVINCE, None)]
    below = count - 1
    cities = min(below, max(1, round(below * CITY_SHARE))) if below > 0 else 0
    for i in range(1, cities + 1):
        rows.append(
            (f"{PREFIX}C{i:02d}", f"政协规模测试第{i}市委员会", f"测试{i}市政协", Level.CITY, 0)
        )
    for i in range(1, below - cities + 1):
        parent = 1 + (i - 1) % cities
        rows.append(
            (
                f"{PREFIX}X{i:03d}",
                f"政协规模测试第{i}县委员会",
                f"测试{i}县政协",
                Level.COUNTY,
                parent,
            )
        )
    return rows


def scale_committees():
    return Committee.objects.filter(code__startswith=PREFIX)


def _terms_and_sessions(years: int, today: datetime.date):
    """{term number: (starts_on, [(number, name, opens_on, closes_on)])} for the last ``years``."""
    terms = {}
    for year in range(today.year - years + 1, today.year + 1):
        index, offset = divmod(year - FIRST_TERM_YEAR, 5)
        number = 10 + index
        starts_on = datetime.date(FIRST_TERM_YEAR + 5 * index, 1, 10)
        opens = datetime.date(year, 1, 10) + datetime.timedelta(days=offset * 7)
        name = f"{chinese_number(number)}届{chinese_number(offset + 1)}次会议"
        terms.setdefault(number, (starts_on, []))[1].append(
            (offset + 1, name, opens, opens + datetime.timedelta(days=3))
        )
    return terms


def seed_scale(*, committees=100, years=5, members_per_committee=300, seed=DEFAULT_SEED):
    """Create the scale committees; returns a summary (committees, members, seconds)."""
    if committees < 1 or years < 1 or members_per_committee < 1:
        raise CommandError(_("委员会数、年数和每会委员数都必须至少为 1。"))
    started = time.perf_counter()
    today = timezone.localdate()
    terms = _terms_and_sessions(years, today)
    current = max(terms)
    current_starts = terms[current][0]
    change_on = min(datetime.date(today.year, 6, 20), today)
    change_on = max(change_on, current_starts)
    meeting = f"{chinese_number(current)}届常委会第八次会议"
    created = Counter()
    with scopes_disabled(), transaction.atomic():
        if scale_committees().exists():
            raise CommandError(
                _("数据库中已有规模测试数据(代码以 %s 开头);如需重新生成,请加 --reset。") % PREFIX
            )
        made = []
        for code, name, short_name, level, parent_index in plan_committees(committees):
            made.append(
                Committee.objects.create(
                    code=code,
                    name=name,
                    short_name=short_name,
                    level=level,
                    parent=made[parent_index] if parent_index is not None else None,
                    region=short_name.removesuffix("政协"),
                )
            )
        created["committee"] = len(made)
        changes = [Change(StatusChangeKind.RESIGNED, change_on, meeting)] * (
            members_per_committee // 100
        ) + [Change(StatusChangeKind.ADDED, change_on, meeting)] * (members_per_committee // 100)
        for i, committee in enumerate(made):
            term = None
            for number, (starts_on, sessions) in sorted(terms.items()):
                term = ensure_term(
                    committee=committee,
                    number=number,
                    name=f"第{chinese_number(number)}届",
                    starts_on=starts_on,
                    ends_on=None
                    if number == current
                    else starts_on.replace(year=starts_on.year + 5),
                    sessions=sessions,
                    created=created,
                )
            org = ensure_organisation(
                committee=committee,
                term=term,
                level=committee.level,
                townships=data.TOWNSHIPS,
                created=created,
            )
            rng = random.Random(seed * 1000 + i)
            seats = plan_roster(
                org=org,
                rng=rng,
                maker=PersonMaker(rng),
                size=members_per_committee,
                starts_on=current_starts,
                decided_by=f"{chinese_number(current)}届一次会议",
                changes=changes,
                level=committee.level,
            )
            write_roster(org=org, seats=seats, created=created)
        from zhengxie.demo.proposals import seed_scale_proposals

        proposals_started = time.perf_counter()
        seed_scale_proposals(committees=made, seed=seed, created=created)
        proposal_seconds = time.perf_counter() - proposals_started
        from zhengxie.demo.opinions import seed_scale_opinions

        opinions_started = time.perf_counter()
        seed_scale_opinions(committees=made, years=years, seed=seed, created=created)
        opinion_seconds = time.perf_counter() - opinions_started
        from zhengxie.demo.meetings import seed_scale_meetings

        meetings_started = time.perf_counter()
        seed_scale_meetings(committees=made, years=years, seed=seed, created=created)
        from zhengxie.demo.activities import seed_scale_activities

        seed_scale_activities(committees=made, seed=seed, created=created)
        meeting_seconds = time.perf_counter() - meetings_started
    return {
        "committees": created["committee"],
        "members": created["membership"],
        "persons": created["person"],
        "sessions": created["session"],
        "handling_units": created["handlingunit"],
        "proposals": created["proposal"],
        "proposal_seconds": round(proposal_seconds, 2),
        "opinion_reports": created["opinionreport"],
        "bulletins": created["bulletin"],
        "opinion_seconds": round(opinion_seconds, 2),
        "meetings": created["meeting"],
        "invitations": created["invitation"],
        "activities": created["activity"],
        "activity_participations": created["activity_participation"],
        "meeting_seconds": round(meeting_seconds, 2),
        "seconds": round(time.perf_counter() - started, 2),
    }


def reset_scale():
    """Delete the ``SCALE-`` committees and everything they own; other data stays."""
    with scopes_disabled(), transaction.atomic():
        ids = list(scale_committees().values_list("pk", flat=True))
        if not ids:
            return 0
        from zhengxie.demo.proposals import reset_scale_proposals

        reset_scale_proposals(ids)
        from zhengxie.demo.opinions import reset_scale_opinions

        reset_scale_opinions(ids)
        from zhengxie.demo.meetings import reset_scale_meetings

        reset_scale_meetings(ids)
        from zhengxie.demo.activities import reset_scale_activities

        reset_scale_activities(ids)
        # Children before parents: PROTECT references are removed in dependency order.
        for model in (Position, MembershipStatusChange, Affiliation, Membership):
            model._base_manager.filter(committee_id__in=ids).delete()
        Person._base_manager.filter(committee_id__in=ids).delete()
        Session._base_manager.filter(committee_id__in=ids).delete()
        Term._base_manager.filter(committee_id__in=ids).delete()
        for level in (Level.COUNTY, Level.CITY, Level.PROVINCE, Level.NATIONAL):
            Committee.objects.filter(pk__in=ids, level=level).delete()
        return len(ids)
