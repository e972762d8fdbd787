from tests.factories import UserFactory
from zhengxie.core.models import AuditEntry
from zhengxie.organisation.models import Committee


def test_changes_in_django_admin_are_audited(client, committee):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    response = client.post(
        f"/django-admin/organisation/committee/{committee.pk}/change/",
        {
            "name": committee.name,
            "short_name": "新简称",
            "code": committee.code,
            "level": "county",
            "region": "",
        },
    )
    assert response.status_code == 302
    assert Committee.objects.get(pk=committee.pk).short_name == "新简称"
    row = AuditEntry.objects.get(action="update", object_type="organisation.Committee")
    assert (row.after, row.note, row.committee_id) == (
        {"short_name": "新简称"},
        "django-admin",
        committee.pk,
    )


def test_audit_rows_cannot_be_changed_in_django_admin(client, committee):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    row = AuditEntry.objects.order_by("pk").last()
    assert (
        client.post(f"/django-admin/core/auditentry/{row.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=row.pk).exists()


def test_committee_members_without_the_platform_flag_cannot_open_django_admin(login, staff_user):
    response = login(staff_user).get("/django-admin/")
    assert response.status_code == 302
