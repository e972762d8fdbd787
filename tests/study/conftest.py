import datetime

import pytest
from django.utils import timezone
from django_scopes import scope

from tests.factories import (
    MemberGroupFactory,
    MembershipFactory,
    SpecialCommitteeFactory,
    user_with_role,
)
from zhengxie.core.models import Role
from zhengxie.organisation.models import Position, PositionKind
from zhengxie.study import services

TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=7)
NEXT_WEEK = TODAY + datetime.timedelta(days=7)
NAMES = ("李明", "王芳", "赵强", "陈静")


class Study:
    """A committee with two staff, a chair, a leader, a unit and four members with accounts;
    the first two are in an activity group, the first sits on a special committee."""

    def __init__(self, committee, term, sector):
        self.committee = committee
        self.term = term
        self.sector = sector
        self.staff = user_with_role(committee, Role.STAFF, username="studystaff")
        self.other_staff = user_with_role(committee, Role.STAFF, username="studystaff2")
        self.chair = user_with_role(committee, Role.CHAIR)
        self.leader = user_with_role(committee, Role.LEADER)
        self.unit_user = user_with_role(committee, Role.UNIT)
        self.group = MemberGroupFactory(committee=committee, name="城关镇活动小组")
        self.special_committee = SpecialCommitteeFactory(
            committee=committee, name="文史和学习委员会"
        )
        self.members = []
        for i, name in enumerate(NAMES):
            user = user_with_role(committee, Role.MEMBER)
            membership = MembershipFactory(
                committee=committee, term=term, sector=sector, group=self.group if i < 2 else None
            )
            membership.person.user = user
            membership.person.name = name
            membership.person.save(update_fields=["user", "name"])
            self.members.append((user, membership))
        Position.objects.create(
            committee=committee,
            membership=self.memberships[0],
            kind=PositionKind.SPECIAL_COMMITTEE,
            special_committee=self.special_committee,
            starts_on=datetime.date(2022, 1, 10),
        )

    @property
    def memberships(self):
        return [m for _u, m in self.members]

    def member(self, i=0):
        return self.members[i][0]

    def plan(self, year=None, items=1):
        plan = services.plan_create(
            actor=self.staff, committee=self.committee, data={"year": year or TODAY.year}
        )
        for n in range(items):
            services.item_add(
                actor=self.staff,
                plan=plan,
                data={
                    "topic": f"学习主题{n + 1}",
                    "kind": "study",
                    "planned_month": 3,
                    "audience": "all",
                },
            )
        return plan

    def session(self, *, kind="study", day=None, invite=None, plan_item=None, **extra):
        session = services.session_create(
            actor=self.staff,
            committee=self.committee,
            data={
                "kind": kind,
                "title": extra.pop("title", "学习习近平新时代中国特色社会主义思想专题报告会"),
                "date": day or LAST_WEEK,
                "half_days": extra.pop("half_days", "1"),
                "place": "县政协三楼会议室",
                "speaker": "县委党校 张教授",
                **extra,
            },
            plan_item=plan_item,
        )
        members = self.memberships[:3] if invite is None else invite
        if members:
            services.session_invite(actor=self.staff, session=session, memberships=members)
        return session

    def attendance_ids(self, session):
        return {a.membership_id: a.pk for a in session.attendances.all()}

    def held_with(self, session, states):
        """Hold ``session`` and record ``states`` ({membership index: state})."""
        session = services.session_act(actor=self.staff, session=session, action="hold")
        ids = self.attendance_ids(session)
        services.attendance_record(
            actor=self.staff,
            session=session,
            entries={ids[self.memberships[i].pk]: s for i, s in states.items()},
        )
        return session

    def group_with(self, members=None, name="书香政协第一读书小组"):
        members = members or self.memberships[:3]
        return services.group_create(
            actor=self.staff,
            committee=self.committee,
            data={
                "name": name,
                "leader": members[0],
                "members": members,
                "current_book": "《之江新语》",
            },
        )


@pytest.fixture
def study(committee, term, sector):
    with scope(committee=committee):
        yield Study(committee, term, sector)
