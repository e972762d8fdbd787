import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tests.study.conftest import LAST_WEEK, NEXT_WEEK, TODAY
from zhengxie.core.models import AuditEntry, DutyRecord, Notification
from zhengxie.core.workflow import InvalidTransition
from zhengxie.study import services
from zhengxie.study.models import (
    Attendance,
    Distribution,
    ReadingAttendance,
    ReadingSession,
    StudyMaterial,
    StudyPlan,
    StudyPlanHistory,
    StudyPlanItem,
    StudySession,
    StudySessionHistory,
)


def ledger(source=None):
    rows = DutyRecord.objects.filter(kind="study")
    if source is not None:
        rows = rows.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        )
    return list(
        rows.order_by("pk").values_list(
            "membership__person__name", "sub_kind", "half_days", "weight"
        )
    )


# Plans ----------------------------------------------------------------------------------------


def test_a_plan_is_created_as_a_draft_with_a_default_title(study):
    plan = services.plan_create(actor=study.staff, committee=study.committee, data={"year": 2026})
    assert (plan.title, plan.state, plan.published_on) == ("2026年度学习计划", "draft", None)
    assert list(StudyPlanHistory.objects.values_list("action", "to_state")) == [("create", "draft")]


def test_one_plan_per_year_and_nothing_is_written_twice(study):
    study.plan(year=2026)
    with pytest.raises(ValidationError) as error:
        services.plan_create(actor=study.staff, committee=study.committee, data={"year": 2026})
    assert error.value.message_dict == {"year": ["2026年度的学习计划已存在。"]}
    assert StudyPlan.objects.count() == 1


def test_the_database_refuses_a_second_plan_for_the_year(study):
    study.plan(year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        StudyPlan.objects.create(committee=study.committee, year=2026, title="重复")


def test_a_member_cannot_write_plans(study):
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=study.member(), committee=study.committee, data={"year": 2026})
    plan = study.plan()
    with pytest.raises(PermissionDenied):
        services.item_add(
            actor=study.chair, plan=plan, data={"topic": "x", "kind": "study", "audience": "all"}
        )
    with pytest.raises(PermissionDenied):
        services.plan_publish(actor=study.chair, plan=plan)
    assert StudyPlanItem.objects.count() == 1


def test_an_item_keeps_its_audience_and_its_parameter(study):
    plan = study.plan(year=TODAY.year, items=0)
    item = services.item_add(
        actor=study.staff,
        plan=plan,
        data={
            "topic": "学习全国政协十四届三次会议精神",
            "kind": "training",
            "planned_on": datetime.date(TODAY.year, 4, 15),
            "audience": "special_committee",
            "special_committee": study.special_committee,
            "note": "邀请市委党校讲授",
        },
    )
    assert (item.planned_month, item.when_label, item.audience_label) == (
        4,
        f"{TODAY.year}-04-15",
        "专门委员会组成人员:文史和学习委员会",
    )
    listed = services.item_add(
        actor=study.staff,
        plan=plan,
        data={
            "topic": "读书分享",
            "kind": "reading",
            "planned_month": 6,
            "audience": "list",
            "memberships": study.memberships[1:3],
        },
    )
    assert (listed.position, listed.when_label, listed.audience_label) == (
        2,
        "6月",
        "指定委员:王芳、赵强",
    )


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"topic": "", "kind": "lecture", "audience": "everyone"},
            {
                "topic": ["请填写学习主题。"],
                "kind": ["请选择学习形式。"],
                "audience": ["请选择学习对象。"],
            },
        ),
        (
            {"topic": "界别学习", "kind": "study", "audience": "sector"},
            {"sector": ["请选择界别。"]},
        ),
        (
            {"topic": "指定学习", "kind": "study", "audience": "list", "memberships": []},
            {"memberships": ["请选择至少一位委员。"]},
        ),
        (
            {
                "topic": "跨年",
                "kind": "study",
                "audience": "all",
                "planned_on": datetime.date(2020, 1, 5),
            },
            {"planned_on": ["计划日期应在2026年内。"]},
        ),
        (
            {"topic": "月份", "kind": "study", "audience": "all", "planned_month": 13},
            {"planned_month": ["计划月份应在1至12之间。"]},
        ),
    ],
)
def test_bad_items_are_refused_with_chinese_messages(study, data, errors):
    plan = study.plan(year=2026, items=0)
    with pytest.raises(ValidationError) as error:
        services.item_add(actor=study.staff, plan=plan, data=data)
    assert error.value.message_dict == errors
    assert StudyPlanItem.objects.count() == 0


