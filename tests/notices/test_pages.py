import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from openpyxl import load_workbook

from tests.notices.conftest import BODY
from zhengxie.notices import services
from zhengxie.notices.models import Notice, Recipient, Reminder


def _detail(notice):
    return reverse("notices:detail", args=[notice.pk])


def _read_names(notices):
    with scope(committee=notices.committee):
        return sorted(
            Recipient.objects.filter(read_at__isnull=False).values_list(
                "membership__person__name", flat=True
            )
        )


def _form(notices, **extra):
    data = {"title": "关于开展委员读书活动的通知", "body": BODY, "by": "sector"}
    data["sector"] = notices.education.pk
    data.update(extra)
    return data


# The staff list -----------------------------------------------------------------------------


def test_the_list_shows_read_rates_and_figures_in_a_fixed_number_of_queries(
    client, login, notices, django_assert_max_num_queries
):
    sent = [notices.sent(title=f"第{i}号通知") for i in range(12)]
    notices.draft(title="草稿通知")
    services.notice_open(actor=notices.user("李明"), notice=sent[0])
    services.notice_withdraw(actor=notices.staff, notice=sent[11])
    login(notices.staff)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("notices:list"))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 13
    assert page[0].title == "草稿通知"
    first = next(n for n in page if n.title == "第0号通知")
    assert (first.recipient_count, first.read_count, first.read_percent) == (4, 1, 25.0)
    assert response.context["figures"] == {
        "notices_sent": 11,
        "notice_recipients": 44,
        "notice_read_rate": 1 / 44,
    }
    assert 'id="fig-read-rate">2.3%' in response.content.decode()
    filtered = client.get(reverse("notices:list"), {"state": "withdrawn"})
    assert [n.title for n in filtered.context["page"]] == ["第11号通知"]


def test_chair_and_leader_read_the_list_without_drafts_and_cannot_compose(client, login, notices):
    notices.sent(title="关于召开常委会议的通知")
    notices.draft(title="草稿通知")
    for user in (notices.chair, notices.leader):
        client.logout()
        login(user)
        response = client.get(reverse("notices:list"))
        assert [n.title for n in response.context["page"]] == ["关于召开常委会议的通知"]
        assert response.context["can_manage"] is False
        assert client.get(reverse("notices:create")).status_code == 403


def test_members_units_and_the_public_cannot_open_the_staff_pages(client, login, notices):
    notice = notices.sent()
    for user in (notices.user("李明"), notices.unit):
        client.logout()
        login(user)
        assert client.get(reverse("notices:list")).status_code == 403
        assert client.get(reverse("notices:create")).status_code == 403
    assert client.get(reverse("notices:receipts_export", args=[notice.pk])).status_code == 404
    assert client.get(reverse("notices:mine")).status_code == 403
    assert client.get(_detail(notice)).status_code == 404


# Compose ------------------------------------------------------------------------------------


def test_staff_compose_a_draft_then_send_it(client, login, notices):
    login(notices.staff)
    blank = client.get(reverse("notices:create"))
    assert blank.status_code == 200
    assert [c[0] for c in blank.context["form"].fields["by"].choices] == [
        "all",
        "standing",
        "chairs",
        "special_committee",
        "group",
        "sector",
        "list",
    ]
    response = client.post(reverse("notices:create"), _form(notices, reply_required="on"))
    with scope(committee=notices.committee):
        notice = Notice.objects.get()
    assert response.url == _detail(notice)
    assert (notice.state, notice.reply_required) == ("draft", True)
    page = client.get(_detail(notice))
    assert page.context["preview"] == {"total": 4, "no_account": 1}
    assert [t.action for t in page.context["actions"]] == ["send"]
    response = client.post(reverse("notices:act", args=[notice.pk, "send"]))
    assert response.url == _detail(notice)
    notice.refresh_from_db()
    assert notice.state == "sent"
    page = client.get(_detail(notice))
    assert page.context["counts"]["total"] == 4
    assert [t.action for t in page.context["actions"]] == ["withdraw"]
    assert _read_names(notices) == []


def test_staff_send_at_once_from_the_form(client, login, notices):
    login(notices.staff)
    response = client.post(reverse("notices:create"), _form(notices, by="all", send="1"))
    with scope(committee=notices.committee):
        notice = Notice.objects.get()
        assert (notice.state, notice.recipients.count()) == ("sent", 5)
    assert response.url == _detail(notice)


def test_bad_input_shows_chinese_errors_and_writes_nothing(client, login, notices):
    login(notices.staff)
    response = client.post(reverse("notices:create"), _form(notices, title=""))
    assert response.status_code == 400
    assert "请填写通知标题。" in response.content.decode()
    response = client.post(
        reverse("notices:create"), _form(notices, sector=notices.empty_sector.pk, send="1")
    )
    assert response.status_code == 400
    assert "所选范围内没有在任委员,请重新选择发送范围。" in response.content.decode()
    response = client.post(reverse("notices:create"), _form(notices, by="group"))
    assert "请选择委员活动小组。" in response.content.decode()
    with scope(committee=notices.committee):
        assert Notice.objects.count() == 0


