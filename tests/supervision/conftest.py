import datetime

import pytest

from tests.factories import user_with_role
from zhengxie.core.models import Role
from zhengxie.supervision import services

YEAR = 2026
SENT = datetime.date(2026, 4, 8)


@pytest.fixture
def staff(county):
    return county.staff


@pytest.fixture
def members(county):
    """[(user, membership)] of three members with accounts: 李明, 王芳, 赵强."""
    return county.members


@pytest.fixture
def units(county):
    """[(user, unit)] of 县教育局, 县财政局, 县交通运输局, each with a unit account."""
    return county.units


@pytest.fixture
def chair(county):
    return user_with_role(county.committee, Role.CHAIR)


@pytest.fixture
def leader(county):
    return user_with_role(county.committee, Role.LEADER)


@pytest.fixture
def make_group(county, staff, members, units):
    def make(
        *, unit=None, year=YEAR, name="第一民主监督小组", leader=None, others=None, topic=None
    ):
        return services.group_create(
            actor=staff,
            committee=county.committee,
            data={
                "year": year,
                "name": name,
                "unit": unit or units[0][1],
                "topic": topic,
                "note": "",
            },
            leader=leader or members[0][1],
            members=[m for _u, m in members[1:]] if others is None else others,
        )

    return make


@pytest.fixture
def group(make_group):
    return make_group()


@pytest.fixture
def letter(group, staff):
    return services.letter_create(
        actor=staff,
        group=group,
        data={"title": "关于加强校园安全管理的民主监督建议书", "text": "经监督发现……"},
        recommendations="完善校园安保制度\n加强校车管理\n",
    )
