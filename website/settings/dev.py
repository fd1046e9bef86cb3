import contextlib

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SAKHI_DEMO_USERS = True
SAKHI_STAFF_TWO_FACTOR = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A developer's own overrides, never committed.
with contextlib.suppress(ImportError):
    from .local import *  # noqa: F403
