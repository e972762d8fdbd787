import datetime

import pytest
from django.utils import timezone
from django_scopes import scope

from tests.factories import MembershipFactory, SpecialCommitteeFactory, user_with_role
from zhengxie.archives import services
from zhengxie.core.models import Role

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


class Archives:
    """A committee with staff, a chair, a leader, a unit, members with accounts and one open
    campaign run by the 文史委."""

    def __init__(self, committee, term, sector):
        self.committee = committee
        self.staff = user_with_role(committee, Role.STAFF, username="wsstaff")
        self.other_staff = user_with_role(committee, Role.STAFF, username="wsstaff2")
        self.chair = user_with_role(committee, Role.CHAIR)
        self.leader = user_with_role(committee, Role.LEADER)
        self.unit_user = user_with_role(committee, Role.UNIT)
        self.public = user_with_role(committee, Role.PUBLIC)
        self.members = []
        for name in ("李明", "王芳", "赵强"):
            user = user_with_role(committee, Role.MEMBER)
            membership = MembershipFactory(committee=committee, term=term, sector=sector)
            membership.person.user = user
            membership.person.name = name
            membership.person.save(update_fields=["user", "name"])
            self.members.append((user, membership))
        self.wenshi = SpecialCommitteeFactory(committee=committee, name="文史和学习委员会")
        self.campaign = services.campaign_create(
            actor=self.staff,
            committee=committee,
            data={
                "theme": "百年老街记忆",
                "call_text": "为留存老街历史,面向社会征集老照片、老物件和亲历者口述。",
                "opens_on": TODAY - datetime.timedelta(days=30),
                "deadline": TODAY + datetime.timedelta(days=60),
                "special_committee": self.wenshi,
            },
        )

    def member(self, i=0):
        return self.members[i]

    def material(self, *, actor=None, membership=None, outsider=None, accept=True, **data):
        """A material registered by staff (for a member or an outsider), accepted by default."""
        fields = {
            "campaign": self.campaign,
            "title": "老街酱园的百年兴衰",
            "kind": "text",
            "text": "酱园始创于清光绪年间。",
            "received_on": YESTERDAY,
            "rights_holder": "提供人本人",
            "consent_given": True,
            "consent_terms": "同意政协无偿编研使用",
        }
        fields.update(data)
        if outsider:
            fields.update(contributor_name=outsider, contributor_phone="13912345678")
        else:
            fields["membership"] = membership or self.members[0][1]
        material = services.material_submit(
            actor=actor or self.staff, committee=self.committee, data=fields
        )
        if accept:
            material = services.material_act(actor=self.staff, material=material, action="accept")
        return material

    def volume(self, **data):
        fields = {"title": "老街记忆", "series": "示范县文史资料", "number": "第12辑"}
        fields.update(data)
        return services.volume_create(actor=self.staff, committee=self.committee, data=fields)


@pytest.fixture
def archives(committee, term, sector):
    with scope(committee=committee):
        yield Archives(committee, term, sector)