def test_publishing_notifies_each_member_of_the_audiences_once(
    study, django_capture_on_commit_callbacks
):
    plan = study.plan(items=1)
    services.item_add(
        actor=study.staff,
        plan=plan,
        data={"topic": "小组学习", "kind": "study", "audience": "group", "group": study.group},
    )
    with django_capture_on_commit_callbacks(execute=True):
        published = services.plan_publish(actor=study.staff, plan=plan)
    assert (published.state, published.published_on) == ("published", TODAY)
    recipients = sorted(
        Notification.objects.filter(kind="study").values_list("recipient__username", flat=True)
    )
    assert recipients == sorted(u.username for u, _m in study.members)
    assert list(plan.history.values_list("action", flat=True)) == ["create", "publish"]


def test_an_empty_plan_cannot_be_published_and_a_published_one_not_again(study):
    plan = study.plan(items=0)
    with pytest.raises(ValidationError, match="计划中还没有事项"):
        services.plan_publish(actor=study.staff, plan=plan)
    plan = study.plan(year=TODAY.year + 1)
    services.plan_publish(actor=study.staff, plan=plan)
    with pytest.raises(InvalidTransition):
        services.plan_publish(actor=study.staff, plan=plan)
    assert StudyPlanHistory.objects.filter(action="publish").count() == 1


def test_an_item_with_sessions_cannot_be_deleted(study):
    plan = study.plan()
    item = plan.items.get()
    study.session(plan_item=item)
    with pytest.raises(ValidationError, match="已关联学习培训活动"):
        services.item_delete(actor=study.staff, item=item)
    assert StudyPlanItem.objects.count() == 1


# Sessions and the ledger ----------------------------------------------------------------------


def test_inviting_skips_members_already_listed_and_tells_the_new_ones(
    study, django_capture_on_commit_callbacks
):
    session = study.session(invite=[])
    with django_capture_on_commit_callbacks(execute=True):
        added = services.session_invite(
            actor=study.staff, session=session, memberships=study.memberships[:2]
        )
    assert added == 2
    assert (
        services.session_invite(actor=study.staff, session=session, memberships=study.memberships)
        == 2
    )
    assert Attendance.objects.filter(session=session).count() == 4
    assert Notification.objects.filter(kind="study").count() == 2


def test_closing_writes_one_ledger_row_per_attended_member(study):
    session = study.held_with(
        study.session(half_days="1.5"), {0: "attended", 1: "leave"}
    )  # the third is left 待参加
    closed = services.session_act(actor=study.staff, session=session, action="close")
    assert closed.state == "closed"
    assert ledger(closed) == [("李明", "study", Decimal("1.5"), 1)]
    states = dict(
        Attendance.objects.filter(session=closed).values_list("membership__person__name", "state")
    )
    assert states == {"李明": "attended", "王芳": "leave", "赵强": "absent"}
    assert list(
        StudySessionHistory.objects.filter(subject=closed).values_list("action", flat=True)
    ) == [
        "create",
        "hold",
        "close",
    ]


def test_a_training_writes_training_rows(study):
    session = study.held_with(study.session(kind="training"), {0: "attended", 2: "attended"})
    services.session_close(actor=study.staff, session=session)
    assert ledger(session) == [
        ("李明", "training", Decimal("1.0"), 1),
        ("赵强", "training", Decimal("1.0"), 1),
    ]


def test_closing_again_is_impossible_and_writes_nothing(study):
    session = study.held_with(study.session(), {0: "attended"})
    stale = StudySession.objects.get(pk=session.pk)
    services.session_close(actor=study.staff, session=session)
    with pytest.raises(InvalidTransition, match="可能已被他人处理"):
        services.session_close(actor=study.other_staff, session=stale)
    assert ledger(session) == [("李明", "study", Decimal("1.0"), 1)]


def test_a_correction_after_closing_cancels_or_adds_ledger_rows(study):
    session = study.held_with(study.session(), {0: "attended", 1: "absent"})
    services.session_close(actor=study.staff, session=session)
    ids = study.attendance_ids(session)
    m0, m1 = study.memberships[:2]
    services.attendance_record(
        actor=study.staff, session=session, entries={ids[m0.pk]: "absent", ids[m1.pk]: "attended"}
    )
    assert ledger(session) == [
        ("李明", "study", Decimal("1.0"), 1),
        ("李明", "study", Decimal("1.0"), -1),
        ("王芳", "study", Decimal("1.0"), 1),
    ]
    # Saving the same attendance again changes nothing; changing back adds a fresh row.
    services.attendance_record(actor=study.staff, session=session, entries={ids[m1.pk]: "attended"})
    services.attendance_record(actor=study.staff, session=session, entries={ids[m0.pk]: "attended"})
    net = {}
    for name, _sub, _half, weight in ledger(session):
        net[name] = net.get(name, 0) + weight
    assert net == {"李明": 1, "王芳": 1}
    assert len(ledger(session)) == 4


