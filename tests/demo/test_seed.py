import io
import json
import random

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scopes_disabled

from tests.factories import CommitteeFactory
from zhengxie.core.models import Notification, Role, RoleAssignment, StaffOffice, User
from zhengxie.demo.county import DEMO_PASSWORD
from zhengxie.demo.people import PersonMaker, id_checksum
from zhengxie.demo.scale import chinese_number, plan_committees
from zhengxie.organisation.models import (
    Affiliation,
    Committee,
    HandlingUnit,
    MemberGroup,
    Membership,
    MembershipStatusChange,
    Person,
    Position,
    Sector,
    Session,
    SpecialCommittee,
    Term,
)

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts():
    with scopes_disabled():
        return {
            model.__name__: model.objects.count()
            for model in (
                Committee, Term, Session, Sector, SpecialCommittee, MemberGroup, HandlingUnit,
                Person, Membership, MembershipStatusChange, Position, Affiliation, User,
                RoleAssignment, Notification,
            )
        }  # fmt: skip


@pytest.fixture
def demo_mode(settings):
    settings.ZHENGXIE_DEMO = True
    settings.DEBUG = False


@pytest.fixture
def county(demo_mode):
    run("seed-demo", "--without-proposals", "--without-opinions", "--without-meetings")
    with scopes_disabled():
        return Committee.objects.get(code="330000-DEMO-01")


def test_it_creates_the_county_under_its_city(county):
    assert (county.name, county.short_name, county.level) == (
        "政协示范县委员会",
        "示范县政协",
        "county",
    )
    assert (county.parent.name, county.parent.level) == ("政协示范市委员会", "city")
    assert Committee.objects.count() == 2


def test_it_gives_the_county_two_terms_and_five_sessions(county):
    with scopes_disabled():
        terms = list(Term.objects.filter(committee=county).values_list("name", "ends_on"))
        sessions = Session.objects.filter(committee=county, term__number=10).order_by("number")
        assert [name for name, _ in terms] == ["第十届", "第九届"]
        assert terms[0][1] is None and terms[1][1] is not None
        assert [s.name for s in sessions] == [f"十届{n}次会议" for n in "一二三四五"]
        assert [s.opens_on.year for s in sessions] == [2022, 2023, 2024, 2025, 2026]
        assert all(s.proposal_deadline == s.closes_on for s in sessions)
        assert {s.opens_on.month for s in sessions} == {1, 2}


def test_it_builds_the_organisation(county):
    with scopes_disabled():
        sectors = list(Sector.objects.filter(committee=county).values_list("name", flat=True))
        assert len(sectors) == 25
        assert sectors[:9] == [
            "中共",
            "民革",
            "民盟",
            "民建",
            "民进",
            "农工党",
            "致公党",
            "九三学社",
            "无党派人士",
        ]  # noqa: E501  (one list reads better)
        specials = SpecialCommittee.objects.filter(committee=county)
        assert specials.count() == 6
        assert list(specials.filter(handles_proposals=True).values_list("name", flat=True)) == [
            "提案委员会"
        ]
        groups = MemberGroup.objects.filter(committee=county)
        assert {k: groups.filter(kind=k).count() for k in ("township", "sector", "think_tank")} == {
            "township": 15,
            "sector": 4,
            "think_tank": 1,
        }
        assert HandlingUnit.objects.filter(committee=county).count() == 70
        assert HandlingUnit.objects.filter(committee=county, name="县教育局").exists()


