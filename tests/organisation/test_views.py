import datetime
import io

import pytest
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from tests.factories import (
    MemberGroupFactory,
    MembershipFactory,
    PersonFactory,
    SectorFactory,
    TermFactory,
)
from tests.organisation.roster_files import id_number
from zhengxie.core.models import AuditAction, AuditEntry, Role
from zhengxie.organisation import services
from zhengxie.organisation.models import (
    HandlingUnit,
    Membership,
    MembershipStatus,
    MembershipStatusChange,
    Position,
    PositionKind,
    Sector,
)

D = datetime.date


@pytest.fixture
def staff_client(login, staff_user):
    return login(staff_user)


@pytest.fixture
def roster(committee, term, sector):
    """Three members; 王芳 is 常委 and a Buddhist with ID and phone numbers."""
    wang = MembershipFactory(
        committee=committee,
        term=term,
        sector=sector,
        person=PersonFactory(
            committee=committee,
            name="王芳",
            gender="female",
            religion="佛教",
            phone="13912345678",
            id_number="330102197501010012",
        ),
    )
    li = MembershipFactory(
        committee=committee,
        term=term,
        sector=SectorFactory(committee=committee, name="教育界", position=1),
        person=PersonFactory(committee=committee, name="李强", party="民盟"),
    )
    zhao = MembershipFactory(
        committee=committee,
        term=term,
        sector=sector,
        person=PersonFactory(committee=committee, name="赵敏", ethnicity="回族"),
    )
    with scope(committee=committee):
        wang.positions.create(
            committee=committee, kind=PositionKind.STANDING, starts_on=D(2022, 1, 10)
        )
    return {"wang": wang, "li": li, "zhao": zhao}


def names(response):
    return [m.person.name for m in response.context["page"]]


# Directory -----------------------------------------------------------------------------------


def test_the_directory_filters_by_sector_party_standing_and_name(staff_client, roster, sector):
    url = reverse("organisation:directory")
    assert names(staff_client.get(url)) == ["王芳", "赵敏", "李强"]
    assert names(staff_client.get(url, {"sector": sector.pk})) == ["王芳", "赵敏"]
    assert names(staff_client.get(url, {"party": "民盟"})) == ["李强"]
    assert names(staff_client.get(url, {"standing": "yes"})) == ["王芳"]
    assert names(staff_client.get(url, {"standing": "no", "ethnicity": "回族"})) == ["赵敏"]
    assert names(staff_client.get(url, {"q": "李"})) == ["李强"]
    assert names(staff_client.get(url, {"status": "resigned"})) == []


def test_the_directory_answers_htmx_with_the_results_partial(staff_client, roster):
    response = staff_client.get(
        reverse("organisation:directory"),
        {"q": "王"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="directory-results",
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="directory-table"' in html
    assert "王芳" in html
    assert "李强" not in html


def test_the_directory_page_runs_a_fixed_number_of_queries(
    staff_client, committee, term, sector, django_assert_max_num_queries
):
    group = MemberGroupFactory(committee=committee)
    for _ in range(25):
        MembershipFactory(committee=committee, term=term, sector=sector, group=group)
    with django_assert_max_num_queries(15):
        response = staff_client.get(reverse("organisation:directory"))
    assert len(response.context["page"]) == 25


def test_a_unit_user_cannot_see_the_directory(login, make_user, committee, roster):
    client = login(make_user(committee, Role.UNIT))
    assert client.get(reverse("organisation:directory")).status_code == 403
    assert (
        client.get(reverse("organisation:member_detail", args=[roster["wang"].pk])).status_code
        == 403
    )
    assert client.get(reverse("organisation:units")).status_code == 200


# Export ----------------------------------------------------------------------------------------


def _export_rows(response):
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


@pytest.fixture
def chair_may_export():
    """Today only staff/admin export (and they see clear data); a role that may export without
    ``view_sensitive`` must get masked columns, so grant export to chairs for this test only."""
    import rules
    from rules.permissions import permissions

    original = permissions["organisation.export_roster"]
    rules.set_perm("organisation.export_roster", original | rules.is_authenticated)
    yield
    rules.set_perm("organisation.export_roster", original)


def test_export_masks_sensitive_columns_without_view_sensitive(
    login, make_user, committee, roster, chair_may_export
):
    client = login(make_user(committee, Role.CHAIR))
    response = client.get(reverse("organisation:directory_export"), {"q": "王"})
    [row] = _export_rows(response)
    assert (row["姓名"], row["身份证号"], row["手机号码"], row["宗教信仰"], row["是否常委"]) == (
        "王芳",
        "330***********0012",
        "139****5678",
        "***",
        "是",
    )
    audit = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert audit.after == {"rows": 1, "filters": {"q": "王"}, "sensitive_in_clear": False}


def test_staff_export_has_sensitive_columns_in_clear_and_the_page_filters(
    staff_client, roster, sector
):
    response = staff_client.get(reverse("organisation:directory_export"), {"sector": sector.pk})
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = _export_rows(response)
    assert [r["姓名"] for r in rows] == ["王芳", "赵敏"]
    assert (rows[0]["身份证号"], rows[0]["手机号码"], rows[0]["宗教信仰"]) == (
        "330102197501010012",
        "13912345678",
        "佛教",
    )
    assert AuditEntry.objects.get(action=AuditAction.EXPORT).after["sensitive_in_clear"] is True


def test_a_member_cannot_export(login, make_user, committee, roster):
    client = login(make_user(committee, Role.MEMBER))
    assert client.get(reverse("organisation:directory_export")).status_code == 403
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 0


# Member page ---------------------------------------------------------------------------------


def test_another_member_sees_masked_data_and_no_audit_row_is_written(
    login, make_user, committee, roster
):
    client = login(make_user(committee, Role.MEMBER))
    response = client.get(reverse("organisation:member_detail", args=[roster["wang"].pk]))
    html = response.content.decode()
    assert response.context["show_sensitive"] is False
    assert "330***********0012" in html
    assert "139****5678" in html
    assert "13912345678" not in html
    assert "佛教" not in html
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_SENSITIVE).count() == 0


def test_staff_see_sensitive_data_and_an_audit_row_records_it(
    staff_client, staff_user, committee, roster
):
    wang = roster["wang"]
    response = staff_client.get(reverse("organisation:member_detail", args=[wang.pk]))
    html = response.content.decode()
    assert "330102197501010012" in html
    assert "13912345678" in html
    assert "佛教" in html
    audit = AuditEntry.objects.get(action=AuditAction.VIEW_SENSITIVE)
    assert (audit.actor, audit.object_type, audit.object_id, audit.committee) == (
        staff_user,
        "organisation.Person",
        str(wang.person_id),
        committee,
    )


def test_a_member_sees_their_own_record_in_clear_without_an_audit_row(
    login, make_user, committee, roster
):
    user = make_user(committee, Role.MEMBER)
    person = roster["wang"].person
    person.user = user
    person.save(update_fields=["user"])
    response = login(user).get(reverse("organisation:member_detail", args=[roster["wang"].pk]))
    assert "13912345678" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_SENSITIVE).count() == 0