def test_before_the_session_only_leave_can_be_recorded(study):
    session = study.session(day=NEXT_WEEK)
    ids = study.attendance_ids(session)
    first = ids[study.memberships[0].pk]
    with pytest.raises(ValidationError) as error:
        services.attendance_record(actor=study.staff, session=session, entries={first: "attended"})
    assert error.value.message_dict == {f"state_{first}": ["此时只能登记为:待参加、请假。"]}
    services.attendance_record(actor=study.staff, session=session, entries={first: "leave"})
    assert Attendance.objects.get(pk=first).state == "leave"


def test_a_bulk_form_may_send_rows_left_as_they_were(study):
    session = services.session_act(actor=study.staff, session=study.session(), action="hold")
    ids = list(study.attendance_ids(session).values())
    changed = services.attendance_record(
        actor=study.staff,
        session=session,
        entries={ids[0]: "attended", ids[1]: "invited", ids[2]: "invited"},
    )
    assert [a.pk for a in changed] == [ids[0]]
    with pytest.raises(ValidationError) as error:
        services.attendance_record(actor=study.staff, session=session, entries={ids[0]: "invited"})
    assert error.value.message_dict == {f"state_{ids[0]}": ["此时只能登记为:出席、请假、缺席。"]}


def test_a_bad_entry_saves_nothing(study):
    session = study.session()
    session = services.session_act(actor=study.staff, session=session, action="hold")
    ids = list(study.attendance_ids(session).values())
    with pytest.raises(ValidationError) as error:
        services.attendance_record(
            actor=study.staff, session=session, entries={ids[0]: "attended", ids[1]: "sleeping"}
        )
    assert error.value.message_dict == {f"state_{ids[1]}": ["请选择出席情况。"]}
    assert set(Attendance.objects.values_list("state", flat=True)) == {"invited"}


def test_a_session_in_the_future_cannot_be_held(study):
    session = study.session(day=NEXT_WEEK)
    with pytest.raises(ValidationError, match="活动日期未到"):
        services.session_act(actor=study.staff, session=session, action="hold")
    session.refresh_from_db()
    assert session.state == "planned"


def test_cancelling_needs_a_reason_and_tells_the_invitees(
    study, django_capture_on_commit_callbacks
):
    session = study.session(day=NEXT_WEEK, invite=[])
    services.session_invite(actor=study.staff, session=session, memberships=study.memberships[:1])
    with pytest.raises(ValidationError) as error:
        services.session_act(actor=study.staff, session=session, action="cancel")
    assert error.value.message_dict == {"note": ["请填写取消的原因。"]}
    with django_capture_on_commit_callbacks(execute=True):
        services.session_act(actor=study.staff, session=session, action="cancel", note="与全会冲突")
    assert list(Notification.objects.values_list("title", "body")) == [
        ("活动取消:学习习近平新时代中国特色社会主义思想专题报告会", "与全会冲突")
    ]
    with pytest.raises(ValidationError, match="已结束或已取消"):
        services.session_invite(actor=study.staff, session=session, memberships=study.memberships)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"kind": "party", "title": "", "date": "", "half_days": "0"},
            {
                "kind": ["请选择类别。"],
                "title": ["请填写名称。"],
                "date": ["请填写日期。"],
                "half_days": ["时长应为0.5至20个半天,按0.5递增。"],
            },
        ),
        (
            {"kind": "study", "title": "学习", "date": "2026-02-30", "half_days": "1.3"},
            {"date": ["日期格式不正确。"], "half_days": ["时长应为0.5至20个半天,按0.5递增。"]},
        ),
    ],
)
def test_bad_sessions_are_refused(study, data, errors):
    with pytest.raises(ValidationError) as error:
        services.session_create(actor=study.staff, committee=study.committee, data=data)
    assert error.value.message_dict == errors
    assert StudySession.objects.count() == 0


def test_a_reading_item_is_not_carried_out_by_a_study_session(study):
    plan = study.plan(items=0)
    item = services.item_add(
        actor=study.staff, plan=plan, data={"topic": "读书", "kind": "reading", "audience": "all"}
    )
    with pytest.raises(ValidationError) as error:
        study.session(plan_item=item)
    assert error.value.message_dict == {"plan_item": ["读书事项请在书香政协中开展。"]}


