"""The Excel export of the proposal list: columns, rows, filters, audit row and permissions."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import (
    AssignmentFactory,
    ProposalFactory,
    RatingFactory,
    ReplyFactory,
    user_with_role,
)
from zhengxie.core.models import AuditEntry, Role
from zhengxie.proposals.models import (
    AssignmentRole,
    AssignmentState,
    CoSigner,
    KeyState,
    ProposalState,
    SignatureState,
    SubmitterType,
)

HEADER = [
    "案号",
    "案由",
    "提案者",
    "类型",
    "界别",
    "类别",
    "状态",
    "大会/平时",
    "提交日期",
    "承办单位(办理方式)",
    "答复类别",
    "满意度(态度/结果)",
    "重点",
]


@pytest.fixture
def listed(county):
    c, s = county.committee, county.session
    (_u0, edu), (_u1, finance), (_u2, transport) = county.units
    joint = ProposalFactory(
        committee=c,
        session=s,
        submitter_type=SubmitterType.JOINT,
        lead=county.members[0][1],
        category=county.category,
        number=1,
        title="关于推进城乡义务教育优质均衡发展的建议",
        is_plenary=True,
        state=ProposalState.REPLIED,
        key_state=KeyState.DECIDED,
    )
    CoSigner.objects.create(
        committee=c,
        proposal=joint,
        membership=county.members[1][1],
        order=2,
        state=SignatureState.CONFIRMED,
    )
    CoSigner.objects.create(committee=c, proposal=joint, membership=county.members[2][1], order=3)
    main = AssignmentFactory(
        proposal=joint, unit=edu, role=AssignmentRole.MAIN, state=AssignmentState.RATED
    )
    AssignmentFactory(proposal=joint, unit=finance, role=AssignmentRole.CO)
    AssignmentFactory(
        proposal=joint, unit=transport, role=AssignmentRole.SINGLE, state=AssignmentState.RETURNED
    )
    reply = ReplyFactory(assignment=main, category="B", corrected_category="A")
    RatingFactory(reply=reply, attitude="satisfied", result="basically")
    body = ProposalFactory(
        committee=c,
        session=s,
        submitter_type=SubmitterType.PARTY_GROUP,
        lead=None,
        submitting_body="民盟县委会",
        title="关于加快县域医共体建设的建议",
        state=ProposalState.SUBMITTED,
        submitted_at=joint.submitted_at + datetime.timedelta(hours=1),
    )
    return {"joint": joint, "body": body}


def _rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_export_has_the_columns_and_rows_of_the_list(
    county, listed, login, django_assert_max_num_queries
):
    client = login(county.staff)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("proposals:export"))
    assert response.status_code == 200
    submitted = county.session.opens_on.isoformat()
    assert _rows(response) == [
        HEADER,
        [
            None,
            "关于加快县域医共体建设的建议",
            "民盟县委会",
            "党派团体",
            None,
            None,
            "已提交",
            "平时",
            submitted,
            None,
            None,
            None,
            None,
        ],
        [
            "十届五次会议第001号",
            "关于推进城乡义务教育优质均衡发展的建议",
            "李明、王芳",
            "委员联名",
            "教育界",
            "教育",
            "已答复",
            "大会",
            submitted,
            "县教育局(主办)、县财政局(会办)",
            "A",
            "满意/基本满意",
            "重点提案",
        ],
    ]
    audit = AuditEntry.objects.get(action="export")
    assert (audit.note, audit.after["rows"]) == ("导出提案列表(2件)", 2)


def test_the_export_applies_the_list_filters(county, listed, login):
    url = reverse("proposals:export") + f"?state=replied&session={county.session.pk}"
    rows = _rows(login(county.staff).get(url))
    assert [r[1] for r in rows] == ["案由", "关于推进城乡义务教育优质均衡发展的建议"]
    assert AuditEntry.objects.get(action="export").after["filters"] == {
        "view": "all",
        "session": str(county.session),
        "state": "replied",
    }


def test_the_export_is_refused_to_units_and_members(county, listed, login):
    assert login(county.units[0][0]).get(reverse("proposals:export")).status_code == 403
    assert login(county.members[0][0]).get(reverse("proposals:export")).status_code == 403
    assert AuditEntry.objects.filter(action="export").count() == 0


def test_a_chair_exports_the_same_rows(county, listed, login):
    chair = user_with_role(county.committee, Role.CHAIR)
    rows = _rows(login(chair).get(reverse("proposals:export")))
    assert [r[0] for r in rows] == ["案号", None, "十届五次会议第001号"]