def test_the_member_page_lists_positions_and_status_history(staff_client, staff_user, roster):
    wang = roster["wang"]
    with scope(committee=wang.committee):
        services.membership_change_status(
            membership=wang,
            kind="resigned",
            effective_on=D(2025, 3, 1),
            decided_by="十届常委会第九次会议",
            note="",
            actor=staff_user,
        )
    response = staff_client.get(reverse("organisation:member_detail", args=[wang.pk]))
    [position] = response.context["positions"]
    assert (position.kind, position.ends_on, position.end_reason) == (
        "standing",
        D(2025, 3, 1),
        "resigned",
    )
    assert [(h.kind, h.decided_by) for h in response.context["history"]] == [
        ("resigned", "十届常委会第九次会议")
    ]


def test_another_committees_member_answers_404_everywhere(staff_client, other_committee, roster):
    with scope(committee=other_committee):
        elsewhere = MembershipFactory(committee=other_committee)
    for name in ("member_detail", "member_edit"):
        assert (
            staff_client.get(reverse(f"organisation:{name}", args=[elsewhere.pk])).status_code
            == 404
        )
    for name in ("member_status", "position_add"):
        response = staff_client.post(reverse(f"organisation:{name}", args=[elsewhere.pk]), {})
        assert response.status_code == 404


def test_staff_resign_a_member_from_the_member_page(staff_client, committee, roster):
    wang = roster["wang"]
    url = reverse("organisation:member_status", args=[wang.pk])
    data = {"kind": "resigned", "effective_on": "2025-03-01", "decided_by": "常委会", "note": ""}
    response = staff_client.post(url, data)
    assert response.status_code == 302
    again = staff_client.post(url, data)
    assert again.status_code == 400
    assert "该委员当前状态为「辞去」,不能办理「辞去」。" in again.content.decode()
    with scope(committee=committee):
        assert Membership.objects.get(pk=wang.pk).status == MembershipStatus.RESIGNED
        assert MembershipStatusChange.objects.filter(subject=wang).count() == 1


def test_a_status_change_without_a_date_changes_nothing(staff_client, committee, roster):
    wang = roster["wang"]
    response = staff_client.post(
        reverse("organisation:member_status", args=[wang.pk]),
        {"kind": "resigned", "effective_on": "", "decided_by": "常委会"},
    )
    assert response.status_code == 400
    assert response.context["status_form"].errors == {"effective_on": ["这个字段是必填项。"]}
    with scope(committee=committee):
        assert Membership.objects.get(pk=wang.pk).status == MembershipStatus.IN_OFFICE


