"""Production: every secret and host comes from the environment."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _env(name, *fallbacks):
    for key in (name, *fallbacks):
        if os.environ.get(key):
            return os.environ[key]
    raise ImproperlyConfigured(f"Set the {name} environment variable.")


DEBUG = False
SECRET_KEY = _env("DJANGO_SECRET_KEY", "SECRET_KEY")
ALLOWED_HOSTS = _env("DJANGO_ALLOWED_HOSTS", "ALLOWED_HOSTS").split(",")
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")
# No default: certificates are refused until the neutral address is set (skills/neutral.py).
SAKHI_NEUTRAL_BASE_URL = os.environ.get("SAKHI_NEUTRAL_BASE_URL", "")
if SAKHI_NEUTRAL_BASE_URL:
    _neutral_host = urlsplit(SAKHI_NEUTRAL_BASE_URL).hostname
    if _neutral_host and _neutral_host not in ALLOWED_HOSTS:
        ALLOWED_HOSTS.append(_neutral_host)
        CSRF_TRUSTED_ORIGINS.append(f"https://{_neutral_host}")

SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
# The load balancer asks the app servers directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "true").lower() == "true"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sakhi@localhost")

# One cache for every worker and app server: the rate limits, e-mail cooldowns, public figures and
# Wagtail's renditions are counted and invalidated there, never per process (docs/decisions.md).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # A cache outage must not take the public pages down: reads miss, writes are
                # dropped and logged, and the rate limits refuse (core/ratelimit.py).
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    # Shared by every worker through the database; the deploy steps run `createcachetable`.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "sakhi_cache"}
    }

# Public pages kept for visitors without a session (website/page_cache.py), in the shared cache above.
SAKHI_PAGE_CACHE_SECONDS = int(os.environ.get("SAKHI_PAGE_CACHE_SECONDS", "300"))

# Templates compiled once per process (Django's default loaders, named so that nothing drops them).
TEMPLATES[0]["APP_DIRS"] = False  # noqa: F405
TEMPLATES[0]["OPTIONS"]["loaders"] = [  # noqa: F405
    (
        "django.template.loaders.cached.Loader",
        ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
    )
]

# Durable background tasks in the database, run by `manage.py db_worker` (docs/operator-guide.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SAKHI_DEMO_USERS = False
SAKHI_STAFF_TWO_FACTOR = True

# The operator's own settings for this server (a shared CACHES, logging, storage): an optional
# website/settings/local.py, never committed, read last so that it wins (docs/operator-guide.md).
# Only its absence is tolerated: a mistake inside it (a missing package) stops the server.
try:
    from .local import *  # noqa: F403
except ModuleNotFoundError as error:
    if error.name != f"{__package__}.local":
        raise
