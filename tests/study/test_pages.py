import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django_scopes import scope

from tests.study.conftest import LAST_WEEK, NEXT_WEEK, TODAY
from zhengxie.core.models import DutyRecord
from zhengxie.core.navigation import navigation_for
from zhengxie.study import services
from zhengxie.study.models import (
    Attendance,
    Distribution,
    ReadingGroup,
    ReadingSession,
    StudyMaterial,
    StudyPlan,
    StudyPlanItem,
    StudySession,
)


def _in(study, fn):
    with scope(committee=study.committee):
        return fn()


# Navigation and permissions -------------------------------------------------------------------


def test_the_section_shows_each_role_its_pages(rf, study):
    def labels(user):
        request = rf.get("/")
        request.user, request.active_role = user, user.active_role
        return [i["label"] for i in navigation_for(request) if i["section"] == "学习培训"]

    everything = ["学习计划", "学习培训活动", "学习资料", "书香政协", "学习统计"]
    assert labels(study.staff) == everything
    assert labels(study.chair) == everything
    assert labels(study.member()) == [
        "学习计划",
        "学习培训活动",
        "学习资料",
        "书香政协",
        "我的学习",
    ]
    assert labels(study.unit_user) == []


def test_units_see_nothing(client, login, study):
    login(study.unit_user)
    for name in ("plan_list", "session_list", "material_list", "group_list", "stats", "mine"):
        assert client.get(reverse(f"study:{name}")).status_code == 403, name


