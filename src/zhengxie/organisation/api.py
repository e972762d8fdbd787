"""Read endpoints of the organisation: committees, structure, units and the member directory."""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from zhengxie.core.api import ERROR_RESPONSES, CommitteeOut, ObjectId, Text
from zhengxie.core.fields import mask_id_number, mask_phone
from zhengxie.organisation import services
from zhengxie.organisation.models import (
    HandlingUnit,
    MemberGroup,
    Membership,
    MembershipStatus,
    Sector,
    Session,
    SpecialCommittee,
    Term,
)
from zhengxie.organisation.queries import membership_directory, visible_committees

router = Router(tags=["组织机构"])


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


# --- committees ---------------------------------------------------------------------------


@router.get(
    "/committees",
    response={200: list[CommitteeOut], **ERROR_RESPONSES},
    summary="可见的委员会",
    description="本委员会及其上级、下级委员会。",
)
def committee_list(request):
    return visible_committees(request.committee)


@router.get(
    "/committees/{committee_id}",
    response={200: CommitteeOut, **ERROR_RESPONSES},
    summary="委员会详情",
)
def committee_detail(request, committee_id: ObjectId):
    return get_object_or_404(visible_committees(request.committee), pk=committee_id)


# --- structure ----------------------------------------------------------------------------


class SectorOut(Schema):
    id: int
    name: str
    position: int


class SpecialCommitteeOut(Schema):
    id: int
    name: str
    handles_proposals: bool
    position: int


class MemberGroupOut(Schema):
    id: int
    name: str
    kind: str
    position: int


class TermOut(Schema):
    id: int
    number: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date | None


class SessionOut(Schema):
    id: int
    term_id: int
    number: int
    name: str
    opens_on: datetime.date
    closes_on: datetime.date
    proposal_deadline: datetime.date | None


class HandlingUnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    contact_name: str
    contact_phone: str
    is_active: bool


@router.get("/sectors", response={200: list[SectorOut], **ERROR_RESPONSES}, summary="界别")
def sector_list(request):
    return Sector.objects.all()


@router.get(
    "/special-committees",
    response={200: list[SpecialCommitteeOut], **ERROR_RESPONSES},
    summary="专门委员会",
)
def special_committee_list(request):
    return SpecialCommittee.objects.all()


@router.get(
    "/member-groups",
    response={200: list[MemberGroupOut], **ERROR_RESPONSES},
    summary="委员活动小组",
)
def member_group_list(request):
    return MemberGroup.objects.all()


@router.get("/terms", response={200: list[TermOut], **ERROR_RESPONSES}, summary="届")
def term_list(request):
    return Term.objects.all()


@router.get("/sessions", response={200: list[SessionOut], **ERROR_RESPONSES}, summary="会议(届次)")
def session_list(request):
    return Session.objects.all()


@router.get(
    "/units",
    response={200: list[HandlingUnitOut], **ERROR_RESPONSES},
    summary="承办单位",
)
def unit_list(request):
    _require(request, "organisation.view_units")
    return HandlingUnit.objects.all()


# --- members ------------------------------------------------------------------------------


class NamedOut(Schema):
    id: int
    name: str


class MemberOut(Schema):
    id: int = Field(description="委员(任职)ID")
    person_id: int
    name: str
    gender: str
    ethnicity: str
    birth_year: int | None
    party: str
    religion: str = Field(description="无权查看敏感信息时为 ***")
    phone: str = Field(description="无权查看敏感信息时脱敏")
    id_number: str = Field(description="无权查看敏感信息时脱敏")
    term: NamedOut
    sector: NamedOut
    group: NamedOut | None
    number: str
    work_unit: str
    job_title: str
    status: str
    status_label: str
    is_standing: bool
    joined_on: datetime.date
    left_on: datetime.date | None


class MemberPageOut(Schema):
    count: int
    items: list[MemberOut]


class PositionOut(Schema):
    id: int
    kind: str
    label: str
    office: str
    special_committee_id: int | None
    role_title: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    end_reason: str


class StatusChangeOut(Schema):
    kind: str
    kind_label: str
    effective_on: datetime.date
    decided_by: str
    note: str


