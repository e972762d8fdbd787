import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import SpecialCommitteeFactory
from zhengxie.core.models import Notification
from zhengxie.core.workflow import InvalidTransition
from zhengxie.notices import queries, services
from zhengxie.notices.models import Notice, NoticeHistory, NoticeState, Recipient, Reminder
from zhengxie.organisation.models import Position, PositionKind

EDUCATION = ["孙丽", "李明", "王芳", "陈静"]


def _names(qs):
    return sorted(qs.values_list("membership__person__name", flat=True))


def _later(minutes):
    moment = timezone.now() + datetime.timedelta(minutes=minutes)
    return mock.patch("django.utils.timezone.now", return_value=moment)


# Composing and sending ----------------------------------------------------------------------


def test_a_draft_is_sent_to_its_audience_as_one_recipient_row_per_member(
    notices, django_capture_on_commit_callbacks
):
    draft = notices.draft()
    assert (draft.state, Recipient.objects.count()) == (NoticeState.DRAFT, 0)
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.notice_send(actor=notices.staff, notice=draft)
    assert notice.state == NoticeState.SENT
    assert notice.sent_by == notices.staff and notice.sent_at is not None
    assert _names(notice.recipients.all()) == EDUCATION
    assert list(NoticeHistory.objects.values_list("action", "from_state", "to_state", "data")) == [
        ("send", "draft", "sent", {"recipients": 4})
    ]
    sent_to = Notification.objects.filter(kind="notice").values_list("recipient", "title", "url")
    url = reverse("notices:detail", args=[notice.pk])
    assert sorted(sent_to) == sorted(
        (notices.user(n).pk, "通知:关于召开专题协商会的通知", url) for n in ("李明", "王芳", "孙丽")
    )


def test_the_audience_is_evaluated_when_the_notice_is_sent(notices):
    draft = notices.draft()
    notices.add_member("周涛", notices.education)
    notice = services.notice_send(actor=notices.staff, notice=draft)
    notices.add_member("吴敏", notices.education)
    assert _names(notice.recipients.all()) == sorted([*EDUCATION, "周涛"])


def test_a_notice_can_be_created_and_sent_at_once_with_attachments(notices):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhengxie.core.attachments import attachments_for

    pdf = SimpleUploadedFile(
        "会议议程.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
    )
    notice = services.notice_create(
        actor=notices.staff,
        committee=notices.committee,
        data=notices.data(by="all"),
        uploads=[pdf],
        send=True,
    )
    assert notice.state == NoticeState.SENT
    assert notice.recipients.count() == 5
    assert [a.original_name for a in attachments_for(notice)] == ["会议议程.pdf"]


def test_audiences_by_role_group_and_list(notices):
    standing = notices.membership("赵强")
    Position.objects.create(
        committee=notices.committee,
        membership=standing,
        kind=PositionKind.STANDING,
        starts_on=datetime.date(2022, 1, 10),
    )
    li = notices.membership("李明")
    li.group = notices.group
    li.save(update_fields=["group"])
    special = SpecialCommitteeFactory(committee=notices.committee)
    Position.objects.create(
        committee=notices.committee,
        membership=notices.membership("王芳"),
        kind=PositionKind.SPECIAL_COMMITTEE,
        special_committee=special,
        starts_on=datetime.date(2022, 1, 10),
    )
    chosen = [notices.membership("陈静"), notices.membership("赵强")]
    cases = [
        ({"by": "standing"}, ["赵强"]),
        ({"by": "group", "group": notices.group}, ["李明"]),
        ({"by": "special_committee", "special_committee": special}, ["王芳"]),
        ({"by": "list", "memberships": chosen}, ["赵强", "陈静"]),
        ({"by": "all"}, sorted([*EDUCATION, "赵强"])),
    ]
    for extra, names in cases:
        notice = notices.sent(**extra)
        assert _names(notice.recipients.all()) == sorted(names), extra


def test_an_empty_title_is_refused_and_nothing_is_written(notices):
    with pytest.raises(ValidationError) as error:
        notices.draft(title="   ", body="")
    assert error.value.message_dict == {"title": ["请填写通知标题。"], "body": ["请填写通知正文。"]}
    assert Notice.objects.count() == 0


def test_an_audience_without_members_in_office_is_refused_and_nothing_is_written(notices):
    with pytest.raises(ValidationError) as error:
        notices.draft(sector=notices.empty_sector)
    assert error.value.message_dict == {"by": ["所选范围内没有在任委员,请重新选择发送范围。"]}
    with pytest.raises(ValidationError) as error:
        notices.draft(by="group", group=notices.group)
    assert error.value.message_dict == {"by": ["所选范围内没有在任委员,请重新选择发送范围。"]}
    with pytest.raises(ValidationError) as error:
        notices.draft(by="list", memberships=[])
    assert error.value.message_dict == {"memberships": ["请选择至少一位委员。"]}
    with pytest.raises(ValidationError) as error:
        notices.draft(by="sector", sector=None)
    assert error.value.message_dict == {"sector": ["请选择界别。"]}
    assert Notice.objects.count() == 0


