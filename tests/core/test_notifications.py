from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory
from zhengxie.core.models import Notification
from zhengxie.core.notifications import mark_read, notify


def test_it_notifies_in_app_and_by_email_after_commit(
    committee, staff_user, django_capture_on_commit_callbacks
):
    staff_user.email = "staff@example.cn"
    staff_user.save(update_fields=["email"])
    no_mail = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[staff_user, no_mail, staff_user],
            title="提案已交办",
            body="请及时办理",
            url="/x/",
            committee=committee,
        )
    assert Notification.objects.filter(recipient=staff_user).count() == 1
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("[智慧政协] 提案已交办", ["staff@example.cn"])
    ]


def test_nothing_is_emailed_when_the_transaction_rolls_back(
    committee, staff_user, django_capture_on_commit_callbacks
):
    staff_user.email = "staff@example.cn"
    staff_user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[staff_user], title="t")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_the_notification_centre_lists_and_marks_read(login, staff_user):
    notify(recipients=[staff_user], title="第一条")
    notify(recipients=[staff_user], title="第二条")
    client = login(staff_user)
    page = client.get(reverse("core:notifications"))
    assert [n.title for n in page.context["page"]] == ["第二条", "第一条"]
    assert page.context["unread_notifications"] == 2
    first = Notification.objects.get(title="第一条")
    client.post(reverse("core:notifications_read"), {"id": first.pk})
    assert list(
        Notification.objects.filter(read_at__isnull=True).values_list("title", flat=True)
    ) == ["第二条"]
    unread = client.get(reverse("core:notifications"), {"unread": "1"})
    assert [n.title for n in unread.context["page"]] == ["第二条"]
    client.post(reverse("core:notifications_read"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_nobody_marks_someone_elses_notifications(login, staff_user, admin_user):
    notify(recipients=[admin_user], title="管理员的")
    mark_read(user=staff_user)
    login(staff_user).post(
        reverse("core:notifications_read"), {"id": Notification.objects.get().pk}
    )
    assert Notification.objects.get().read_at is None


def test_the_read_redirect_stays_on_site(login, staff_user):
    response = login(staff_user).post(
        reverse("core:notifications_read"), {"next": "//evil.example/"}
    )
    assert response["Location"] == reverse("core:notifications")
