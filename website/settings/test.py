from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "skills.storage.PrivateInMemoryStorage"},
}
SAKHI_DEMO_USERS = True
SAKHI_STAFF_TWO_FACTOR = False
WAGTAILADMIN_BASE_URL = "http://testserver"
SAKHI_NEUTRAL_BASE_URL = "http://testserver"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
AUTHENTICATION_BACKENDS = [
    "tests.axes_backend.AxesBackendForTests",
    "django.contrib.auth.backends.ModelBackend",
]
