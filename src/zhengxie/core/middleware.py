import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from zhengxie.core import ratelimit
from zhengxie.core.context import client_ip, current_ip
from zhengxie.core.models import RoleAssignment
from zhengxie.core.scoping import scope
from zhengxie.core.tokens import user_for_token

SESSION_KEY = "zhengxie_active_role"


def current_roles(user):
    return list(
        RoleAssignment.objects.current()
        .filter(user=user)
        .select_related("committee", "handling_unit", "special_committee")
        .order_by("pk")
    )


def bearer_token(request):
    """The token of an ``Authorization: Bearer <token>`` header, "" if empty, None if absent."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def authenticate_bearer(request):
    """API requests: a bearer token replaces the session. A bad token leaves them anonymous."""
    raw = bearer_token(request)
    if raw is None:
        return False
    user = user_for_token(raw)
    request.user = user or AnonymousUser()
    request.token_authenticated = user is not None
    return True


def resolve_active_role(request):
    user = request.user
    if not user.is_authenticated:
        return None
    roles = current_roles(user)
    wanted = request.session.get(SESSION_KEY)
    for role in roles:
        if role.pk == wanted:
            return role
    return roles[0] if roles else None


class ActiveRoleMiddleware:
    """Sets ``request.active_role`` (and ``user.active_role`` for permission predicates)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.token_authenticated = False
        if authenticate_bearer(request):
            role = request.user.active_role if request.token_authenticated else None
        else:
            role = resolve_active_role(request)
        request.active_role = role
        request.committee = role.committee if role else None
        if request.user.is_authenticated:
            request.user.active_role = role
        request.available_roles = SimpleLazyObject(
            lambda: current_roles(request.user) if request.user.is_authenticated else []
        )
        return self.get_response(request)


class CommitteeScopeMiddleware:
    """Every request runs inside the scope of the active committee (None: sees nothing scoped)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            with scope(committee=request.committee):
                return self.get_response(request)
        finally:
            current_ip.reset(token)


# --- session security: idle timeout, absolute lifetime, password expiry ---------------------

LAST_SEEN_KEY = "zhengxie_last_seen"
SIGNED_IN_KEY = "zhengxie_signed_in"
# Paths a user whose password has expired may still reach (besides changing it).
EXPIRED_PASSWORD_PATHS = ("/logout/", "/static/")


def _is_api(request):
    return request.path.startswith("/api/")


def _go(request, url):
    """Send the browser to ``url``: htmx swaps would only load the page into a fragment."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def start_session_clock(session):
    now = int(time.time())
    session[SIGNED_IN_KEY] = now
    session[LAST_SEEN_KEY] = now


def password_expired(user) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or not user.has_usable_password():
        return False
    return user.password_changed_at < timezone.now() - timezone.timedelta(days=days)


class SessionSecurityMiddleware:
    """Signed-in sessions (not API tokens) end after ``SESSION_IDLE_MINUTES`` without a request
    and ``SESSION_COOKIE_AGE`` seconds after sign-in, whatever the activity; a user whose
    password is older than ``PASSWORD_MAX_AGE_DAYS`` is sent to change it first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and bearer_token(request) is None:
            response = self.check_session(request) or self.check_password(request)
            if response is not None:
                return response
        return self.get_response(request)

    def check_session(self, request):
        now = int(time.time())
        session = request.session
        last_seen = session.get(LAST_SEEN_KEY, now)
        signed_in = session.setdefault(SIGNED_IN_KEY, now)
        idle = now - last_seen > settings.SESSION_IDLE_MINUTES * 60
        if idle or now - signed_in > settings.SESSION_COOKIE_AGE:
            logout(request)
            if idle:
                message = _("您已 %(minutes)s 分钟未操作,为保护账号安全已自动退出,请重新登录。") % {
                    "minutes": settings.SESSION_IDLE_MINUTES
                }
            else:
                message = _("登录已超过 %(hours)s 小时,为保护账号安全已自动退出,请重新登录。") % {
                    "hours": settings.SESSION_COOKIE_AGE // 3600
                }
            if _is_api(request):
                return JsonResponse({"detail": message}, status=401)
            messages.warning(request, message)
            if request.method == "GET" and not getattr(request, "htmx", False):
                return redirect_to_login(request.get_full_path())
            return _go(request, reverse(settings.LOGIN_URL))
        # Write the session at most once a minute, not on every request.
        if now - session.get(LAST_SEEN_KEY, 0) >= 60:
            session[LAST_SEEN_KEY] = now
        return None

    def check_password(self, request):
        change_url = reverse("core:password_change")
        if request.path == change_url or request.path.startswith(EXPIRED_PASSWORD_PATHS):
            return None
        if not password_expired(request.user):
            return None
        message = _("您的密码已超过 %(days)s 天未修改,请先修改密码。") % {
            "days": settings.PASSWORD_MAX_AGE_DAYS
        }
        if _is_api(request):
            return JsonResponse({"detail": message}, status=403)
        messages.warning(request, message)
        return _go(request, change_url)


# --- rate limits on everything reachable without signing in ----------------------------------


def rate_limit_for(view_name):
    """Requests per minute one address may make to the route without a signed-in user."""
    return settings.RATE_LIMITS_PER_MINUTE.get(view_name, settings.RATE_LIMIT_ANONYMOUS_PER_MINUTE)


def too_many_requests(request):
    message = _("请求过于频繁,请稍后再试。")
    if _is_api(request):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "core/rate_limited.html", {"message": message}, status=429)
    response["Retry-After"] = "60"
    return response


class AnonymousRateLimitMiddleware:
    """Every route answers a request without a signed-in user (session or API token) at most
    ``rate_limit_for(route)`` times a minute per client address; then 429 in Chinese. Signed-in
    users are accountable through the audit trail and the limits of the actions themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated:
            return None
        name = request.resolver_match.view_name or request.resolver_match.route
        ip = client_ip(request) or "unknown"
        if not ratelimit.hit(f"anon:{name}:{ip}", limit=rate_limit_for(name), window=60):
            return too_many_requests(request)
        return None
