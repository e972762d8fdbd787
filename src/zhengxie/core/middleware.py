from django.utils.functional import SimpleLazyObject

from zhengxie.core.context import client_ip, current_ip
from zhengxie.core.models import RoleAssignment
from zhengxie.core.scoping import scope

SESSION_KEY = "zhengxie_active_role"


def current_roles(user):
    return list(
        RoleAssignment.objects.current()
        .filter(user=user)
        .select_related("committee", "handling_unit", "special_committee")
        .order_by("committee__code", "pk")
    )


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