def test_it_seats_members_with_history_and_positions(county):
    with scopes_disabled():
        memberships = Membership.objects.filter(committee=county)
        assert memberships.count() == 250
        assert memberships.in_office().count() == 247
        history = MembershipStatusChange.objects.filter(committee=county)
        assert {k: history.filter(kind=k).count() for k in ("elected", "added", "resigned")} == {
            "elected": 246,
            "added": 4,
            "resigned": 3,
        }
        assert set(history.filter(kind="elected").values_list("decided_by", flat=True)) == {
            "十届一次会议"
        }
        # Every membership has exactly one row for how it began.
        assert history.filter(kind__in=["elected", "added"]).count() == memberships.count()
        resigned = memberships.filter(status="resigned")
        assert resigned.count() == 3
        assert resigned.filter(left_on__isnull=True).count() == 0
        assert Position.objects.filter(membership__in=resigned, ends_on__isnull=True).count() == 0
        assert Position.objects.filter(membership__in=resigned, end_reason="resigned").count() >= 1
        positions = Position.objects.filter(committee=county, ends_on__isnull=True)
        assert positions.filter(kind="standing").count() == 30
        assert sorted(positions.filter(kind="office").values_list("office", flat=True)) == [
            "chair",
            "secretary_general",
            "vice_chair",
            "vice_chair",
            "vice_chair",
            "vice_chair",
        ]
        assert positions.filter(kind="special_committee", role_title="主任").count() == 6


def test_it_generates_plausible_persons(county):
    with scopes_disabled():
        persons = list(Person.objects.filter(memberships__committee=county))
        women = sum(p.gender == "female" for p in persons)
        assert 0.25 < women / len(persons) < 0.45
        assert all(len(p.id_number) == 18 for p in persons)
        assert all(id_checksum(p.id_number[:17]) == p.id_number[17] for p in persons)
        assert all(p.id_number[6:10] == str(p.birth_year) for p in persons)
        assert all(len(p.phone) == 11 and p.phone.startswith("1") for p in persons)
        assert all(1960 <= p.birth_year <= 1990 for p in persons)
        religious = Membership.objects.filter(committee=county).exclude(person__religion="")
        assert set(religious.values_list("sector__name", flat=True)) == {"少数民族和宗教界"}
        parties = dict(
            Membership.objects.filter(committee=county, sector__name__in=["民革", "无党派人士"])
            .values_list("sector__name", "person__party")
            .distinct()
        )
        assert parties == {"民革": "民革党员", "无党派人士": "无党派人士"}


def test_the_think_tank_holds_thirty_experts_without_membership(county):
    with scopes_disabled():
        experts = Affiliation.objects.filter(committee=county, kind="think_tank")
        assert experts.count() == 30
        assert experts.filter(group__kind="think_tank").count() == 30
        assert Membership.objects.filter(person__affiliations__in=experts).count() == 0


def test_it_creates_one_login_per_role(county):
    with scopes_disabled():
        roles = {
            (a.user.username, a.committee.code, a.role)
            for a in RoleAssignment.objects.select_related("user", "committee")
        }
        assert roles == {
            ("admin", "330000-DEMO-01", Role.ADMIN),
            ("staff", "330000-DEMO-01", Role.STAFF),
            ("staff", "330000-DEMO-00", Role.STAFF),
            ("chair", "330000-DEMO-01", Role.CHAIR),
            ("member", "330000-DEMO-01", Role.MEMBER),
            ("unit", "330000-DEMO-01", Role.UNIT),
            ("leader", "330000-DEMO-01", Role.LEADER),
        }
        staff = RoleAssignment.objects.get(user__username="staff", committee=county)
        assert staff.office == StaffOffice.PROPOSALS
        assert RoleAssignment.objects.get(role=Role.UNIT).handling_unit.name == "县教育局"
        assert RoleAssignment.objects.get(role=Role.LEADER).title == "县委副书记"
        chair = User.objects.get(username="chair")
        assert chair.person.memberships.get().positions.filter(office="chair").count() == 1
        member = User.objects.get(username="member")
        assert member.person.memberships.get().status == "in_office"
    assert authenticate(username="leader", password=DEMO_PASSWORD).username == "leader"
    assert Notification.objects.filter(recipient__username="member").count() == 2


def test_a_second_run_changes_nothing(county):
    before = counts()
    output = run("seed-demo", "--without-proposals", "--without-opinions", "--without-meetings")
    assert "演示数据已存在,未作任何更改。" in output
    assert "zhengxie-demo" in output
    assert counts() == before


def test_it_refuses_outside_demo_or_debug_mode(settings):
    settings.ZHENGXIE_DEMO = False
    settings.DEBUG = False
    with pytest.raises(CommandError, match="ZHENGXIE_DEMO=1 或 DEBUG=1"):
        run("seed-demo")
    assert Committee.objects.count() == 0
    assert User.objects.count() == 0


