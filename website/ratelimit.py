"""A small fixed-window rate limit per client address, kept in the cache.

Enough to stop anyone enumerating certificate codes; behind a proxy, set
SAKHI_TRUSTED_PROXY_COUNT so that the client's own address is used."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    proxies = getattr(settings, "SAKHI_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def is_rate_limited(request, scope, limit, window_seconds):
    """Count this request; True once the address has made more than `limit` in the window."""
    window = int(time.time() // window_seconds)
    # Hashed, so that the cache never holds visitors' addresses.
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{address}:{window}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count > limit