def test_a_reply_date_in_the_past_is_refused(notices):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        notices.draft(reply_by=yesterday)
    assert error.value.message_dict == {"reply_by": ["回执截止日期不能早于今天。"]}
    assert Notice.objects.count() == 0


def test_a_reply_date_means_a_reply_is_required(notices):
    notice = notices.draft(reply_by=timezone.localdate())
    assert (notice.reply_required, notice.reply_by) == (True, timezone.localdate())


def test_a_draft_whose_audience_emptied_cannot_be_sent(notices):
    draft = notices.draft(by="list", memberships=[notices.membership("赵强")])
    membership = notices.membership("赵强")
    membership.status = "resigned"
    membership.save(update_fields=["status"])
    with pytest.raises(ValidationError) as error:
        services.notice_send(actor=notices.staff, notice=draft)
    assert error.value.messages == ["发送范围内已没有在任委员,不能发送,请修改发送范围。"]
    draft.refresh_from_db()
    assert (draft.state, Recipient.objects.count(), NoticeHistory.objects.count()) == (
        "draft",
        0,
        0,
    )


def test_only_a_draft_is_edited(notices):
    draft = notices.draft()
    notice = services.notice_update(
        actor=notices.staff,
        notice=draft,
        data=notices.data(title="关于调整专题协商会时间的通知", by="all"),
    )
    assert (notice.title, notice.audience) == ("关于调整专题协商会时间的通知", "all")
    services.notice_send(actor=notices.staff, notice=notice)
    with pytest.raises(ValidationError) as error:
        services.notice_update(actor=notices.staff, notice=notice, data=notices.data(title="改"))
    assert error.value.messages == ["只有草稿可以修改;已发送的通知请撤回后重新发送。"]
    notice.refresh_from_db()
    assert notice.title == "关于调整专题协商会时间的通知"


def test_a_notice_is_sent_once(notices):
    notice = notices.sent()
    with pytest.raises(InvalidTransition):
        services.notice_send(actor=notices.staff, notice=notice)
    assert Recipient.objects.count() == 4


def test_members_chairs_and_leaders_cannot_compose_send_remind_or_withdraw(notices):
    draft = notices.draft()
    for actor in (notices.user("李明"), notices.chair, notices.leader, notices.unit):
        with pytest.raises(PermissionDenied):
            services.notice_create(actor=actor, committee=notices.committee, data=notices.data())
        with pytest.raises(PermissionDenied):
            services.notice_send(actor=actor, notice=draft)
    notice = services.notice_send(actor=notices.staff, notice=draft)
    for actor in (notices.user("李明"), notices.chair, notices.leader):
        with pytest.raises(PermissionDenied):
            services.notice_remind(actor=actor, notice=notice)
        with pytest.raises(PermissionDenied):
            services.notice_withdraw(actor=actor, notice=notice)
    assert Notice.objects.count() == 1
    assert (Reminder.objects.count(), Notice.objects.get().state) == (0, "sent")


def test_admin_may_send_too(notices):
    notice = services.notice_send(actor=notices.admin, notice=notices.draft())
    assert notice.state == "sent"


# Read receipts ------------------------------------------------------------------------------


def test_the_first_open_sets_read_at_and_later_opens_keep_it(notices):
    notice = notices.sent()
    li = notices.user("李明")
    first = services.notice_open(actor=li, notice=notice)
    assert first.read_at is not None
    with _later(30):
        again = services.notice_open(actor=li, notice=notice)
    assert again.read_at == first.read_at
    assert list(Recipient.objects.filter(read_at__isnull=False).values_list("pk", flat=True)) == [
        first.pk
    ]