def test_if_empty_does_nothing_when_a_committee_exists(demo_mode):
    CommitteeFactory()
    output = run("seed-demo", "--if-empty")
    assert output == "数据库中已有政协委员会,跳过演示数据。\n"
    assert Committee.objects.count() == 1


def test_person_generation_is_deterministic():
    def names(seed):
        maker = PersonMaker(random.Random(seed))
        return [
            maker.person(sector="教育界", party_rule="群众", profile="education") for _ in range(20)
        ]  # noqa: E501

    assert names(7) == names(7)
    assert names(7) != names(8)


def test_id_checksum_matches_the_standard_example():
    assert id_checksum("11010519491231002") == "X"


def test_chinese_numbers_read_like_session_names():
    assert [chinese_number(n) for n in (1, 5, 10, 11, 20, 23)] == [
        "一",
        "五",
        "十",
        "十一",
        "二十",
        "二十三",
    ]  # noqa: E501


def test_committee_plan_has_one_province_thirteen_cities_and_counties():
    plan = plan_committees(100)
    levels = [row[3] for row in plan]
    assert (levels.count("province"), levels.count("city"), levels.count("county")) == (1, 13, 86)
    assert {row[4] for row in plan if row[3] == "county"} == set(range(1, 14))


def scale(*args):
    return json.loads(
        run(
            "seed-scale",
            "--committees",
            "3",
            "--members-per-committee",
            "20",
            "--years",
            "1",
            *args,
        )
    )


def test_seed_scale_creates_exactly_what_was_asked():
    summary = scale()
    assert {k: summary[k] for k in ("committees", "members", "persons", "sessions")} == {
        "committees": 3,
        "members": 60,
        "persons": 60,
        "sessions": 3,
    }
    with scopes_disabled():
        committees = Committee.objects.order_by("code")
        assert [(c.code, c.level, c.parent.code if c.parent else None) for c in committees] == [
            ("SCALE-C01", "city", "SCALE-P00"),
            ("SCALE-P00", "province", None),
            ("SCALE-X001", "county", "SCALE-C01"),
        ]
        assert Membership.objects.count() == 60
        assert Membership.objects.filter(committee__code="SCALE-X001").count() == 20
        assert MembershipStatusChange.objects.filter(kind="elected").count() == 60
        assert list(Session.objects.values_list("name", flat=True).distinct()) == ["十届五次会议"]
        assert Sector.objects.count() == 75


def test_seed_scale_refuses_a_second_run_without_reset(unscoped):
    scale()
    with pytest.raises(CommandError, match="--reset"):
        scale()
    assert Membership.objects.count() == 60


def test_seed_scale_reset_replaces_only_scale_data():
    other = CommitteeFactory(code="330000-REAL")
    scale()
    summary = scale("--reset")
    assert summary["members"] == 60
    assert Committee.objects.count() == 4
    assert Committee.objects.filter(pk=other.pk).exists()


def test_seed_scale_holds_a_year_of_meetings_with_attendance_in_the_ledger(unscoped):
    from zhengxie.core.models import DutyRecord
    from zhengxie.meetings.models import Invitation, Meeting

    summary = scale()
    meetings = Meeting.objects.filter(committee__code="SCALE-X001")
    plenary = meetings.get(category="plenary")
    assert plenary.state == "closed"
    assert (
        plenary.invitations.count()
        == Membership.objects.filter(committee__code="SCALE-X001", status="in_office").count()
    )
    assert summary["invitations"] == Invitation.objects.count()
    assert DutyRecord.objects.filter(kind="attendance").count() == Invitation.objects.count()
    from zhengxie.activities.models import Participation

    participations = Participation.objects.count()
    assert summary["activity_participations"] == participations > 0
    assert (
        DutyRecord.objects.filter(kind__in=("inspection", "research", "activity")).count()
        == participations
    )
    scale("--reset")
    assert Meeting.objects.count() == summary["meetings"]
