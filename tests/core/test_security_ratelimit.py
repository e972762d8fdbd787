"""Rate limits on everything reachable without signing in: every route answers one address's
anonymous requests at most its limit a minute, then 429 with a Chinese message (a page, or JSON
under /api/). Signed-in users are not counted."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from tests.factories import CommitteeFactory
from zhengxie.core import ratelimit
from zhengxie.core.middleware import rate_limit_for

MESSAGE = "请求过于频繁,请稍后再试。"


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """Every request of a test falls in the same one-minute window (a test running across a
    minute boundary would otherwise start counting afresh half-way)."""
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))


def _walk(patterns, prefix_ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [prefix_ns, p.namespace]))
            yield from _walk(p.url_patterns, ns)
        elif p.name:
            yield (f"{prefix_ns}:{p.name}" if prefix_ns else p.name), p.pattern


def _stand_in(name, pattern):
    converters = getattr(pattern, "converters", {})
    if converters:
        kwargs = {k: 1 if isinstance(c, IntConverter) else "x" for k, c in converters.items()}
        return reverse(name, kwargs=kwargs)
    groups = list(pattern.regex.groupindex)  # a regex route (the admin's app pages)
    for value in ("x", "1", "core"):
        try:
            return reverse(name, kwargs=dict.fromkeys(groups, value))
        except NoReverseMatch:
            continue
    raise AssertionError(f"no stand-in URL for {name}")


def every_route_url():
    """One URL for every named route, with stand-in values for its parameters."""
    for name, pattern in _walk(get_resolver().url_patterns):
        yield name, _stand_in(name, pattern)


def _is_limited(response):
    if response.status_code != 429:
        return False
    if response["Content-Type"].startswith("application/json"):
        return response.json() == {"detail": MESSAGE}
    return MESSAGE in response.content.decode()


def test_every_route_is_rate_limited_for_anonymous_requests(client, db, settings):
    settings.RATE_LIMIT_ANONYMOUS_PER_MINUTE = 1
    settings.RATE_LIMITS_PER_MINUTE = {}
    urls = dict(every_route_url())
    assert len(urls) > 300  # the walk reached every app and the API
    unlimited = []
    for name, url in urls.items():
        cache.clear()  # routes may share a URL (an API path with GET and POST operations)
        first = client.get(url, REMOTE_ADDR="10.5.5.5")
        second = client.get(url, REMOTE_ADDR="10.5.5.5")
        if first.status_code == 429 or not _is_limited(second):
            unlimited.append((name, first.status_code, second.status_code))
    assert unlimited == []


@pytest.fixture
def public_urls(committee):
    code = committee.code
    return {
        "core:login": reverse("core:login"),
        "core:public_login": reverse("core:public_login"),
        "proposals:public_index": reverse("proposals:public_index"),
        "proposals:public_list": reverse("proposals:public_list", args=[code]),
        "places:public_list": reverse("places:public_list", args=[code]),
        "portal:index": reverse("portal:index"),
        "portal:public_home": reverse("portal:public_home", args=[code]),
        "portal:public_news": reverse("portal:public_news", args=[code]),
        "portal:public_members": reverse("portal:public_members", args=[code]),
        "portal:public_about": reverse("portal:public_about", args=[code]),
        "api:health": "/api/v1/health",
    }


def test_public_pages_answer_until_their_limit_then_429(client, public_urls, settings):
    settings.RATE_LIMIT_ANONYMOUS_PER_MINUTE = 3
    settings.RATE_LIMITS_PER_MINUTE = {"core:login": 2}
    for name, url in public_urls.items():
        limit = rate_limit_for(name)
        statuses = [client.get(url, REMOTE_ADDR="10.6.6.6").status_code for _ in range(limit)]
        assert statuses == [200] * limit, name
        over = client.get(url, REMOTE_ADDR="10.6.6.6")
        assert _is_limited(over), name
        assert over["Retry-After"] == "60"
        # Another address is counted on its own.
        assert client.get(url, REMOTE_ADDR="10.7.7.7").status_code == 200, name


def test_the_default_limits(settings, public_urls, client):
    assert settings.RATE_LIMIT_ANONYMOUS_PER_MINUTE == 120
    assert rate_limit_for("core:login") == 30
    assert rate_limit_for("api:token_create") == 20
    url = public_urls["proposals:public_list"]
    statuses = {client.get(url).status_code for _ in range(120)}
    assert statuses == {200}
    response = client.get(url)
    assert response.status_code == 429
    assert response.context["message"] == MESSAGE


def test_the_token_endpoint_is_limited_in_json(client, db, settings):
    settings.RATE_LIMITS_PER_MINUTE = {"api:token_create": 2}
    body = {"username": "nobody", "password": "wrong-password"}
    for _ in range(2):
        response = client.post("/api/v1/auth/token", body, content_type="application/json")
        assert response.status_code == 401
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert (response.status_code, response.json()) == (429, {"detail": MESSAGE})


def test_signed_in_users_are_not_counted(login, staff_user, settings):
    settings.RATE_LIMIT_ANONYMOUS_PER_MINUTE = 1
    client = login(staff_user)
    url = reverse("proposals:public_list", args=[CommitteeFactory().code])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
