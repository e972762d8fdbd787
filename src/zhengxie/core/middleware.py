from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

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
