"""Activity and plan pages: list (filters, query count), detail for each role, forms, sign-up,
attendance, reports, joint sharing."""

import datetime

import pytest
from django.urls import reverse
from django_scopes import scope

from tests.activities.factories import activity
from tests.factories import CommitteeFactory, MembershipFactory, TermFactory, user_with_role
from zhengxie.activities import services
from zhengxie.activities.models import Activity, ActivityReport, Participation, Plan, PlanItem
from zhengxie.core.models import DutyRecord, Role

pytestmark = pytest.mark.django_db


def test_list_filters_and_query_count(client, county, django_assert_max_num_queries):
    staff = county.staff
    for i in range(6):
        activity(
            staff,
            county.committee,
            title=f"活动{i}",
            category="research" if i % 2 else "inspection",
            state="held" if i < 4 else "planned",
        )
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("activities:list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 6
    response = client.get(
        reverse("activities:list"),
        {"category": "research", "state": "held", "year": "bad"},
        HTTP_HX_REQUEST="true",
    )
    assert [a.title for a in response.context["page"]] == ["活动3", "活动1"]
    assert response.content.decode().lstrip().startswith('<div id="activity-results">')


def test_units_and_public_cannot_see_activities(client, county):
    a = activity(county.staff, county.committee)
    client.force_login(county.units[0][0])
    assert client.get(reverse("activities:list")).status_code == 403
    assert client.get(reverse("activities:detail", args=[a.pk])).status_code == 404
    public = user_with_role(county.committee, Role.PUBLIC)
    client.force_login(public)
    assert client.get(reverse("activities:detail", args=[a.pk])).status_code == 404


def test_staff_create_an_activity_from_a_plan_item(client, county):
    with scope(committee=county.committee):
        plan = services.plan_create(
            actor=county.staff, committee=county.committee, data={"year": 2026, "kind": "topics"}
        )
        item = services.plan_item_add(
            actor=county.staff,
            plan=plan,
            data={"topic": "全县养老服务体系建设情况", "category": "research", "planned_month": 6},
        )
    client.force_login(county.staff)
    page = client.get(reverse("activities:create"), {"plan_item": item.pk})
    assert page.context["form"].initial["title"] == "全县养老服务体系建设情况"
    response = client.post(
        reverse("activities:create"),
        {
            "plan_item": item.pk,
            "title": "全县养老服务体系建设情况调研",
            "category": "research",
            "kind": "调研",
            "starts_on": "2026-06-10",
            "half_days": "2",
        },
    )
    with scope(committee=county.committee):
        created = Activity.objects.get()
    assert response.status_code == 302
    assert (created.plan_item, created.half_days, created.state) == (item, 2, "planned")
    plan_page = client.get(reverse("activities:plan_detail", args=[plan.pk]))
    assert [i.held for i in plan_page.context["items"]] == [False]
    client.post(reverse("activities:act", args=[created.pk, "hold"]))
    plan_page = client.get(reverse("activities:plan_detail", args=[plan.pk]))
    assert [i.held for i in plan_page.context["items"]] == [True]
    assert "已开展" in plan_page.content.decode()


def test_create_form_shows_service_errors_in_chinese(client, county):
    client.force_login(county.staff)
    response = client.post(
        reverse("activities:create"),
        {
            "title": "视察",
            "category": "inspection",
            "starts_on": "2026-06-10",
            "ends_on": "2026-06-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"ends_on": ["结束日期不能早于开始日期。"]}


def test_member_signs_up_and_cannot_manage(client, county):
    user, membership = county.members[0]
    a = activity(county.staff, county.committee, state="open")
    client.force_login(user)
    page = client.get(reverse("activities:detail", args=[a.pk]))
    assert (page.context["can_sign_up"], page.context["assign_form"], page.context["actions"]) == (
        True,
        None,
        [],
    )
    assert client.get(reverse("activities:edit", args=[a.pk])).status_code == 403
    assert client.post(reverse("activities:act", args=[a.pk, "hold"])).status_code == 403
    assert client.post(reverse("activities:assign", args=[a.pk]), {}).status_code == 403
    assert client.post(reverse("activities:attendance", args=[a.pk]), {}).status_code == 403
    client.post(reverse("activities:sign_up", args=[a.pk]), {"next": "mine"})
    mine = client.get(reverse("activities:mine"))
    assert [p.membership for p in mine.context["participations"]] == [membership]
    assert [x.signed_up for x in mine.context["open_activities"]] == [True]


def test_staff_assign_record_attendance_and_write_a_report(client, county):
    a = activity(county.staff, county.committee, category="research", half_days="2")
    client.force_login(county.staff)
    m1, m2 = county.members[0][1], county.members[1][1]
    client.post(
        reverse("activities:assign", args=[a.pk]),
        {"memberships": [m1.pk, m2.pk], "role": "participant"},
    )
    client.post(reverse("activities:act", args=[a.pk, "hold"]))
    with scope(committee=county.committee):
        p1, p2 = Participation.objects.order_by("pk")
    post = {
        f"attendance_{p1.pk}": "attended",
        f"role_{p1.pk}": "lead",
        f"attendance_{p2.pk}": "absent",
    }
    client.post(reverse("activities:attendance", args=[a.pk]), post)
    client.post(reverse("activities:attendance", args=[a.pk]), post)
    response = client.post(
        reverse("activities:report_add", args=[a.pk]),
        {"title": "关于养老服务的调研报告", "written_on": "2026-06-01", "authors": [m1.pk]},
    )
    assert response.status_code == 302
    with scope(committee=county.committee):
        rows = list(
            DutyRecord.objects.order_by("pk").values_list(
                "membership", "kind", "sub_kind", "weight"
            )
        )
        assert ActivityReport.objects.get().title == "关于养老服务的调研报告"
    assert rows == [(m1.pk, "research", "participant", 1), (m1.pk, "research", "report", 1)]
    page = client.get(reverse("activities:detail", args=[a.pk]))
    assert page.context["attended"] == 1
    assert page.context["followup"]["can_add_recommendation"] is True


def test_joint_activity_is_seen_by_the_other_committee_only_after_sharing(client, county):
    city = CommitteeFactory(level="city", name="某市政协")
    city_staff = user_with_role(city, Role.STAFF, username="citystaff")
    city_member = MembershipFactory(committee=city, term=TermFactory(committee=city))
    a = activity(county.staff, county.committee, title="联动视察", state="held")
    client.force_login(city_staff)
    assert client.get(reverse("activities:detail", args=[a.pk])).status_code == 404
    client.force_login(county.staff)
    client.post(reverse("activities:share", args=[a.pk]), {"committee": city.pk})
    client.force_login(city_staff)
    page = client.get(reverse("activities:detail", args=[a.pk]))
    assert page.status_code == 200
    assert (page.context["own"], page.context["can_edit"], page.context["share_form"]) == (
        False,
        False,
        None,
    )
    assert client.get(reverse("activities:edit", args=[a.pk])).status_code == 403
    client.post(
        reverse("activities:assign", args=[a.pk]),
        {"memberships": [city_member.pk], "role": "participant"},
    )
    with scope(committee=city):
        p = Participation.objects.get()
    client.post(reverse("activities:attendance", args=[a.pk]), {f"attendance_{p.pk}": "attended"})
    with scope(committee=city):
        assert list(DutyRecord.objects.values_list("membership", "kind")) == [
            (city_member.pk, "inspection")
        ]
    with scope(committee=county.committee):
        assert DutyRecord.objects.count() == 0
        assert Participation.objects.count() == 0
    assert datetime  # date helpers used by sibling tests


def test_plan_pages(client, county):
    client.force_login(county.staff)
    response = client.post(reverse("activities:plan_create"), {"year": 2026, "kind": "topics"})
    with scope(committee=county.committee):
        plan = Plan.objects.get()
    assert response.status_code == 302
    assert plan.title == "2026年度视察调研监督议题计划"
    client.post(
        reverse("activities:plan_item_add", args=[plan.pk]),
        {"topic": "河长制落实情况", "category": "inspection", "planned_quarter": 2},
    )
    with scope(committee=county.committee):
        item = PlanItem.objects.get()
    assert item.when_label == "第2季度"
    assert client.get(reverse("activities:plan_list")).status_code == 200
    response = client.post(reverse("activities:plan_create"), {"year": 2026, "kind": "topics"})
    assert response.context["form"].errors == {"year": ["该年度的此类计划已存在。"]}
    client.post(reverse("activities:plan_item_delete", args=[item.pk]))
    with scope(committee=county.committee):
        assert PlanItem.objects.count() == 0


def test_every_page_renders_for_staff_chair_and_member(client, county):
    staff = county.staff
    with scope(committee=county.committee):
        plan = services.plan_create(
            actor=staff, committee=county.committee, data={"year": 2026, "kind": "topics"}
        )
        item = services.plan_item_add(
            actor=staff, plan=plan, data={"topic": "议题", "category": "research"}
        )
        a = activity(staff, county.committee, category="research", state="held", plan_item=item)
        services.participants_assign(actor=staff, activity=a, memberships=[county.members[0][1]])
        report = services.report_create(
            actor=staff, activity=a, data={"title": "调研报告", "written_on": "2026-06-01"}
        )
    staff_pages = [
        reverse("activities:list"),
        reverse("activities:create"),
        reverse("activities:detail", args=[a.pk]),
        reverse("activities:edit", args=[a.pk]),
        reverse("activities:report_edit", args=[report.pk]),
        reverse("activities:plan_list"),
        reverse("activities:plan_create"),
        reverse("activities:plan_detail", args=[plan.pk]),
        reverse("activities:plan_item_edit", args=[item.pk]),
        reverse("activities:history_import"),
    ]
    client.force_login(staff)
    assert [client.get(url).status_code for url in staff_pages] == [200] * len(staff_pages)
    chair = user_with_role(county.committee, Role.CHAIR)
    client.force_login(chair)
    assert [client.get(url).status_code for url in staff_pages] == [
        200, 403, 200, 403, 403, 200, 403, 200, 403, 403
    ]  # fmt: skip
    page = client.get(reverse("activities:detail", args=[a.pk]))
    assert [p.membership for p in page.context["participants"]] == [county.members[0][1]]
    client.force_login(county.members[1][0])
    page = client.get(reverse("activities:detail", args=[a.pk]))
    assert (page.status_code, page.context["participants"], page.context["mine"]) == (200, [], None)
    assert client.get(reverse("activities:mine")).status_code == 200


def test_all_pending_participants_can_be_marked_attended_at_once(client, county):
    a = activity(county.staff, county.committee, category="inspection", state="held")
    with scope(committee=county.committee):
        services.participants_assign(
            actor=county.staff, activity=a, memberships=[m for _u, m in county.members]
        )
    client.force_login(county.staff)
    client.post(reverse("activities:attendance", args=[a.pk]), {"all": "attended"})
    client.post(reverse("activities:attendance", args=[a.pk]), {"all": "attended"})
    with scope(committee=county.committee):
        assert set(Participation.objects.values_list("attendance", flat=True)) == {"attended"}
        assert DutyRecord.objects.filter(kind="inspection").count() == 3


def test_a_report_with_an_attachment(client, county):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = activity(county.staff, county.committee, category="inspection", state="held")
    client.force_login(county.staff)
    pdf = SimpleUploadedFile(
        "视察报告.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    response = client.post(
        reverse("activities:report_add", args=[a.pk]),
        {"title": "视察报告", "written_on": "2026-05-20", "attachment": pdf},
    )
    assert response.status_code == 302
    with scope(committee=county.committee):
        report = ActivityReport.objects.get()
        assert report.attachment.original_name == "视察报告.pdf"
    response = client.post(
        reverse("activities:report_add", args=[a.pk]), {"title": "", "written_on": "bad"}
    )
    assert response.status_code == 400
    assert set(response.context["report_form"].errors) == {"title", "written_on"}


def test_staff_assign_a_whole_sector_and_a_lead(client, county):
    a = activity(county.staff, county.committee)
    lead = county.members[0][1]
    client.force_login(county.staff)
    client.post(
        reverse("activities:assign", args=[a.pk]), {"memberships": [lead.pk], "role": "lead"}
    )
    response = client.post(
        reverse("activities:assign", args=[a.pk]),
        {"sector": county.sector.pk, "role": "participant"},
    )
    assert response.status_code == 302
    with scope(committee=county.committee):
        rows = list(Participation.objects.order_by("pk").values_list("membership", "role", "how"))
    assert rows == [
        (lead.pk, "lead", "assigned"),
        (county.members[1][1].pk, "participant", "assigned"),
        (county.members[2][1].pk, "participant", "assigned"),
    ]
    response = client.post(reverse("activities:assign", args=[a.pk]), {"role": "participant"})
    assert response.status_code == 400
    assert response.context["assign_form"].errors == {"memberships": ["请至少选择一位委员。"]}