def test_a_draft_is_edited_through_the_form_but_a_sent_notice_is_not(client, login, notices):
    draft = notices.draft()
    login(notices.staff)
    assert client.get(reverse("notices:edit", args=[draft.pk])).status_code == 200
    response = client.post(
        reverse("notices:edit", args=[draft.pk]),
        _form(notices, title="关于调整读书活动时间的通知", by="all"),
    )
    assert response.url == _detail(draft)
    draft.refresh_from_db()
    assert (draft.title, draft.audience) == ("关于调整读书活动时间的通知", "all")
    sent = notices.sent()
    response = client.get(reverse("notices:edit", args=[sent.pk]))
    assert response.url == _detail(sent)


# Receipts -----------------------------------------------------------------------------------


def test_a_recipient_opening_the_notice_marks_it_read_once(client, login, notices):
    notice = notices.sent()
    login(notices.user("王芳"))
    response = client.get(_detail(notice))
    assert response.status_code == 200
    assert BODY in response.content.decode()
    with scope(committee=notices.committee):
        first = Recipient.objects.get(read_at__isnull=False)
    client.get(_detail(notice))
    with scope(committee=notices.committee):
        again = Recipient.objects.get(read_at__isnull=False)
    assert (again.pk, again.read_at) == (first.pk, first.read_at)
    assert _read_names(notices) == ["王芳"]


def test_a_member_outside_the_audience_gets_404_and_no_receipt(client, login, notices):
    notice = notices.sent()
    login(notices.user("赵强"))
    assert client.get(_detail(notice)).status_code == 404
    assert client.post(reverse("notices:acknowledge", args=[notice.pk])).status_code == 404
    with scope(committee=notices.committee):
        assert Recipient.objects.count() == 4
        assert not Recipient.objects.filter(membership=notices.membership("赵强")).exists()
    assert _read_names(notices) == []


def test_staff_and_chair_opening_a_notice_create_no_receipt(client, login, notices):
    notice = notices.sent()
    for user in (notices.staff, notices.chair, notices.leader):
        client.logout()
        login(user)
        response = client.get(_detail(notice))
        assert response.status_code == 200
        assert response.context["counts"]["read"] == 0
    assert _read_names(notices) == []


def test_a_draft_is_invisible_to_members(client, login, notices):
    draft = notices.draft()
    login(notices.user("李明"))
    assert client.get(_detail(draft)).status_code == 404


def test_receipts_on_the_page_equal_the_rows(client, login, notices):
    notice = notices.sent(reply_required=True)
    services.notice_open(actor=notices.user("李明"), notice=notice)
    services.notice_acknowledge(actor=notices.user("孙丽"), notice=notice, reply="收到")
    login(notices.staff)
    response = client.get(_detail(notice))
    assert response.context["counts"] == {
        "total": 4,
        "read": 2,
        "unread": 1,
        "no_account": 1,
        "acknowledged": 1,
        "read_rate": 0.5,
        "read_percent": 50.0,
    }
    assert [(k, n) for k, _label, n in response.context["filters"]] == [
        ("", 4),
        ("read", 2),
        ("unread", 1),
        ("no_account", 1),
        ("acknowledged", 1),
        ("unacknowledged", 3),
    ]
    rows = {r.membership.person.name: r.remindable for r in response.context["receipts"]}
    assert rows == {"李明": True, "孙丽": False, "王芳": True, "陈静": False}
    unread = client.get(_detail(notice), {"show": "unread"}, headers={"HX-Request": "true"})
    assert [r.membership.person.name for r in unread.context["receipts"]] == ["王芳"]
    assert "<html" not in unread.content.decode()


