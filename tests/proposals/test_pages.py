import datetime

from django.urls import reverse

from zhengxie.proposals import services
from zhengxie.proposals.models import Proposal, ProposalHistory, ProposalState

FORM = {
    "title": "关于加强校园周边交通安全管理的建议",
    "situation": "上下学高峰期校门口车辆拥堵,存在安全隐患。",
    "suggestions": "一是设置临时停车区;二是增派交警和志愿者疏导。",
    "publish_consent": "on",
}
DATA = {**FORM, "publish_consent": True}


def test_a_member_writes_and_submits_a_proposal(client, county):
    user, lead = county.members[0]
    client.force_login(user)
    response = client.post(
        reverse("proposals:create"), {**FORM, "category": county.category.pk, "submit_now": "1"}
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert (proposal.state, proposal.lead, proposal.title) == (
        ProposalState.SUBMITTED,
        lead,
        FORM["title"],
    )
    page = client.get(reverse("proposals:detail", args=[proposal.pk]))
    assert page.status_code == 200
    assert [row["action"] for row in page.context["timeline"]] == ["提交"]
    assert [a["t"].action for a in page.context["actions"]] == ["withdraw"]


def test_bad_input_shows_chinese_errors_and_saves_nothing(client, county):
    user, _lead = county.members[0]
    client.force_login(user)
    response = client.post(
        reverse("proposals:create"), {**FORM, "title": "", "publish_consent": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "这个字段是必填项。" in body or "请填写案由" in body
    assert Proposal.objects.count() == 0
    response = client.post(reverse("proposals:create"), {**FORM, "publish_consent": ""})
    assert "不同意公开时请说明理由。" in response.content.decode()
    assert Proposal.objects.count() == 0


def test_staff_review_queue_and_register_with_buttons_from_the_table(
    client, county, django_assert_max_num_queries
):
    user, _lead = county.members[0]
    for i in range(3):
        p = services.proposal_create(
            actor=user, committee=county.committee, data={**DATA, "title": f"建议{i}"}
        )
        services.proposal_submit(actor=user, proposal=p)
    client.force_login(county.staff)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("proposals:list"))
    assert response.context["view"] == "review"
    assert response.context["page"].paginator.count == 3
    proposal = Proposal.objects.order_by("pk").first()
    detail = client.get(reverse("proposals:detail", args=[proposal.pk]))
    assert [a["t"].action for a in detail.context["actions"]] == [
        "start_review",
        "register",
        "not_register",
        "to_opinion_letter",
        "to_public_opinion",
        "merge",
    ]
    response = client.post(
        reverse("proposals:act", args=[proposal.pk, "not_register"]), {"not_register-ground": ""}
    )
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    client.post(reverse("proposals:act", args=[proposal.pk, "register"]), {})
    proposal.refresh_from_db()
    assert (proposal.state, proposal.number) == (ProposalState.REGISTERED, 1)


def test_bulk_register_is_all_or_nothing(client, county):
    user, _lead = county.members[0]
    ids = []
    for i in range(2):
        p = services.proposal_create(
            actor=user, committee=county.committee, data={**DATA, "title": f"建议{i}"}
        )
        ids.append(services.proposal_submit(actor=user, proposal=p).pk)
    services.proposal_withdraw(actor=user, proposal=Proposal.objects.get(pk=ids[1]))
    client.force_login(county.staff)
    response = client.post(reverse("proposals:bulk_register"), {"ids": ids}, follow=True)
    assert "没有任何提案被立案" in response.content.decode()
    assert ProposalHistory.objects.filter(action="register").count() == 0


def test_a_unit_sees_only_its_own_cases(client, county):
    user, _lead = county.members[0]
    p = services.proposal_submit(
        actor=user,
        proposal=services.proposal_create(actor=user, committee=county.committee, data=DATA),
    )
    p = services.proposal_review(actor=county.staff, proposal=p, action="register")
    (u1, unit1), (u2, _unit2) = county.units[0], county.units[1]
    p = services.proposal_assign(actor=county.staff, proposal=p, mode="single", units=[unit1])
    assignment = p.assignments.get()
    client.force_login(u2)
    assert client.get(reverse("proposals:detail", args=[p.pk])).status_code == 404
    assert (
        client.post(reverse("proposals:assignment_act", args=[assignment.pk, "accept"])).status_code
        == 404
    )
    assert client.get(reverse("proposals:list")).context["page"].paginator.count == 0
    client.force_login(u1)
    assert client.get(reverse("proposals:list")).context["page"].paginator.count == 1
    client.post(reverse("proposals:assignment_act", args=[assignment.pk, "accept"]))
    response = client.post(
        reverse("proposals:assignment_act", args=[assignment.pk, "contact"]),
        {
            f"a{assignment.pk}-contact-way": "phone",
            f"a{assignment.pk}-contact-summary": "电话沟通",
            f"a{assignment.pk}-contact-contact_on": str(
                datetime.date.today() + datetime.timedelta(days=3)
            ),
        },
    )
    assert response.status_code == 400
    assert "沟通日期不能晚于今天。" in response.content.decode()


def test_members_do_not_see_others_drafts(client, county):
    user, _lead = county.members[0]
    other, _m = county.members[1]
    draft = services.proposal_create(actor=user, committee=county.committee, data=DATA)
    client.force_login(other)
    assert client.get(reverse("proposals:detail", args=[draft.pk])).status_code == 404
    client.force_login(county.staff)
    assert client.get(reverse("proposals:detail", args=[draft.pk])).status_code == 404


def test_a_file_that_lies_about_its_type_is_refused_and_nothing_is_saved(client, county):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user, _lead = county.members[0]
    client.force_login(user)
    fake = SimpleUploadedFile(
        "调研报告.pdf", b"just text, not a pdf", content_type="application/pdf"
    )
    response = client.post(reverse("proposals:create"), {**FORM, "attachment": fake})
    assert response.status_code == 400
    assert Proposal.objects.count() == 0


def test_staff_maintain_categories_with_the_livelihood_grouping(client, county):
    from zhengxie.proposals.models import ProposalCategory

    client.force_login(county.staff)
    data = {
        "name": "养老服务",
        "group": "society",
        "is_livelihood": "on",
        "position": 3,
        "is_active": "on",
    }
    assert client.post(reverse("proposals:categories"), data).status_code == 302
    created = ProposalCategory.objects.get(name="养老服务")
    assert (created.group, created.is_livelihood) == ("society", True)
    response = client.post(reverse("proposals:categories"), {**data, "name": "教育"})
    assert response.status_code == 400
    assert "已存在" in response.content.decode()
    user, _lead = county.members[0]
    client.force_login(user)
    assert client.get(reverse("proposals:categories")).status_code == 403


def test_the_list_filters_by_sector(client, county):
    from tests.factories import SectorFactory

    user, _lead = county.members[0]
    p = services.proposal_create(actor=user, committee=county.committee, data=DATA)
    services.proposal_submit(actor=user, proposal=p)
    client.force_login(county.staff)
    other = SectorFactory(committee=county.committee, name="医药卫生界")
    url = reverse("proposals:list")
    assert (
        client.get(url, {"view": "all", "sector": county.sector.pk}).context["page"].paginator.count
        == 1
    )
    assert client.get(url, {"view": "all", "sector": other.pk}).context["page"].paginator.count == 0


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _key_proposal(county):
    user, _lead = county.members[0]
    p = services.proposal_submit(
        actor=user,
        proposal=services.proposal_create(actor=user, committee=county.committee, data=DATA),
    )
    p = services.proposal_review(actor=county.staff, proposal=p, action="register")
    _u1, unit = county.units[0]
    p = services.proposal_assign(actor=county.staff, proposal=p, mode="single", units=[unit])
    services.key_propose(actor=county.staff, proposal=p)
    return services.key_decide(
        actor=county.staff,
        proposal=p,
        decided_on=datetime.date.today(),
        decided_by="主席会议",
        leader="周县长",
    )


def test_a_supervision_record_keeps_its_photo_and_the_page_stays_cheap(
    client, county, django_assert_max_num_queries
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    proposal = _key_proposal(county)
    client.force_login(county.staff)
    response = client.post(
        reverse("proposals:supervision_add", args=[proposal.pk]),
        {
            "sup-held_on": str(datetime.date.today()),
            "sup-form": "面对面督办",
            "sup-participants": "政协领导、承办单位、提案人",
            "sup-notes": "现场查看并座谈",
            "sup-photo": SimpleUploadedFile("现场.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    with django_assert_max_num_queries(30):
        page = client.get(reverse("proposals:detail", args=[proposal.pk]))
    [record] = page.context["supervision_records"]
    assert [p.original_name for p in record.photos] == ["现场.png"]


def test_a_supervision_record_with_a_bad_photo_saves_nothing(client, county):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhengxie.proposals.models import SupervisionRecord

    proposal = _key_proposal(county)
    client.force_login(county.staff)
    response = client.post(
        reverse("proposals:supervision_add", args=[proposal.pk]),
        {
            "sup-held_on": str(datetime.date.today()),
            "sup-form": "面对面督办",
            "sup-participants": "政协领导",
            "sup-notes": "座谈",
            "sup-photo": SimpleUploadedFile("现场.png", b"not an image", content_type="image/png"),
        },
    )
    assert response.status_code == 400
    assert SupervisionRecord.objects.count() == 0
