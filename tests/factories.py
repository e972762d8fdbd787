"""Factories for tests (factory-boy). Build a committee with ``committee_with_roster``."""

import datetime

import factory
from django.utils import timezone

from zhengxie.core.models import Role, RoleAssignment, StaffOffice, User
from zhengxie.core.models.ledger import Level
from zhengxie.organisation.models import (
    Committee,
    HandlingUnit,
    MemberGroup,
    Membership,
    Person,
    Sector,
    Session,
    SpecialCommittee,
    Term,
)

PASSWORD = "test-password-123"


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"政协测试{n}县委员会")
    short_name = factory.Sequence(lambda n: f"测试{n}县政协")
    code = factory.Sequence(lambda n: f"T{n:04d}")
    level = Level.COUNTY


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    committee = factory.SubFactory(CommitteeFactory)
    number = 10
    name = "第十届"
    starts_on = datetime.date(2022, 1, 10)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    term = factory.SubFactory(TermFactory)
    committee = factory.SelfAttribute("term.committee")
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"十届{o.number}次会议")
    opens_on = factory.LazyAttribute(lambda o: datetime.date(2021 + o.number, 1, 10))
    closes_on = factory.LazyAttribute(lambda o: o.opens_on + datetime.timedelta(days=3))


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"界别{n}")


class SpecialCommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialCommittee

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"专委会{n}")


class MemberGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberGroup

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"第{n}活动小组")


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"县第{n}局")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"张{n}")
    gender = "male"
    ethnicity = "汉族"
    birth_year = 1975
    party = "中共党员"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    id_number = factory.Sequence(lambda n: f"3301021975{n:08d}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    committee = factory.SubFactory(CommitteeFactory)
    term = factory.LazyAttribute(lambda o: TermFactory(committee=o.committee))
    person = factory.LazyAttribute(lambda o: PersonFactory(committee=o.committee))
    sector = factory.LazyAttribute(lambda o: SectorFactory(committee=o.committee))
    work_unit = "县人民医院"
    joined_on = factory.LazyFunction(lambda: datetime.date(2022, 1, 10))


def grant_role(user, committee, role, **extra):
    if role == Role.STAFF:
        extra.setdefault("office", StaffOffice.GENERAL)
    if role == Role.UNIT and "handling_unit" not in extra:
        extra["handling_unit"] = HandlingUnitFactory(committee=committee)
    return RoleAssignment.objects.create(
        user=user,
        committee=committee,
        role=role,
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
        **extra,
    )


def user_with_role(committee, role, username=None, **extra):
    user = UserFactory(**({"username": username} if username else {}))
    assignment = grant_role(user, committee, role, **extra)
    user.active_role = assignment
    return user


# Proposals -------------------------------------------------------------------------------
# These build rows directly in any state (for figures, lists and documents); workflow tests go
# through zhengxie.proposals.services instead.

from zhengxie.proposals.models import (  # noqa: E402
    Assignment,
    AssignmentRole,
    CategoryGroup,
    Proposal,
    ProposalCategory,
    ProposalState,
    Rating,
    Reply,
    SubmitterType,
)


def _term_of(committee):
    """The committee's term (made once): several proposals of one committee share it."""
    return Term._base_manager.filter(committee=committee).first() or TermFactory(
        committee=committee
    )


class ProposalCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalCategory

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"类别{n}")
    group = CategoryGroup.ECONOMY


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    committee = factory.SubFactory(CommitteeFactory)
    session = factory.LazyAttribute(
        lambda o: SessionFactory(committee=o.committee, term=_term_of(o.committee))
    )
    submitter_type = SubmitterType.MEMBER
    lead = factory.LazyAttribute(
        lambda o: (
            MembershipFactory(committee=o.committee, term=o.session.term)
            if o.submitter_type in (SubmitterType.MEMBER, SubmitterType.JOINT)
            else None
        )
    )
    submitting_body = factory.LazyAttribute(lambda o: "" if o.lead else "民盟县委会")
    title = factory.Sequence(lambda n: f"关于加强农村饮用水安全保障的建议{n}")
    situation = "我县部分山区村庄饮用水水源分散,水质检测覆盖不足。"
    suggestions = "一是加快城乡供水一体化;二是建立水质定期检测制度。"
    state = ProposalState.SUBMITTED
    submitted_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(
            datetime.datetime.combine(o.session.opens_on, datetime.time(10))
        )
    )


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    proposal = factory.SubFactory(ProposalFactory, state=ProposalState.ASSIGNED)
    committee = factory.SelfAttribute("proposal.committee")
    unit = factory.LazyAttribute(lambda o: HandlingUnitFactory(committee=o.proposal.committee))
    role = AssignmentRole.SINGLE
    assigned_on = factory.LazyAttribute(
        lambda o: o.proposal.session.closes_on + datetime.timedelta(days=10)
    )
    deadline = factory.LazyAttribute(lambda o: o.assigned_on + datetime.timedelta(days=90))


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reply

    assignment = factory.SubFactory(AssignmentFactory)
    committee = factory.SelfAttribute("assignment.committee")
    round = 1
    text = "经研究,我局已将该建议列入明年工作计划。"
    category = "B"
    replied_on = factory.LazyAttribute(
        lambda o: o.assignment.assigned_on + datetime.timedelta(days=60)
    )


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    reply = factory.SubFactory(ReplyFactory)
    committee = factory.SelfAttribute("reply.committee")
    attitude = "satisfied"
    result = "satisfied"
    rated_on = factory.LazyAttribute(lambda o: o.reply.replied_on + datetime.timedelta(days=5))
