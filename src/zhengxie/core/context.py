"""Request-wide context that services read without taking the request: the client address."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("zhengxie_current_ip", default=None)


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None