def test_a_member_signs_up_for_an_open_training_and_withdraws(study):
    session = study.session(kind="training", day=NEXT_WEEK, invite=[], signup_open=True)
    user, membership = study.members[3]
    row = services.session_sign_up(actor=user, session=session)
    assert (row.membership, row.how, row.state) == (membership, "signed_up", "invited")
    with pytest.raises(ValidationError, match="已在该培训的名单中"):
        services.session_sign_up(actor=user, session=session)
    services.session_withdraw(actor=user, session=session)
    assert Attendance.objects.count() == 0


def test_a_study_session_takes_no_sign_ups(study):
    session = study.session(day=NEXT_WEEK, invite=[], signup_open=True)
    assert session.signup_open is False
    with pytest.raises(ValidationError, match="不接受报名"):
        services.session_sign_up(actor=study.member(3), session=session)


def test_staff_cannot_sign_up_as_a_member(study):
    session = study.session(kind="training", day=NEXT_WEEK, invite=[], signup_open=True)
    with pytest.raises(PermissionDenied):
        services.session_sign_up(actor=study.staff, session=session)


def test_a_member_cannot_record_attendance_nor_close(study):
    session = study.held_with(study.session(), {0: "attended"})
    ids = list(study.attendance_ids(session).values())
    with pytest.raises(PermissionDenied):
        services.attendance_record(
            actor=study.member(), session=session, entries={ids[1]: "attended"}
        )
    with pytest.raises(PermissionDenied):
        services.session_close(actor=study.member(), session=session)
    assert ledger() == []


# Materials ------------------------------------------------------------------------------------


def test_a_link_is_validated_and_tags_are_normalised(study):
    with pytest.raises(ValidationError) as error:
        services.material_create(
            actor=study.staff,
            committee=study.committee,
            data={"title": "学习强国", "kind": "link", "url": "javascript:alert(1)"},
        )
    assert error.value.message_dict == {"url": ["请填写以 http:// 或 https:// 开头的有效网址。"]}
    with pytest.raises(ValidationError) as error:
        services.material_create(
            actor=study.staff, committee=study.committee, data={"title": "链接", "kind": "link"}
        )
    assert error.value.message_dict == {"url": ["链接类资料请填写网址。"]}
    assert StudyMaterial.objects.count() == 0
    material = services.material_create(
        actor=study.staff,
        committee=study.committee,
        data={
            "title": "学习强国·政协频道",
            "kind": "link",
            "url": "https://www.xuexi.cn/",
            "tags": "政协理论、 履职能力,政协理论",
        },
    )
    assert (material.tags, material.tag_list) == (",政协理论,履职能力,", ["政协理论", "履职能力"])


def test_a_document_needs_a_file_or_a_link_and_keeps_its_attachment(study):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as error:
        services.material_create(
            actor=study.staff, committee=study.committee, data={"title": "文件", "kind": "document"}
        )
    assert error.value.message_dict == {"url": ["文件和视频类资料请上传附件或填写网址。"]}
    upload = SimpleUploadedFile("学习材料.pdf", b"%PDF-1.4\n%test\n", "application/pdf")
    material = services.material_create(
        actor=study.staff,
        committee=study.committee,
        data={"title": "政协章程", "kind": "document"},
        upload=upload,
    )
    assert material.attachment.original_name == "学习材料.pdf"
    bad = SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf")
    with pytest.raises(ValidationError) as error:
        services.material_create(
            actor=study.staff,
            committee=study.committee,
            data={"title": "坏文件", "kind": "document"},
            upload=bad,
        )
    assert list(error.value.message_dict) == ["file"]
    assert StudyMaterial.objects.count() == 1


def test_copies_handed_out_are_the_sum_of_distributions(study):
    from zhengxie.study.queries import copies_handed_out

    material = services.material_create(
        actor=study.staff,
        committee=study.committee,
        data={"title": "《中国人民政治协商会议章程》", "kind": "book"},
    )
    session = study.session()
    services.distribution_add(
        actor=study.staff,
        material=material,
        data={"date": LAST_WEEK, "copies": 120, "session": session},
    )
    services.distribution_add(
        actor=study.staff,
        material=material,
        data={"date": TODAY, "copies": "30", "recipients": "新任委员"},
    )
    assert copies_handed_out(material) == 150
    row = Distribution.objects.get(copies=30)
    services.distribution_remove(actor=study.staff, distribution=row)
    assert copies_handed_out(material) == 120
    assert AuditEntry.objects.filter(object_type="study.Distribution", action="delete").count() == 1


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"date": TODAY, "copies": 0}, {"copies": ["发放数量应为至少1册的整数。"]}),
        (
            {"date": None, "copies": "x"},
            {"date": ["请填写发放日期。"], "copies": ["发放数量应为至少1册的整数。"]},
        ),
        (
            {"date": TODAY + datetime.timedelta(days=1), "copies": 5},
            {"date": ["发放日期不能晚于今天。"]},
        ),
    ],
)
def test_bad_distributions_are_refused(study, data, errors):
    material = services.material_create(
        actor=study.staff, committee=study.committee, data={"title": "书", "kind": "book"}
    )
    with pytest.raises(ValidationError) as error:
        services.distribution_add(actor=study.staff, material=material, data=data)
    assert error.value.message_dict == errors
    assert Distribution.objects.count() == 0


