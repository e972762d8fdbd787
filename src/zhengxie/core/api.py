"""API pieces every router shares (auth, error schemas) and the core endpoints: token, me."""

import datetime
from typing import Annotated

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from zhengxie.core.lockout import locked_message
from zhengxie.core.middleware import current_roles, password_expired
from zhengxie.core.periods import resolve_period
from zhengxie.core.tokens import issue_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Ids in paths and filters: positive and within a 64-bit column, so no query overflows.
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]
# Text in filters and bodies: no NUL characters (PostgreSQL rejects them, as Django's forms do).
Text = Annotated[str, Field(pattern=r"^[^\x00]*$")]


class ActiveRoleAuth(HttpBearer):
    """Requires a user acting in a role. The bearer token itself is resolved once, in
    ``core.middleware.ActiveRoleMiddleware``, before the committee scope is entered; here we
    only ask whether that produced a role. Session users (the pages' own htmx calls) must pass
    the CSRF check for writes; token requests carry no cookie and need none."""

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or getattr(request, "active_role", None) is None:
            return None
        if (
            not getattr(request, "token_authenticated", False)
            and request.method not in SAFE_METHODS
            and check_csrf(request) is not None
        ):
            return None
        return user

    def authenticate(self, request, token):  # pragma: no cover - __call__ decides
        return None


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


# Documented on every authenticated operation, so clients (and schema fuzzing) know them.
ERROR_RESPONSES = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class CommitteeOut(Schema):
    id: int
    name: str
    short_name: str
    code: str
    level: str
    parent_id: int | None


class RoleOut(Schema):
    id: int
    role: str
    role_label: str
    label: str
    office: str
    title: str
    committee_id: int
    handling_unit_id: int | None
    special_committee_id: int | None

    @staticmethod
    def resolve_role_label(obj):
        return obj.get_role_display()


class UserOut(Schema):
    id: int
    username: str
    display_name: str


class MeOut(Schema):
    user: UserOut
    role: RoleOut
    committee: CommitteeOut
    available_roles: list[RoleOut]


class TokenIn(Schema):
    username: Annotated[Text, Field(max_length=150)]
    password: Annotated[Text, Field(max_length=4096)]
    role_id: ObjectId | None = None


class TokenOut(Schema):
    token: str
    expires: datetime.datetime
    committee: CommitteeOut
    role: RoleOut


router = Router(tags=["账号"])


@router.post(
    "/auth/token",
    response={
        200: TokenOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ValidationErrorOut,
        429: ErrorOut,
    },
    auth=None,
    summary="获取接口令牌",
    description="用户名和密码换取 30 天有效的令牌;拥有多个角色时可用 role_id 指定角色。"
    "连续失败将临时锁定账号和来源地址(429);密码已过期时须先在网页上修改(403)。",
)
def token_create(request, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        if getattr(request, "login_locked", False):
            raise HttpError(429, locked_message())
        raise HttpError(401, _("用户名或密码不正确。"))
    if password_expired(user):
        raise PermissionDenied(_("密码已过期,请先登录网页修改密码。"))
    roles = current_roles(user)
    if not roles:
        raise PermissionDenied(_("该账号当前没有有效的角色,无法获取令牌。"))
    if payload.role_id is None:
        role = roles[0]
    else:
        role = next((r for r in roles if r.pk == payload.role_id), None)
        if role is None:
            raise PermissionDenied(_("该账号没有指定的角色,或该角色已失效。"))
    raw, token = issue_token(user=user, role_assignment=role)
    return {"token": raw, "expires": token.expires, "committee": role.committee, "role": role}


@router.get(
    "/me",
    response={200: MeOut, **ERROR_RESPONSES},
    summary="当前用户",
    description="当前用户、其所用角色与委员会,以及可用的全部角色。",
)
def me(request):
    return {
        "user": request.user,
        "role": request.active_role,
        "committee": request.committee,
        "available_roles": current_roles(request.user),
    }


def period_or_422(filters):
    """The one statistics period an API query names (``session``, ``year`` or ``term``) as
    (period, None), or (None, a 422 answer) when it names none or several."""
    given = [p for p in (filters.session, filters.year, filters.term) if p is not None]
    if len(given) != 1:
        message = _("请指定且只指定一个统计期间:会议、年度或届。")
        error = {"loc": ["query"], "msg": message, "type": "period"}
        return None, Status(422, {"detail": message, "errors": [error]})
    return resolve_period(session_id=filters.session, year=filters.year, term_id=filters.term), None
