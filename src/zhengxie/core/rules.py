"""Every permission of the platform, decided here (django-rules).

Predicates read ``user.active_role`` — the ``RoleAssignment`` the user is acting in, set by
``ActiveRoleMiddleware`` for pages and by the API's token auth — so pages and API ask the same
permission names. Objects are already limited to the active committee by ``core.scoping``.
"""

import rules

from zhengxie.core.models import Role, StaffOffice


def active_role(user):
    return getattr(user, "active_role", None)


def _role_in(*roles):
    name = "has_role_" + "_or_".join(roles)

    @rules.predicate(name=name)
    def predicate(user):
        role = active_role(user)
        return role is not None and role.role in roles

    return predicate


is_member = _role_in(Role.MEMBER)
is_staff = _role_in(Role.STAFF)
is_chair = _role_in(Role.CHAIR)
is_unit = _role_in(Role.UNIT)
is_leader = _role_in(Role.LEADER)
is_admin = _role_in(Role.ADMIN)
is_public = _role_in(Role.PUBLIC)
is_committee_insider = _role_in(Role.MEMBER, Role.STAFF, Role.CHAIR, Role.LEADER, Role.ADMIN)


@rules.predicate
def is_general_office(user):
    role = active_role(user)
    return role is not None and role.role == Role.STAFF and role.office == StaffOffice.GENERAL


@rules.predicate
def is_own_person(user, person):
    return person is not None and person.user_id is not None and person.user_id == user.pk


@rules.predicate
def is_addressed_unit(user, recommendation):
    """A unit answers only the recommendations sent to it (no object: may answer some)."""
    role = active_role(user)
    if role is None or recommendation is None:
        return role is not None
    return recommendation.addressee_unit_id == role.handling_unit_id


# Organisation and people
rules.add_perm("organisation.view_directory", is_committee_insider)
rules.add_perm("organisation.view_member", is_committee_insider)
rules.add_perm("organisation.manage_roster", is_staff | is_admin)
rules.add_perm("organisation.manage_structure", is_staff | is_admin)
rules.add_perm("organisation.view_sensitive", is_staff | is_admin)
rules.add_perm("organisation.view_own_sensitive", is_own_person | is_staff | is_admin)
rules.add_perm("organisation.export_roster", is_staff | is_admin)
rules.add_perm("organisation.view_units", is_committee_insider | is_unit)

# Core
rules.add_perm("core.view_audit", is_admin)
rules.add_perm("core.archive_audit", is_admin)
rules.add_perm("core.edit_settings", is_admin)
rules.add_perm("core.edit_calendar", is_admin)
rules.add_perm("core.moderate", is_staff | is_admin)
rules.add_perm("core.view_dashboard_figures", is_staff | is_chair | is_admin | is_leader)
rules.add_perm("core.add_instruction", is_staff | is_admin)
rules.add_perm("core.manage_recommendations", is_staff | is_admin)
rules.add_perm("core.answer_recommendation", is_staff | is_admin | (is_unit & is_addressed_unit))
rules.add_perm("core.view_attachment", is_committee_insider)
rules.add_perm("core.manage_accounts", is_admin)
