"""A small fixed-window rate limit per client address, kept in the cache, and the one reading of
the client's address that the rate limits and the login lockout (django-axes) share.

Behind a proxy, REMOTE_ADDR is the proxy's: set SAKHI_TRUSTED_PROXY_COUNT (and, for a proxy that
does not use X-Forwarded-For, SAKHI_CLIENT_IP_HEADER) so that the client's own address is used."""

import hashlib
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def client_address(request):
    """The address the nearest trusted proxy saw the request come from.

    Each proxy appends the address it saw to the header, so with N trusted proxies the Nth entry
    from the right is the client's; entries further left are whatever the client sent and are
    never believed. Without a trusted proxy, or when the header is too short or not an address,
    this is REMOTE_ADDR. django-axes calls this too (AXES_CLIENT_IP_CALLABLE): a lockout is of a
    username from this address, so nobody can lock staff out by failing from elsewhere."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "SAKHI_TRUSTED_PROXY_COUNT", 0)
    if not proxies:
        return remote
    header = getattr(settings, "SAKHI_CLIENT_IP_HEADER", "X-Forwarded-For")
    key = "HTTP_" + header.upper().replace("-", "_")
    forwarded = [part.strip() for part in request.META.get(key, "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


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
    if count is None:
        # The shared cache is down (production ignores its errors, so incr answers None). Refuse
        # rather than count nothing: what these limits guard (guessing certificate codes, which
        # answer with a name; sign-ups and logins) may wait for the cache; a limit that silently
        # stops holding may not (docs/decisions.md).
        logger.error("rate limit %s refused: the cache did not count", scope)
        return True
    return count > limit
