"""A fixed-window rate limiter on Django's cache (atomic ``add``/``incr`` on Redis and locmem)."""

import time

from django.core.cache import cache


class RateLimited(Exception):
    """Too many requests in the current window."""


def hit(key: str, *, limit: int, window: int = 3600) -> bool:
    """Count one request for ``key``; True while the window's count is within ``limit``."""
    bucket = int(time.time() // window)
    cache_key = f"zx:rl:{key}:{bucket}"
    cache.add(cache_key, 0, timeout=window + 60)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 60)
        count = 1
    return count <= limit


def check(key: str, *, limit: int, window: int = 3600) -> None:
    """Count one request for ``key``; raise ``RateLimited`` once over ``limit``."""
    if not hit(key, limit=limit, window=window):
        raise RateLimited(key)