def test_staff_add_and_end_a_position(staff_client, committee, roster):
    li = roster["li"]
    response = staff_client.post(
        reverse("organisation:position_add", args=[li.pk]),
        {
            "kind": "office",
            "office": "vice_chair",
            "starts_on": "2023-01-05",
            "decided_by": "十届二次会议",
        },
    )
    assert response.status_code == 302
    with scope(committee=committee):
        position = Position.objects.get(membership=li)
    response = staff_client.post(
        reverse("organisation:position_end", args=[li.pk, position.pk]),
        {f"end{position.pk}-ends_on": "2025-01-05", f"end{position.pk}-reason": "changed"},
    )
    assert response.status_code == 302
    with scope(committee=committee):
        position.refresh_from_db()
    assert (str(position), position.ends_on, position.end_reason) == (
        "副主席",
        D(2025, 1, 5),
        "changed",
    )


def test_staff_edit_a_member(staff_client, committee, roster, sector):
    li = roster["li"]
    url = reverse("organisation:member_edit", args=[li.pk])
    form = staff_client.get(url).context["person_form"]
    data = {f"person-{k}": v or "" for k, v in form.initial.items() if k != "id"}
    data.update(
        {
            "person-phone": "13800000000",
            "seat-sector": sector.pk,
            "seat-work_unit": "县教育局",
            "seat-joined_on": "2022-01-10",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302
    with scope(committee=committee):
        li = Membership.objects.select_related("person").get(pk=li.pk)
    assert (li.person.phone, li.sector, li.work_unit) == ("13800000000", sector, "县教育局")


def test_staff_create_a_member(staff_client, committee, term, sector):
    response = staff_client.post(
        reverse("organisation:member_create"),
        {
            "person-name": "孙新",
            "person-gender": "male",
            "person-id_number": id_number(7),
            "seat-term": term.pk,
            "seat-sector": sector.pk,
            "seat-joined_on": "2024-06-01",
            "seat-kind": "added",
            "seat-decided_by": "十届常委会第八次会议",
        },
    )
    assert response.status_code == 302
    with scope(committee=committee):
        m = Membership.objects.get(person__name="孙新")
        assert [(h.kind, h.decided_by) for h in m.history.all()] == [
            ("added", "十届常委会第八次会议")
        ]


def test_a_member_cannot_edit_or_change_status(login, make_user, committee, roster):
    client = login(make_user(committee, Role.MEMBER))
    wang = roster["wang"]
    assert client.get(reverse("organisation:member_edit", args=[wang.pk])).status_code == 403
    response = client.post(
        reverse("organisation:member_status", args=[wang.pk]),
        {"kind": "resigned", "effective_on": "2025-03-01", "decided_by": "x"},
    )
    assert response.status_code == 403


# Structure -------------------------------------------------------------------------------------


def test_staff_create_a_sector_and_a_duplicate_name_is_refused(staff_client, committee, sector):
    url = reverse("organisation:structure_create", args=["sector"])
    assert staff_client.post(url, {"name": "科技界", "position": 3}).status_code == 302
    response = staff_client.post(url, {"name": "科技界", "position": 4})
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["界别「科技界」已存在。"]}
    with scope(committee=committee):
        assert list(Sector.objects.values_list("name", flat=True).order_by("name")) == sorted(
            [sector.name, "科技界"]
        )


def test_staff_edit_a_unit_and_create_a_session(staff_client, committee, term):
    with scope(committee=committee):
        unit = HandlingUnit.objects.create(committee=committee, name="县教育局")
    response = staff_client.post(
        reverse("organisation:structure_edit", args=["unit", unit.pk]),
        {"name": "县教育体育局", "kind": "department", "is_active": "on"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "县教育体育局"
    bad = staff_client.post(
        reverse("organisation:structure_create", args=["session"]),
        {
            "term": term.pk,
            "number": 1,
            "name": "十届一次会议",
            "opens_on": "2022-01-12",
            "closes_on": "2022-01-10",
        },
    )
    assert bad.context["form"].errors == {"closes_on": ["闭幕日期不能早于开幕日期。"]}


def test_another_committees_structure_answers_404(staff_client, other_committee):
    with scope(committee=other_committee):
        term = TermFactory(committee=other_committee)
    url = reverse("organisation:structure_edit", args=["term", term.pk])
    assert staff_client.get(url).status_code == 404
    assert (
        staff_client.get(reverse("organisation:structure_create", args=["nope"])).status_code == 404
    )


def test_a_member_cannot_maintain_the_structure(login, make_user, committee):
    client = login(make_user(committee, Role.MEMBER))
    assert client.get(reverse("organisation:structure")).status_code == 403
    assert (
        client.post(
            reverse("organisation:structure_create", args=["sector"]), {"name": "x"}
        ).status_code
        == 403
    )


def test_the_structure_hub_lists_everything(staff_client, committee, term, sector, roster):
    response = staff_client.get(reverse("organisation:structure"))
    assert response.status_code == 200
    assert [s.name for s in response.context["sectors"]] == [sector.name, "教育界"]
    assert [s.members for s in response.context["sectors"]] == [2, 1]