def test_a_member_sees_published_plans_only(client, login, study):
    draft = _in(study, lambda: study.plan(year=TODAY.year + 1))
    published = _in(study, lambda: study.plan(year=TODAY.year))
    _in(study, lambda: services.plan_publish(actor=study.staff, plan=published))
    login(study.member())
    response = client.get(reverse("study:plan_list"))
    assert [p.pk for p in response.context["plans"]] == [published.pk]
    assert client.get(reverse("study:plan_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("study:plan_detail", args=[published.pk])).status_code == 200
    assert client.get(reverse("study:plan_edit", args=[published.pk])).status_code == 403
    assert client.get(reverse("study:plan_create")).status_code == 403


def test_a_member_sees_own_sessions_and_open_trainings_only(client, login, study):
    mine = _in(study, lambda: study.session(invite=study.memberships[:1]))
    others = _in(study, lambda: study.session(invite=study.memberships[1:2], title="别人的学习"))
    training = _in(
        study,
        lambda: study.session(
            kind="training", day=NEXT_WEEK, invite=[], signup_open=True, title="履职能力培训班"
        ),
    )
    login(study.member())
    listed = client.get(reverse("study:session_list")).context["page"]
    assert sorted(s.pk for s in listed) == sorted([mine.pk, training.pk])
    assert client.get(reverse("study:session_detail", args=[others.pk])).status_code == 404
    response = client.get(reverse("study:session_detail", args=[mine.pk]))
    assert (response.status_code, response.context["rows"], response.context["own"].state) == (
        200,
        [],
        "invited",
    )
    assert client.post(reverse("study:session_act", args=[mine.pk, "hold"])).status_code == 403
    assert client.post(reverse("study:session_attendance", args=[mine.pk]), {}).status_code == 403


def test_the_chair_reads_but_does_not_manage(client, login, study):
    session = _in(study, lambda: study.session())
    login(study.chair)
    response = client.get(reverse("study:session_detail", args=[session.pk]))
    assert (response.status_code, len(response.context["rows"]), response.context["actions"]) == (
        200,
        3,
        [],
    )
    assert client.get(reverse("study:session_create")).status_code == 403
    assert client.post(reverse("study:session_act", args=[session.pk, "hold"])).status_code == 403
    _in(study, session.refresh_from_db)
    assert session.state == "planned"


# Plans ----------------------------------------------------------------------------------------


def test_staff_create_a_plan_add_items_and_publish(client, login, study):
    login(study.staff)
    response = client.post(reverse("study:plan_create"), {"year": TODAY.year, "title": ""})
    plan = _in(study, lambda: StudyPlan.objects.get())
    assert response.url == reverse("study:plan_detail", args=[plan.pk])
    assert plan.title == f"{TODAY.year}年度学习计划"
    url = reverse("study:item_add", args=[plan.pk])
    bad = client.post(url, {"topic": "界别学习", "kind": "study", "audience": "sector"})
    assert bad.status_code == 400
    assert bad.context["item_form"].errors == {"sector": ["请选择界别。"]}
    ok = client.post(
        url,
        {
            "topic": "学习中共中央关于加强新时代人民政协工作的意见",
            "kind": "study",
            "planned_month": "3",
            "audience": "group",
            "group": study.group.pk,
        },
    )
    assert ok.status_code == 302
    item = _in(study, lambda: StudyPlanItem.objects.get())
    assert (item.audience, item.group_id, item.planned_month) == ("group", study.group.pk, 3)
    client.post(reverse("study:plan_act", args=[plan.pk, "publish"]))
    _in(study, plan.refresh_from_db)
    assert plan.state == "published"
    detail = client.get(reverse("study:plan_detail", args=[plan.pk]))
    assert detail.context["actions"] == []
    assert [h["label"] for h in detail.context["history"]] == ["登记", "发布计划"]


def test_an_item_is_edited_and_deleted(client, login, study):
    plan = _in(study, lambda: study.plan())
    item = _in(study, lambda: plan.items.get())
    login(study.staff)
    url = reverse("study:item_edit", args=[item.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "topic": "专题培训",
            "kind": "training",
            "audience": "list",
            "memberships": [m.pk for m in study.memberships[:2]],
        },
    )
    assert response.status_code == 302
    _in(study, item.refresh_from_db)
    assert item.audience_label == "指定委员:李明、王芳"
    client.post(reverse("study:item_delete", args=[item.pk]))
    assert _in(study, lambda: StudyPlanItem.objects.count()) == 0


def test_the_plan_page_shows_which_items_were_held(
    client, login, study, django_assert_max_num_queries
):
    plan = _in(study, lambda: study.plan(items=6))
    items = _in(study, lambda: list(plan.items.order_by("position")))
    for item in items[:3]:
        _in(
            study, lambda item=item: study.held_with(study.session(plan_item=item), {0: "attended"})
        )
    login(study.member())
    _in(study, lambda: services.plan_publish(actor=study.staff, plan=plan))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("study:plan_detail", args=[plan.pk]))
    assert [i.held for i in response.context["items"]] == [True] * 3 + [False] * 3


# Sessions -------------------------------------------------------------------------------------


def test_the_session_list_is_filtered_in_a_fixed_number_of_queries(
    client, login, study, django_assert_max_num_queries
):
    for n in range(12):
        _in(
            study,
            lambda n=n: study.session(
                title=f"第{n}期集体学习", kind="study" if n % 3 else "training"
            ),
        )
    login(study.staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("study:session_list"))
    assert response.context["page"].paginator.count == 12
    assert {(s.expected, s.attended) for s in response.context["page"]} == {(3, 0)}
    trainings = client.get(reverse("study:session_list"), {"kind": "training"})
    assert trainings.context["page"].paginator.count == 4
    partial = client.get(
        reverse("study:session_list"), {"q": "第1期"}, headers={"HX-Request": "true"}
    )
    assert (
        "<table" in partial.content.decode()
        and '<nav class="navbar' not in partial.content.decode()
    )


def test_staff_run_a_session_from_plan_item_to_ledger(client, login, study):
    plan = _in(study, lambda: study.plan())
    item = _in(study, lambda: plan.items.get())
    login(study.staff)
    form = client.get(reverse("study:session_create"), {"plan_item": item.pk})
    assert form.context["form"].initial["title"] == "学习主题1"
    response = client.post(
        f"{reverse('study:session_create')}?plan_item={item.pk}",
        {"kind": "study", "title": "学习主题1", "date": LAST_WEEK.isoformat(), "half_days": "1"},
    )
    session = _in(study, lambda: StudySession.objects.get())
    assert response.url == reverse("study:session_detail", args=[session.pk])
    assert session.plan_item_id == item.pk
    detail = client.get(reverse("study:session_detail", args=[session.pk]))
    assert detail.context["invite_form"].initial["audience"] == "all"
    client.post(
        reverse("study:session_invite", args=[session.pk]),
        {"audience": "group", "group": study.group.pk},
    )
    rows = _in(study, lambda: list(Attendance.objects.order_by("pk")))
    assert len(rows) == 2
    client.post(reverse("study:session_act", args=[session.pk, "hold"]))
    client.post(
        reverse("study:session_attendance", args=[session.pk]),
        {f"state_{rows[0].pk}": "attended", f"state_{rows[1].pk}": "leave"},
    )
    client.post(reverse("study:session_act", args=[session.pk, "close"]))
    _in(study, session.refresh_from_db)
    assert session.state == "closed"
    records = _in(
        study,
        lambda: list(
            DutyRecord.objects.filter(
                source_type=ContentType.objects.get_for_model(StudySession)
            ).values_list("membership_id", "kind", "sub_kind")
        ),
    )
    assert records == [(rows[0].membership_id, "study", "study")]
    again = client.post(reverse("study:session_act", args=[session.pk, "close"]), follow=True)
    assert "可能已被他人处理" in again.content.decode()
    assert _in(study, lambda: DutyRecord.objects.count()) == 1


def test_a_bad_invitation_shows_the_error_on_the_form(client, login, study):
    session = _in(study, lambda: study.session(invite=[]))
    login(study.staff)
    response = client.post(reverse("study:session_invite", args=[session.pk]), {"audience": "list"})
    assert response.status_code == 400
    assert response.context["invite_form"].errors == {"memberships": ["请选择至少一位委员。"]}
    assert _in(study, lambda: Attendance.objects.count()) == 0


def test_a_member_signs_up_from_the_page(client, login, study):
    training = _in(
        study,
        lambda: study.session(kind="training", day=NEXT_WEEK, invite=[], signup_open=True),
    )
    login(study.member(3))
    detail = client.get(reverse("study:session_detail", args=[training.pk]))
    assert detail.context["can_sign_up"] is True
    client.post(reverse("study:session_sign_up", args=[training.pk]))
    row = _in(study, lambda: Attendance.objects.get())
    assert (row.membership_id, row.how) == (study.memberships[3].pk, "signed_up")
    mine = client.get(reverse("study:mine"))
    assert [a.session_id for a in mine.context["upcoming"]] == [training.pk]
    assert list(mine.context["open_trainings"]) == []
    client.post(reverse("study:session_withdraw", args=[training.pk]))
    assert _in(study, lambda: Attendance.objects.count()) == 0


def test_bad_session_input_shows_chinese_errors_and_writes_nothing(client, login, study):
    login(study.staff)
    response = client.post(
        reverse("study:session_create"),
        {"kind": "study", "title": "学习", "date": TODAY.isoformat(), "half_days": "0.3"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"half_days": ["时长应为0.5至20个半天,按0.5递增。"]}
    assert _in(study, lambda: StudySession.objects.count()) == 0


def test_mine_shows_my_sessions_groups_and_reading(client, login, study):
    _in(study, lambda: services.session_close(
        actor=study.staff, session=study.held_with(study.session(), {0: "attended"})
    ))  # fmt: skip
    _in(study, lambda: study.session(day=NEXT_WEEK, title="下周学习"))
    group = _in(study, lambda: study.group_with())
    _in(
        study,
        lambda: services.reading_session_create(
            actor=study.staff, group=group, data={"date": NEXT_WEEK, "half_days": 1}
        ),
    )
    login(study.member())
    response = client.get(reverse("study:mine"))
    assert [a.session.title for a in response.context["upcoming"]] == ["下周学习"]
    assert [a.state for a in response.context["past"]] == ["attended"]
    assert [g.name for g in response.context["groups"]] == ["书香政协第一读书小组"]
    assert [r.state for r in response.context["reading"]] == ["invited"]
    expected = 1 if LAST_WEEK.year == TODAY.year else 0
    assert response.context["attended_this_year"] == expected


# Materials ------------------------------------------------------------------------------------


def test_staff_register_a_material_and_its_distributions(client, login, study):
    login(study.staff)
    response = client.post(
        reverse("study:material_create"),
        {
            "title": "政协委员履职手册",
            "kind": "book",
            "tags": "履职、政协理论",
            "description": "新任委员必读",
        },
    )
    material = _in(study, lambda: StudyMaterial.objects.get())
    assert response.url == reverse("study:material_detail", args=[material.pk])
    url = reverse("study:distribution_add", args=[material.pk])
    bad = client.post(url, {"date": TODAY.isoformat(), "copies": "0"})
    assert bad.status_code == 400
    assert bad.context["form"].errors == {"copies": ["发放数量应为至少1册的整数。"]}
    client.post(url, {"date": TODAY.isoformat(), "copies": "80", "recipients": "全体委员"})
    client.post(url, {"date": TODAY.isoformat(), "copies": "20"})
    detail = client.get(reverse("study:material_detail", args=[material.pk]))
    assert detail.context["copies"] == 100
    listed = client.get(reverse("study:material_list"), {"tag": "履职"})
    assert [(m.title, m.copies) for m in listed.context["page"]] == [("政协委员履职手册", 100)]
    row = _in(study, lambda: Distribution.objects.get(copies=20))
    client.post(reverse("study:distribution_remove", args=[row.pk]))
    assert client.get(reverse("study:material_detail", args=[material.pk])).context["copies"] == 80


def test_a_bad_link_is_refused_on_the_page(client, login, study):
    login(study.staff)
    response = client.post(
        reverse("study:material_create"), {"title": "链接", "kind": "link", "url": "ftp://x.cn/a"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "url": ["请填写以 http:// 或 https:// 开头的有效网址。"]
    }
    assert _in(study, lambda: StudyMaterial.objects.count()) == 0


def test_the_library_lists_in_a_fixed_number_of_queries(
    client, login, study, django_assert_max_num_queries
):
    for n in range(15):
        material = _in(
            study,
            lambda n=n: services.material_create(
                actor=study.staff,
                committee=study.committee,
                data={"title": f"学习资料{n}", "kind": "book", "tags": "理论"},
            ),
        )
        _in(
            study,
            lambda material=material: services.distribution_add(
                actor=study.staff, material=material, data={"date": TODAY, "copies": 3}
            ),
        )
    login(study.member())
    with django_assert_max_num_queries(12):
        response = client.get(reverse("study:material_list"))
    assert response.context["page"].paginator.count == 15
    assert {m.copies for m in response.context["page"]} == {3}
    assert client.get(reverse("study:material_create")).status_code == 403


# Reading groups -------------------------------------------------------------------------------


def test_staff_form_a_group_and_hold_a_reading_session(client, login, study):
    login(study.staff)
    response = client.post(
        reverse("study:group_create"),
        {
            "name": "书香政协读书会",
            "leader": study.memberships[0].pk,
            "members": [m.pk for m in study.memberships[1:3]],
            "current_book": "《习近平谈治国理政》第四卷",
        },
    )
    group = _in(study, lambda: ReadingGroup.objects.get())
    assert response.url == reverse("study:group_detail", args=[group.pk])
    client.post(
        reverse("study:reading_session_create", args=[group.pk]),
        {"date": LAST_WEEK.isoformat(), "book_title": "", "half_days": "1"},
    )
    session = _in(study, lambda: ReadingSession.objects.get())
    assert session.book_title == "《习近平谈治国理政》第四卷"
    client.post(reverse("study:reading_attendance", args=[session.pk]), {"all": "attended"})
    client.post(
        reverse("study:reading_notes", args=[session.pk]), {"notes": "三位委员交流了读书体会。"}
    )
    client.post(reverse("study:reading_session_act", args=[session.pk, "close"]))
    _in(study, session.refresh_from_db)
    assert (session.state, session.notes) == ("closed", "三位委员交流了读书体会。")
    assert _in(study, lambda: DutyRecord.objects.filter(sub_kind="reading").count()) == 3


def test_a_member_sees_own_groups_only(client, login, study):
    own = _in(study, lambda: study.group_with(study.memberships[:2], name="第一读书小组"))
    other = _in(study, lambda: study.group_with(study.memberships[2:], name="第二读书小组"))
    session = _in(
        study,
        lambda: services.reading_session_create(
            actor=study.staff, group=other, data={"date": LAST_WEEK, "half_days": 1}
        ),
    )
    login(study.member())
    assert [g.name for g in client.get(reverse("study:group_list")).context["groups"]] == [
        "第一读书小组"
    ]
    assert client.get(reverse("study:group_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("study:group_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("study:reading_session_detail", args=[session.pk])).status_code == 404
    assert client.get(reverse("study:group_edit", args=[own.pk])).status_code == 403


@pytest.mark.parametrize("days", [0, 30])
def test_every_page_renders_for_staff(client, login, study, days):
    day = TODAY - datetime.timedelta(days=days)
    plan = _in(study, lambda: study.plan())
    session = _in(study, lambda: study.session(day=day))
    group = _in(study, lambda: study.group_with())
    reading = _in(
        study,
        lambda: services.reading_session_create(
            actor=study.staff, group=group, data={"date": day, "half_days": 1}
        ),
    )
    material = _in(
        study,
        lambda: services.material_create(
            actor=study.staff, committee=study.committee, data={"title": "书", "kind": "book"}
        ),
    )
    login(study.staff)
    urls = [
        reverse("study:plan_list"),
        reverse("study:plan_create"),
        reverse("study:plan_detail", args=[plan.pk]),
        reverse("study:plan_edit", args=[plan.pk]),
        reverse("study:session_list"),
        reverse("study:session_create"),
        reverse("study:session_detail", args=[session.pk]),
        reverse("study:session_edit", args=[session.pk]),
        reverse("study:material_list"),
        reverse("study:material_create"),
        reverse("study:material_detail", args=[material.pk]),
        reverse("study:material_edit", args=[material.pk]),
        reverse("study:group_list"),
        reverse("study:group_create"),
        reverse("study:group_detail", args=[group.pk]),
        reverse("study:group_edit", args=[group.pk]),
        reverse("study:reading_session_detail", args=[reading.pk]),
        reverse("study:stats"),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
