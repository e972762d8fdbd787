"""The public-opinion reports of the demo county (through the services) and of seed-scale
(bulk). The demo is seeded once for this module inside a transaction rolled back at the end;
each test still runs in its own savepoint."""

import io
import json
import time
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled

from zhengxie.core.models import DutyRecord, Instruction, RoleAssignment, User
from zhengxie.demo.county import seed_demo
from zhengxie.demo.opinion_texts import TOPICS
from zhengxie.demo.opinions import SCALE_REPORTS_PER_YEAR, compose, text_length
from zhengxie.opinions.models import (
    Adoption,
    AdoptionKind,
    Bulletin,
    BulletinItem,
    BulletinState,
    Forwarding,
    HandlingState,
    ItemHandling,
    ItemKind,
    OpinionReport,
    ReportHistory,
    ReportState,
    SourceKind,
)
from zhengxie.opinions.queries import report_list
from zhengxie.organisation.models import Committee

pytestmark = pytest.mark.django_db


def scale(*args):
    out = io.StringIO()
    call_command(
        "seed-scale",
        "--committees", "3", "--members-per-committee", "20", "--years", "2", *args,
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    return json.loads(out.getvalue())


# Scale (before the demo fixture fills the database) -----------------------------------------


def test_seed_scale_gives_every_committee_reports_bulletins_and_ledger_rows(unscoped):
    summary = scale()
    committees = Committee.objects.filter(code__startswith="SCALE-").order_by("code")
    reports = {c.code: OpinionReport.objects.filter(committee=c).count() for c in committees}
    years = 2 if timezone.localdate() >= timezone.localdate().replace(month=1, day=26) else 1
    assert reports == {c.code: SCALE_REPORTS_PER_YEAR * years for c in committees}
    assert summary["opinion_reports"] == sum(reports.values())
    for committee in committees:
        bulletins = Bulletin.objects.filter(committee=committee)
        assert bulletins.exists()
        assert set(bulletins.values_list("state", flat=True)) == {BulletinState.SENT}
        published = OpinionReport.objects.filter(committee=committee, state=ReportState.PUBLISHED)
        assert (
            BulletinItem.reports.through.objects.filter(opinionreport__committee=committee).count()
            == published.count()
        )
        assert (
            DutyRecord.objects.filter(
                committee=committee, kind="opinion", sub_kind="published", order=1
            ).count()
            == published.filter(lead__isnull=False).count()
        )
    county = Committee.objects.get(code="SCALE-X001")
    adoptions = Adoption.objects.filter(committee=county)
    assert set(adoptions.values_list("level", "by_committee__code")) == {("city", "SCALE-C01")}
    assert DutyRecord.objects.filter(committee=county, sub_kind="adopted_city").exists()


def test_seed_scale_reset_removes_the_reports_too(unscoped):
    scale()
    summary = scale("--reset")
    assert summary["opinion_reports"] == OpinionReport.objects.count()
    assert summary["bulletins"] == Bulletin.objects.count()


# The demo county ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(ZHENGXIE_DEMO=True),
        transaction.atomic(),
    ):
        started = time.perf_counter()
        _created, logins = seed_demo(proposals=False, meetings=False)
        seconds = time.perf_counter() - started
        with scopes_disabled():
            county = Committee.objects.get(code="330000-DEMO-01")
        yield county, logins, seconds
        transaction.set_rollback(True)


def acting(username, committee):
    user = User.objects.get(username=username)
    user.active_role = RoleAssignment.objects.get(user=user, committee=committee)
    return user


def test_the_demo_is_fast_enough(demo):
    _county, _logins, seconds = demo
    assert seconds < 30  # the opinions alone stay well under 20 s; the roster takes the rest


def test_the_demo_has_reports_in_every_state(demo, unscoped):
    county, _logins, _s = demo
    reports = OpinionReport.objects.filter(committee=county)
    assert set(reports.values_list("state", flat=True)) == set(ReportState.values)
    assert 75 <= reports.count() <= 100


def test_the_demo_reports_come_from_every_kind_of_submitter(demo, unscoped):
    county, _logins, _s = demo
    kinds = set(
        OpinionReport.objects.filter(committee=county).values_list("source_kind", flat=True)
    )
    assert kinds == set(SourceKind.values) - {SourceKind.PROPOSAL, SourceKind.FORWARDED}
    staff = OpinionReport.objects.filter(committee=county, source_kind=SourceKind.STAFF).first()
    assert staff.source_note.endswith("委员会客室接待群众反映")


def test_the_demo_keeps_originals_of_edited_reports(demo, unscoped):
    county, _logins, _s = demo
    edited = OpinionReport.objects.filter(committee=county).exclude(original={})
    assert edited.count() >= 5
    report = edited.first()
    assert report.title == report.original["title"].replace("关于", "关于进一步", 1)


def test_not_used_and_returned_reports_say_why(demo, unscoped):
    county, _logins, _s = demo
    not_used = OpinionReport.objects.filter(committee=county, state=ReportState.NOT_USED)
    assert not_used.count() >= 5
    assert not not_used.filter(not_used_reason="").exists()
    returns = ReportHistory.objects.filter(committee=county, action="return")
    assert returns.count() >= 2
    assert not returns.filter(note="").exists()


