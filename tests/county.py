"""A county committee ready for proposal work (used by proposals, API and browser tests)."""

import datetime

from tests.factories import (
    HandlingUnitFactory,
    MembershipFactory,
    ProposalCategoryFactory,
    SectorFactory,
    SessionFactory,
    TermFactory,
    user_with_role,
)
from zhengxie.core.models import Role, StaffOffice


class County:
    """A committee with a session open now, members with accounts, units with accounts."""

    def __init__(self, committee):
        today = datetime.date.today()
        self.committee = committee
        self.term = TermFactory(committee=committee, starts_on=today - datetime.timedelta(days=800))
        self.session = SessionFactory(
            committee=committee,
            term=self.term,
            number=5,
            name="十届五次会议",
            opens_on=today - datetime.timedelta(days=2),
            closes_on=today + datetime.timedelta(days=2),
            proposal_deadline=today + datetime.timedelta(days=2),
        )
        self.sector = SectorFactory(committee=committee, name="教育界")
        self.category = ProposalCategoryFactory(
            committee=committee, name="教育", group="society", is_livelihood=True
        )
        self.staff = user_with_role(
            committee, Role.STAFF, username="tian", office=StaffOffice.PROPOSALS
        )
        self.other_staff = user_with_role(
            committee, Role.STAFF, username="he", office=StaffOffice.PROPOSALS
        )
        self.members = []
        for name in ("李明", "王芳", "赵强"):
            user = user_with_role(committee, Role.MEMBER)
            membership = MembershipFactory(committee=committee, term=self.term, sector=self.sector)
            membership.person.user = user
            membership.person.name = name
            membership.person.save(update_fields=["user", "name"])
            self.members.append((user, membership))
        self.units = []
        for name in ("县教育局", "县财政局", "县交通运输局"):
            unit = HandlingUnitFactory(committee=committee, name=name)
            user = user_with_role(committee, Role.UNIT, handling_unit=unit)
            self.units.append((user, unit))