def test_opening_marks_the_notices_bell_notification_read(
    notices, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = notices.sent()
    services.notice_open(actor=notices.user("李明"), notice=notice)
    unread = {n.recipient_id: n.read_at is None for n in Notification.objects.filter(kind="notice")}
    assert unread == {
        notices.user("李明").pk: False,
        notices.user("王芳").pk: True,
        notices.user("孙丽").pk: True,
    }


def test_staff_chair_leader_and_outsiders_opening_create_no_receipt(notices):
    notice = notices.sent()
    for actor in (notices.staff, notices.chair, notices.leader, notices.unit, notices.user("赵强")):
        assert services.notice_open(actor=actor, notice=notice) is None
    assert Recipient.objects.filter(read_at__isnull=False).count() == 0
    assert Recipient.objects.count() == 4


def test_receipt_counts_equal_the_rows(notices):
    notice = notices.sent(reply_required=True)
    services.notice_open(actor=notices.user("李明"), notice=notice)
    services.notice_open(actor=notices.user("王芳"), notice=notice)
    services.notice_acknowledge(actor=notices.user("王芳"), notice=notice, reply="按时参加")
    services.notice_acknowledge(actor=notices.user("孙丽"), notice=notice)
    rows = Recipient.objects.filter(notice=notice)
    counts = queries.receipt_counts(notice)
    assert counts == {
        "total": 4,
        "read": 3,
        "unread": 0,
        "no_account": 1,
        "acknowledged": 2,
        "read_rate": 0.75,
    }
    assert counts["total"] == rows.count()
    assert counts["read"] == rows.filter(read_at__isnull=False).count()
    assert counts["acknowledged"] == rows.filter(acknowledged_at__isnull=False).count()
    assert counts["read"] + counts["unread"] + counts["no_account"] == counts["total"]
    assert _names(queries.receipts(notice, show="read")) == ["孙丽", "李明", "王芳"]
    assert _names(queries.receipts(notice, show="no_account")) == ["陈静"]
    assert _names(queries.receipts(notice, show="unacknowledged")) == ["李明", "陈静"]
    assert list(rows.exclude(reply_text="").values_list("reply_text", flat=True)) == ["按时参加"]


def test_read_receipts_list_in_reading_order(notices):
    notice = notices.sent()
    services.notice_open(actor=notices.user("王芳"), notice=notice)
    with _later(5):
        services.notice_open(actor=notices.user("李明"), notice=notice)
    names = [r.membership.person.name for r in queries.receipts(notice)]
    assert names == ["王芳", "李明", "孙丽", "陈静"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_first_opens_leave_one_read_time(committee, term):
    """Real concurrency needs PostgreSQL (SQLite serialises writers)."""
    import threading

    from django.db import connection, connections
    from django_scopes import scope

    from tests.notices.conftest import Notices

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    with scope(committee=committee):
        notices = Notices(committee, term)
        notice = notices.sent()
    user = notices.user("李明")
    barrier = threading.Barrier(2)
    results = []

    def open_it():
        try:
            with scope(committee=committee):
                barrier.wait()
                results.append(services.notice_open(actor=user, notice=notice).read_at)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with scope(committee=committee):
        stored = list(
            Recipient.objects.filter(notice=notice, read_at__isnull=False).values_list(
                "read_at", flat=True
            )
        )
    assert len(stored) == 1
    assert results == [stored[0], stored[0]]


# Acknowledgements ---------------------------------------------------------------------------


def test_an_acknowledgement_is_given_once_and_counts_as_reading(notices):
    notice = notices.sent(reply_required=True)
    wang = notices.user("王芳")
    recipient = services.notice_acknowledge(actor=wang, notice=notice, reply="本人将准时参加")
    assert recipient.acknowledged_at is not None
    assert recipient.read_at == recipient.acknowledged_at
    assert recipient.reply_text == "本人将准时参加"
    with pytest.raises(ValidationError) as error:
        services.notice_acknowledge(actor=wang, notice=notice, reply="改一下")
    assert error.value.messages == ["您已提交过回执,不能重复提交。"]
    recipient.refresh_from_db()
    assert recipient.reply_text == "本人将准时参加"


def test_bad_acknowledgements_are_refused(notices):
    plain = notices.sent()
    li = notices.user("李明")
    with pytest.raises(ValidationError) as error:
        services.notice_acknowledge(actor=li, notice=plain)
    assert error.value.messages == ["该通知不需要回执。"]
    needed = notices.sent(reply_required=True)
    with pytest.raises(ValidationError) as error:
        services.notice_acknowledge(actor=li, notice=needed, reply="好" * 201)
    assert error.value.message_dict == {"reply": ["回执内容不能超过200个字。"]}
    with pytest.raises(PermissionDenied):
        services.notice_acknowledge(actor=notices.user("赵强"), notice=needed)
    with pytest.raises(PermissionDenied):
        services.notice_acknowledge(actor=notices.staff, notice=needed)
    assert Recipient.objects.filter(acknowledged_at__isnull=False).count() == 0


# Reminders ----------------------------------------------------------------------------------


def test_staff_remind_unread_members_with_an_account_at_most_once_an_hour(
    notices, django_capture_on_commit_callbacks
):
    notice = notices.sent()
    services.notice_open(actor=notices.user("李明"), notice=notice)
    with django_capture_on_commit_callbacks(execute=True):
        reminder = services.notice_remind(actor=notices.staff, notice=notice)
    assert (reminder.count, reminder.actor, reminder.notice) == (2, notices.staff, notice)
    reminded = dict(Recipient.objects.values_list("membership__person__name", "reminded_count"))
    assert reminded == {"李明": 0, "王芳": 1, "孙丽": 1, "陈静": 0}
    assert sorted(
        Notification.objects.filter(title="请及时阅读通知:关于召开专题协商会的通知").values_list(
            "recipient", flat=True
        )
    ) == sorted([notices.user("王芳").pk, notices.user("孙丽").pk])

    with _later(59), pytest.raises(ValidationError) as error:
        services.notice_remind(actor=notices.other_staff, notice=notice)
    again = timezone.localtime(reminder.created + datetime.timedelta(hours=1))
    assert error.value.messages == [f"每条通知一小时内只能提醒一次,请于 {again:%H:%M} 后再试。"]
    assert Reminder.objects.count() == 1

    with _later(61):
        second = services.notice_remind(actor=notices.other_staff, notice=notice)
    assert second.count == 2
    assert dict(Recipient.objects.values_list("membership__person__name", "reminded_count")) == {
        "李明": 0,
        "王芳": 2,
        "孙丽": 2,
        "陈静": 0,
    }
    assert list(NoticeHistory.objects.filter(action="remind").values_list("note", flat=True)) == [
        "提醒 2 位委员",
        "提醒 2 位委员",
    ]


def test_staff_remind_selected_members(notices):
    notice = notices.sent()
    chosen = notice.recipients.get(membership=notices.membership("孙丽"))
    reminder = services.notice_remind(actor=notices.staff, notice=notice, recipient_ids=[chosen.pk])
    assert reminder.count == 1
    assert list(Recipient.objects.filter(reminded_count=1).values_list("pk", flat=True)) == [
        chosen.pk
    ]


def test_reply_required_notices_remind_those_who_read_but_did_not_acknowledge(notices):
    notice = notices.sent(reply_required=True)
    services.notice_open(actor=notices.user("李明"), notice=notice)
    services.notice_acknowledge(actor=notices.user("王芳"), notice=notice)
    reminder = services.notice_remind(actor=notices.staff, notice=notice)
    assert reminder.count == 2
    assert _names(Recipient.objects.filter(reminded_count=1)) == ["孙丽", "李明"]


def test_nothing_to_remind_is_refused_without_a_reminder_row(notices):
    notice = notices.sent(by="list", memberships=[notices.membership("陈静")])
    with pytest.raises(ValidationError) as error:
        services.notice_remind(actor=notices.staff, notice=notice)
    assert error.value.messages == [
        "没有需要提醒的委员:所选委员都已阅读或回执,或没有平台账号(请电话通知)。"
    ]
    assert Reminder.objects.count() == 0
    draft = notices.draft()
    with pytest.raises(ValidationError) as error:
        services.notice_remind(actor=notices.staff, notice=draft)
    assert error.value.messages == ["只有已发送的通知可以提醒。"]


# Withdrawal ---------------------------------------------------------------------------------


def test_a_withdrawn_notice_stays_listed_but_is_not_read_or_acknowledged(notices):
    notice = notices.sent(reply_required=True)
    notice = services.notice_withdraw(actor=notices.staff, notice=notice, note="时间调整,另行通知")
    assert (notice.state, notice.withdrawn_at is not None) == ("withdrawn", True)
    li = notices.user("李明")
    recipient = services.notice_open(actor=li, notice=notice)
    assert recipient is not None and recipient.read_at is None
    assert [r.notice_id for r in queries.my_notices(li)] == [notice.pk]
    assert queries.my_unread_count(li) == 0
    with pytest.raises(ValidationError) as error:
        services.notice_acknowledge(actor=li, notice=notice)
    assert error.value.messages == ["该通知已撤回,不能回执。"]
    with pytest.raises(ValidationError):
        services.notice_remind(actor=notices.staff, notice=notice)
    assert list(NoticeHistory.objects.values_list("action", "note")) == [
        ("send", "发送给 4 位委员"),
        ("withdraw", "时间调整,另行通知"),
    ]


def test_my_notices_list_unread_first(notices):
    first = notices.sent(title="关于开展委员读书活动的通知")
    second = notices.sent(title="关于征集2027年度提案线索的通知")
    li = notices.user("李明")
    services.notice_open(actor=li, notice=second)
    third = notices.sent(title="关于报送年度履职报告的通知")
    assert [r.notice_id for r in queries.my_notices(li)] == [third.pk, first.pk, second.pk]
    assert queries.my_unread_count(li) == 2
