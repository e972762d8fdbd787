from django.urls import reverse


def test_health_reports_database_vendor(client, db):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] in {"sqlite", "postgresql"}


def test_home_requires_login(client, db):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_staff_home_shows_roster_figures(login, staff_user, membership):
    response = login(staff_user).get(reverse("core:home"))
    assert response.status_code == 200
    assert response.context["roster"]["in_office"] == 1
