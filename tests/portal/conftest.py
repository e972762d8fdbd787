import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from tests.factories import MembershipFactory, user_with_role
from zhengxie.core.models import Role, StaffOffice
from zhengxie.demo.portal import portrait_png, scene_png
from zhengxie.portal import services

NEWS = {
    "title": "县政协召开专题协商会",
    "category": "consultation",
    "summary": "围绕农村生活污水治理开展专题协商。",
    "body": "第一段:会议由县政协主席主持。\n\n第二段:16名委员发言。",
}


def png(name="photo.png", portrait=False):
    content = portrait_png() if portrait else scene_png(width=64, height=36)
    return SimpleUploadedFile(name, content, content_type="image/png")


class Portal:
    """A committee with two staff (author and reviewer), an admin, a chair, a leader, three
    members with accounts, a unit and a public account."""

    def __init__(self, committee, term, sector, prefix=""):
        self.committee = committee
        self.staff = user_with_role(
            committee, Role.STAFF, username=f"{prefix}editor", office=StaffOffice.GENERAL
        )
        self.reviewer = user_with_role(
            committee, Role.STAFF, username=f"{prefix}reviewer", office=StaffOffice.GENERAL
        )
        self.admin = user_with_role(committee, Role.ADMIN, username=f"{prefix}portaladmin")
        self.chair = user_with_role(committee, Role.CHAIR)
        self.leader = user_with_role(committee, Role.LEADER)
        self.unit = user_with_role(committee, Role.UNIT)
        self.public = user_with_role(committee, Role.PUBLIC)
        self.members = []
        for name in ("李明", "王芳", "赵强"):
            user = user_with_role(committee, Role.MEMBER)
            membership = MembershipFactory(
                committee=committee,
                term=term,
                sector=sector,
                work_unit="县第一中学",
                job_title="校长",
            )
            membership.person.user = user
            membership.person.name = name
            membership.person.save(update_fields=["user", "name"])
            self.members.append((user, membership))

    def draft(self, **data):
        return services.news_create(
            actor=self.staff, committee=self.committee, data={**NEWS, **data}
        )

    def in_review(self, **data):
        return services.news_act(actor=self.staff, news=self.draft(**data), action="submit")

    def published(self, **data):
        return services.news_act(actor=self.reviewer, news=self.in_review(**data), action="approve")

    def consent(self, index=0, **data):
        user, membership = self.members[index]
        return services.public_profile_save(
            actor=user,
            membership=membership,
            data={"consent": True, "show_sector": True, **data},
        )


@pytest.fixture
def portal(committee, term, sector):
    with scope(committee=committee):
        yield Portal(committee, term, sector)
