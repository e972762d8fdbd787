import datetime

import pytest
from django.utils import timezone
from django_scopes import scope

from tests.factories import (
    HandlingUnitFactory,
    MembershipFactory,
    SessionFactory,
    user_with_role,
)
from zhengxie.core.models import Role, StaffOffice
from zhengxie.places import services
from zhengxie.places.models import RoomKind, RoomLevel

TODAY = timezone.localdate()
OPENED = TODAY - datetime.timedelta(days=200)


class Places:
    """A committee with staff, a chair, members with accounts, a unit and a place in use."""

    def __init__(self, committee, term, sector):
        self.committee = committee
        self.session = SessionFactory(
            committee=committee,
            term=term,
            opens_on=TODAY - datetime.timedelta(days=100),
            closes_on=TODAY - datetime.timedelta(days=97),
        )
        self.staff = user_with_role(
            committee, Role.STAFF, username="placestaff", office=StaffOffice.GENERAL
        )
        self.other_staff = user_with_role(
            committee, Role.STAFF, username="placestaff2", office=StaffOffice.GENERAL
        )
        self.proposal_staff = user_with_role(
            committee, Role.STAFF, username="propstaff", office=StaffOffice.PROPOSALS
        )
        self.chair = user_with_role(committee, Role.CHAIR)
        self.members = []
        for name in ("李明", "王芳", "赵强"):
            user = user_with_role(committee, Role.MEMBER)
            membership = MembershipFactory(committee=committee, term=term, sector=sector)
            membership.person.user = user
            membership.person.name = name
            membership.person.save(update_fields=["user", "name"])
            self.members.append((user, membership))
        self.unit = HandlingUnitFactory(committee=committee, name="县民政局")
        self.unit_user = user_with_role(committee, Role.UNIT, handling_unit=self.unit)
        self.other_unit = HandlingUnitFactory(committee=committee, name="县水利局")
        self.other_unit_user = user_with_role(committee, Role.UNIT, handling_unit=self.other_unit)
        self.room = services.room_create(
            actor=self.staff,
            committee=committee,
            data={
                "name": "城关镇委员会客室",
                "kind": RoomKind.PARLOUR,
                "level": RoomLevel.TOWNSHIP,
                "township": "城关镇",
                "address": "城关镇人民路1号",
            },
            opened_on=OPENED,
        )

    def shift(self, day=None, half_day="am", members=None):
        members = members or [m for _u, m in self.members[:2]]
        return services.shifts_create(
            actor=self.staff,
            room=self.room,
            dates=[day or TODAY - datetime.timedelta(days=3)],
            half_day=half_day,
            memberships=members,
        )[0]

    def visit(self, shift=None, issues=("村口路灯坏了半年没人修",)):
        shift = shift or self.shift()
        user, _m = self.members[0]
        return services.visit_record(
            actor=user,
            room=self.room,
            shift=shift,
            date=shift.date,
            members=[m for _u, m in self.members[:2]],
            residents_count=5,
            summary="接待群众5人次",
            issues=[
                {"text": t, "resident_name": "陈大爷", "contact": "13912345678"} for t in issues
            ],
        )


@pytest.fixture
def places(committee, term, sector):
    with scope(committee=committee):
        yield Places(committee, term, sector)


OPINION_FIELDS = {
    "title": "关于修复城关镇村口路灯的建议",
    "situation": "村口路灯损坏半年,群众夜间出行不便。",
    "suggestion": "请镇政府尽快安排维修,并建立路灯巡查制度。",
}