def test_bulletins_are_numbered_one_to_n_in_each_year_and_all_sent(demo, unscoped):
    county, _logins, _s = demo
    for committee in (county, county.parent):
        numbers = {}
        for year, number in Bulletin.objects.filter(committee=committee).values_list(
            "year", "number"
        ):
            numbers.setdefault(year, []).append(number)
        assert numbers
        for year, got in numbers.items():
            assert sorted(got) == list(range(1, len(got) + 1)), (committee, year)
        states = set(Bulletin.objects.filter(committee=committee).values_list("state", flat=True))
        assert states == {BulletinState.SENT}
    assert 25 <= Bulletin.objects.filter(committee=county).count() <= 40


def test_bulletins_hold_single_and_combined_items_of_published_reports(demo, unscoped):
    county, _logins, _s = demo
    items = BulletinItem.objects.filter(committee=county)
    assert set(items.values_list("kind", flat=True)) == {ItemKind.SINGLE, ItemKind.COMBINED}
    combined = items.filter(kind=ItemKind.COMBINED).first()
    assert combined.reports.count() == 2
    published = OpinionReport.objects.filter(committee=county, state=ReportState.PUBLISHED)
    in_items = OpinionReport.objects.filter(committee=county, bulletin_items__isnull=False)
    assert set(in_items) == set(published)


def test_some_items_were_transferred_and_answered(demo, unscoped):
    county, _logins, _s = demo
    handlings = ItemHandling.objects.filter(committee=county)
    assert handlings.filter(state=HandlingState.DONE).count() >= 3
    assert not handlings.filter(state=HandlingState.DONE, answer="").exists()


def test_a_city_adoption_flowed_back_to_a_county_report_with_its_ledger_row(demo, unscoped):
    county, _logins, _s = demo
    city = county.parent
    forwardings = Forwarding.objects.filter(committee=county, to_committee=city)
    assert 10 <= forwardings.count() <= 20
    assert OpinionReport.objects.filter(committee=city, origin__committee=county).count() == (
        forwardings.count()
    )
    adoptions = Adoption.objects.filter(committee=county, by_committee=city)
    assert {AdoptionKind.ADOPTED, AdoptionKind.PUBLISHED} <= set(
        adoptions.values_list("kind", flat=True)
    )
    adoption = adoptions.filter(report__lead__isnull=False).first()
    ledger = DutyRecord.objects.filter(
        membership=adoption.report.lead, sub_kind="adopted_city", source_id=adoption.report_id
    )
    assert ledger.count() == 1
    assert OpinionReport.objects.filter(committee=city, state=ReportState.PUBLISHED).exists()


def test_off_platform_adoptions_are_recorded_by_hand_with_evidence(demo, unscoped):
    county, _logins, _s = demo
    off = Forwarding.objects.filter(committee=county, to_committee__isnull=True)
    assert set(off.values_list("to_level", "to_name")) == {("province", "省政协")}
    adoptions = Adoption.objects.filter(committee=county, by_committee__isnull=True)
    assert adoptions.count() == off.count()
    assert all(a.evidence.startswith("省政协《社情民意》") for a in adoptions)


def test_leader_instructions_at_county_and_city_level(demo, unscoped):
    county, _logins, _s = demo
    levels = set(Instruction.objects.filter(committee=county).values_list("level", flat=True))
    assert levels == {"county", "city"}
    assert DutyRecord.objects.filter(committee=county, sub_kind="instructed").exists()


def test_nothing_is_dated_in_the_future(demo, unscoped):
    county, _logins, _s = demo
    now = timezone.now()
    assert not ReportHistory.objects.filter(committee=county, created__gt=now).exists()
    assert not Bulletin.objects.filter(issued_on__gt=timezone.localdate()).exists()
    first = OpinionReport.objects.filter(committee=county, submitted_at__isnull=False).order_by(
        "submitted_at"
    )[0]
    assert first.submitted_at.year == timezone.localdate().year - 1


def test_the_demo_member_has_reports_in_several_states(demo, unscoped):
    county, _logins, _s = demo
    member = acting("member", county)
    mine = Counter(report_list(member, view="mine").values_list("state", flat=True))
    assert mine == {"draft": 1, "returned": 1, "submitted": 1, "not_used": 1, "published": 2}


def test_the_opinion_logins_are_listed_and_act_in_their_roles(demo, unscoped):
    county, logins, _s = demo
    assert [u for u, _r, _n in logins if u in ("opinion", "cityopinion", "citychair")] == [
        "opinion",
        "cityopinion",
        "citychair",
    ]
    staff = acting("opinion", county)
    report = OpinionReport.objects.filter(committee=county, state=ReportState.SUBMITTED).first()
    assert staff.has_perm("opinions.review", report)
    assert acting("chair", county).has_perm("opinions.sign_off")


def test_a_second_demo_run_adds_nothing(demo, unscoped):
    def counts():
        return [
            m.objects.count()
            for m in (OpinionReport, Bulletin, Adoption, User, DutyRecord, ReportHistory)
        ]

    before = counts()
    with override_settings(ZHENGXIE_DEMO=True):
        seed_demo(proposals=False, meetings=False)
    assert counts() == before


def test_report_texts_are_three_to_seven_hundred_characters():
    import random

    rng = random.Random(3)
    for topic in TOPICS:
        content = compose(rng, topic)
        assert 300 <= text_length(content) <= 700, (topic.name, text_length(content))
        assert content["title"].startswith("关于") and content["title"].endswith("的建议")
