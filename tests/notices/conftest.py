import pytest
from django_scopes import scope

from tests.factories import (
    MemberGroupFactory,
    MembershipFactory,
    PersonFactory,
    SectorFactory,
    user_with_role,
)
from zhengxie.core.models import Role
from zhengxie.notices import services

BODY = "定于12月5日上午9时在县政协三楼会议室召开专题协商会,请准时参加。"


class Notices:
    """A committee with staff, a chair, a leader, a unit and five members: four in 教育界
    (three with accounts, 陈静 without) and one in 经济界."""

    def __init__(self, committee, term):
        self.committee = committee
        self.term = term
        self.staff = user_with_role(committee, Role.STAFF, username="noticestaff")
        self.other_staff = user_with_role(committee, Role.STAFF, username="noticestaff2")
        self.admin = user_with_role(committee, Role.ADMIN, username="noticeadmin")
        self.chair = user_with_role(committee, Role.CHAIR, username="noticechair")
        self.leader = user_with_role(committee, Role.LEADER, username="noticeleader")
        self.unit = user_with_role(committee, Role.UNIT, username="noticeunit")
        self.education = SectorFactory(committee=committee, name="教育界")
        self.economy = SectorFactory(committee=committee, name="经济界")
        self.empty_sector = SectorFactory(committee=committee, name="宗教界")
        self.group = MemberGroupFactory(committee=committee, name="城关镇活动小组")
        self.members = {}
        for name, sector, account in (
            ("李明", self.education, True),
            ("王芳", self.education, True),
            ("孙丽", self.education, True),
            ("陈静", self.education, False),
            ("赵强", self.economy, True),
        ):
            self.add_member(name, sector, account)

    def add_member(self, name, sector, account=True):
        person = PersonFactory(committee=self.committee, name=name)
        membership = MembershipFactory(
            committee=self.committee, term=self.term, sector=sector, person=person
        )
        user = None
        if account:
            user = user_with_role(self.committee, Role.MEMBER)
            person.user = user
            person.save(update_fields=["user"])
        self.members[name] = (user, membership)
        return user, membership

    def user(self, name):
        return self.members[name][0]

    def membership(self, name):
        return self.members[name][1]

    def data(self, **extra):
        data = {
            "title": "关于召开专题协商会的通知",
            "body": BODY,
            "by": "sector",
            "sector": self.education,
            "special_committee": None,
            "group": None,
            "memberships": [],
            "reply_required": False,
            "reply_by": None,
        }
        data.update(extra)
        return data

    def draft(self, **extra):
        return services.notice_create(
            actor=self.staff, committee=self.committee, data=self.data(**extra)
        )

    def sent(self, **extra):
        return services.notice_send(actor=self.staff, notice=self.draft(**extra))


@pytest.fixture
def notices(committee, term):
    with scope(committee=committee):
        yield Notices(committee, term)
