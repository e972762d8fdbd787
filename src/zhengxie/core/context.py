"""Request-wide context that services read without taking the request: the client address."""

import ipaddress
from contextvars import ContextVar

from django.conf import settings

current_ip: ContextVar[str | None] = ContextVar("zhengxie_current_ip", default=None)


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The client's address. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies it is the entry the
    outermost trusted proxy appended to X-Forwarded-For (entries further left can be forged)."""
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if hops:
        forwarded = [p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p]
        if len(forwarded) >= hops:
            address = _valid(forwarded[-hops])
            if address:
                return address
    return request.META.get("REMOTE_ADDR") or None