def test_the_database_refuses_zero_copies(study):
    material = services.material_create(
        actor=study.staff, committee=study.committee, data={"title": "书", "kind": "book"}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Distribution.objects.create(
            committee=study.committee, material=material, date=TODAY, copies=0
        )


# Reading groups -------------------------------------------------------------------------------


def test_a_group_counts_its_leader_among_its_members(study):
    group = services.group_create(
        actor=study.staff,
        committee=study.committee,
        data={
            "name": "书香政协读书会",
            "leader": study.memberships[3],
            "members": study.memberships[:1],
        },
    )
    assert sorted(group.members.values_list("person__name", flat=True)) == ["李明", "陈静"]
    with pytest.raises(ValidationError) as error:
        services.group_create(
            actor=study.staff,
            committee=study.committee,
            data={"name": "书香政协读书会", "members": []},
        )
    assert error.value.message_dict == {
        "name": ["已有同名的读书小组。"],
        "members": ["请至少选择一位成员。"],
    }


def test_a_reading_session_expects_the_members_and_credits_attendees_on_close(study):
    group = study.group_with()
    session = services.reading_session_create(
        actor=study.staff, group=group, data={"date": LAST_WEEK, "book_title": "", "half_days": "1"}
    )
    assert session.book_title == "《之江新语》"
    rows = {r.membership_id: r.pk for r in ReadingAttendance.objects.filter(session=session)}
    assert len(rows) == 3
    m = study.memberships
    services.reading_attendance_record(
        actor=study.staff,
        session=session,
        entries={rows[m[0].pk]: "attended", rows[m[1].pk]: "leave"},
    )
    closed = services.reading_session_act(actor=study.staff, session=session, action="close")
    assert closed.state == "closed"
    assert ledger(closed) == [("李明", "reading", Decimal("1.0"), 1)]
    assert dict(ReadingAttendance.objects.values_list("membership__person__name", "state")) == {
        "李明": "attended",
        "王芳": "leave",
        "赵强": "absent",
    }
    with pytest.raises(InvalidTransition):
        services.reading_session_act(actor=study.staff, session=closed, action="close")
    services.reading_attendance_record(
        actor=study.staff, session=closed, entries={rows[m[2].pk]: "attended"}
    )
    assert ledger(closed) == [
        ("李明", "reading", Decimal("1.0"), 1),
        ("赵强", "reading", Decimal("1.0"), 1),
    ]


def test_a_future_reading_session_cannot_be_closed(study):
    group = study.group_with()
    session = services.reading_session_create(
        actor=study.staff, group=group, data={"date": NEXT_WEEK, "half_days": "1"}
    )
    with pytest.raises(ValidationError, match="活动日期未到"):
        services.reading_session_act(actor=study.staff, session=session, action="close")
    assert ReadingSession.objects.get().state == "planned"


@pytest.mark.django_db(transaction=True)
def test_two_staff_closing_in_parallel_threads_write_one_set_of_rows(committee, term, sector):
    """Real concurrency needs row locks: PostgreSQL only (SQLite is covered sequentially by
    test_closing_again_is_impossible_and_writes_nothing)."""
    import threading

    from django.db import connection, connections
    from django_scopes import scope

    from tests.study.conftest import Study

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    with scope(committee=committee):
        study = Study(committee, term, sector)
        session = study.held_with(study.session(), {0: "attended", 1: "attended"})
    barrier = threading.Barrier(2)
    outcomes = []

    def close(actor):
        try:
            with scope(committee=committee):
                barrier.wait()
                services.session_close(actor=actor, session=session)
            outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close, args=(u,)) for u in (study.staff, study.other_staff)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    with scope(committee=committee):
        assert ledger(session) == [
            ("李明", "study", Decimal("1.0"), 1),
            ("王芳", "study", Decimal("1.0"), 1),
        ]
        assert StudySessionHistory.objects.filter(action="close").count() == 1