class MemberDetailOut(MemberOut):
    education: str
    email: str
    positions: list[PositionOut]
    history: list[StatusChangeOut]


class MemberFilters(Schema):
    term: ObjectId | None = Field(None, description="届 ID,默认当前届")
    sector: ObjectId | None = Field(None, description="界别 ID")
    group: ObjectId | None = Field(None, description="活动小组 ID")
    special_committee: ObjectId | None = Field(None, description="专门委员会 ID")
    party: Text | None = Field(None, max_length=64, description="党派")
    ethnicity: Text | None = Field(None, max_length=64, description="民族")
    standing: bool | None = Field(None, description="是否常委")
    status: MembershipStatus | None = Field(None, description="任职状态")
    q: Text | None = Field(None, max_length=64, description="按姓名搜索")
    limit: int = Field(50, ge=1, le=500, description="每页条数")
    offset: int = Field(0, ge=0, le=2**31, description="起始位置")


def _hidden(value):
    return "***" if value else ""


def _member_row(membership, *, sensitive):
    person = membership.person
    return {
        "id": membership.pk,
        "person_id": person.pk,
        "name": person.name,
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "birth_year": person.birth_year,
        "party": person.party,
        "religion": person.religion if sensitive else _hidden(person.religion),
        "phone": person.phone if sensitive else mask_phone(person.phone),
        "id_number": person.id_number if sensitive else mask_id_number(person.id_number),
        "term": membership.term,
        "sector": membership.sector,
        "group": membership.group,
        "number": membership.number,
        "work_unit": membership.work_unit,
        "job_title": membership.job_title,
        "status": membership.status,
        "status_label": membership.get_status_display(),
        "is_standing": membership.is_standing,
        "joined_on": membership.joined_on,
        "left_on": membership.left_on,
    }


@router.get(
    "/members",
    response={200: MemberPageOut, **ERROR_RESPONSES},
    summary="委员名录",
    description="当前届(或指定届)的委员,可按界别、党派、小组、专委会、常委、状态、民族、"
    "姓名筛选;limit/offset 分页。身份证号、手机号、宗教信仰仅对有权限的角色显示明文。",
)
def member_list(request, filters: Query[MemberFilters]):
    _require(request, "organisation.view_directory")
    sensitive = request.user.has_perm("organisation.view_sensitive")
    qs = membership_directory(
        term=filters.term,
        sector=filters.sector,
        party=filters.party,
        group=filters.group,
        special_committee=filters.special_committee,
        standing=filters.standing,
        status=filters.status,
        ethnicity=filters.ethnicity,
        q=filters.q,
    )
    page = qs[filters.offset : filters.offset + filters.limit]
    return {
        "count": qs.count(),
        "items": [_member_row(m, sensitive=sensitive) for m in page],
    }


@router.get(
    "/members/{membership_id}",
    response={200: MemberDetailOut, **ERROR_RESPONSES},
    summary="委员详情",
    description="委员信息、职务与任职变动。查看明文敏感信息会记入审计日志。",
)
def member_detail(request, membership_id: ObjectId):
    membership = get_object_or_404(
        Membership.objects.with_flags().select_related("person", "term", "sector", "group"),
        pk=membership_id,
    )
    _require(request, "organisation.view_member", membership)
    person = membership.person
    sensitive = services.sensitive_access(
        actor=request.user, person=person, committee=request.committee, channel="API"
    )
    row = _member_row(membership, sensitive=sensitive)
    row["education"] = person.education
    row["email"] = person.email
    row["positions"] = [
        {
            "id": p.pk,
            "kind": p.kind,
            "label": str(p),
            "office": p.office,
            "special_committee_id": p.special_committee_id,
            "role_title": p.role_title,
            "starts_on": p.starts_on,
            "ends_on": p.ends_on,
            "end_reason": p.end_reason,
        }
        for p in membership.positions.select_related("special_committee")
    ]
    row["history"] = [
        {
            "kind": h.kind,
            "kind_label": h.get_kind_display(),
            "effective_on": h.effective_on,
            "decided_by": h.decided_by,
            "note": h.note,
        }
        for h in membership.history.order_by("effective_on", "pk")
    ]
    return row