def test_receipts_export_as_xlsx(client, login, notices):
    notice = notices.sent(reply_required=True)
    services.notice_acknowledge(actor=notices.user("王芳"), notice=notice, reply="准时参加")
    login(notices.chair)
    response = client.get(reverse("notices:receipts_export", args=[notice.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A3"].value == "发送 4 人,已读 1 人,未读 3 人(其中无平台账号 1 人),已回执 1 人"
    rows = [(r[1], r[5], r[8]) for r in ws.iter_rows(min_row=5, values_only=True)]
    assert rows == [
        ("王芳", "已读", "准时参加"),
        ("孙丽", "未读", None),
        ("李明", "未读", None),
        ("陈静", "未读(无平台账号)", None),
    ]
    draft = notices.draft()
    assert client.get(reverse("notices:receipts_export", args=[draft.pk])).status_code == 404


def test_a_member_acknowledges_through_the_page(client, login, notices):
    notice = notices.sent(reply_by=timezone.localdate() + datetime.timedelta(days=3))
    login(notices.user("李明"))
    page = client.get(_detail(notice))
    assert page.context["can_acknowledge"] is True
    too_long = client.post(reverse("notices:acknowledge", args=[notice.pk]), {"reply": "好" * 201})
    assert too_long.status_code == 400
    assert "回执内容不能超过200个字。" in too_long.content.decode()
    response = client.post(reverse("notices:acknowledge", args=[notice.pk]), {"reply": "准时参加"})
    assert response.url == _detail(notice)
    with scope(committee=notices.committee):
        row = Recipient.objects.get(membership=notices.membership("李明"))
    assert (row.reply_text, row.acknowledged_at is not None) == ("准时参加", True)
    assert client.get(_detail(notice)).context["can_acknowledge"] is False


def test_my_notices_page_counts_unread_and_hides_withdrawn_content(client, login, notices):
    kept = notices.sent(title="关于开展委员读书活动的通知")
    gone = notices.sent(title="关于召开界别协商会的通知")
    services.notice_withdraw(actor=notices.staff, notice=gone)
    login(notices.user("李明"))
    mine = client.get(reverse("notices:mine"))
    assert mine.context["unread"] == 1
    assert [r.notice.title for r in mine.context["page"]] == [kept.title, gone.title]
    page = client.get(_detail(gone))
    assert page.status_code == 200
    assert page.context["withdrawn"] is True
    assert BODY not in page.content.decode()
    assert "已撤回" in page.content.decode()


# Remind and withdraw ------------------------------------------------------------------------


def test_staff_remind_from_the_page_and_the_throttle_answers_in_chinese(client, login, notices):
    notice = notices.sent()
    login(notices.staff)
    response = client.post(reverse("notices:remind", args=[notice.pk]), {"scope": "all"})
    assert response.url == _detail(notice)
    page = client.get(_detail(notice))
    assert "已提醒 3 位委员。" in page.content.decode()
    client.post(reverse("notices:remind", args=[notice.pk]), {"scope": "all"})
    page = client.get(_detail(notice))
    assert "每条通知一小时内只能提醒一次" in page.content.decode()
    with scope(committee=notices.committee):
        assert list(Reminder.objects.values_list("count", flat=True)) == [3]
    nothing = client.post(reverse("notices:remind", args=[notice.pk]), {"scope": "selected"})
    assert "请先勾选要提醒的委员。" in client.get(nothing.url).content.decode()


def test_chair_cannot_remind_or_withdraw(client, login, notices):
    notice = notices.sent()
    login(notices.chair)
    assert client.post(reverse("notices:remind", args=[notice.pk])).status_code == 403
    assert client.post(reverse("notices:act", args=[notice.pk, "withdraw"])).status_code == 403
    notice.refresh_from_db()
    assert notice.state == "sent"
    with scope(committee=notices.committee):
        assert Reminder.objects.count() == 0


def test_staff_withdraw_with_a_reason(client, login, notices):
    notice = notices.sent()
    login(notices.staff)
    client.post(reverse("notices:act", args=[notice.pk, "withdraw"]), {"note": "内容有误"})
    notice.refresh_from_db()
    assert notice.state == "withdrawn"
    assert [h["note"] for h in client.get(_detail(notice)).context["history"]] == [
        "发送给 4 位委员",
        "内容有误",
    ]
    assert client.post(reverse("notices:act", args=[notice.pk, "x"])).status_code == 404


@pytest.mark.parametrize(
    ("who", "labels"),
    [("staff", ["通知公告"]), ("chair", ["通知公告"]), ("member", ["我的通知"]), ("unit", [])],
)
def test_navigation(client, login, notices, who, labels):
    user = {
        "staff": notices.staff,
        "chair": notices.chair,
        "member": notices.user("李明"),
        "unit": notices.unit,
    }[who]
    login(user)
    navigation = client.get(reverse("core:home")).context["navigation"]
    assert [i["label"] for i in navigation if i["section"] == "通知公告"] == labels


def test_receipts_and_my_notices_render_in_a_fixed_number_of_queries(
    client, login, notices, django_assert_max_num_queries
):
    for i in range(20):
        notices.add_member(f"委员{i}", notices.education, account=i % 2 == 0)
    notice = notices.sent(reply_required=True)
    for i in range(8):
        notices.sent(title=f"第{i}号通知")
    services.notice_open(actor=notices.user("委员0"), notice=notice)
    login(notices.staff)
    with django_assert_max_num_queries(17):
        response = client.get(_detail(notice))
    assert response.context["counts"]["total"] == 24
    client.logout()
    login(notices.user("李明"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notices:mine"))
    assert len(response.context["page"]) == 9
