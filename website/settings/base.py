"""Settings shared by every environment. Environment files import * from here."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "website",
    "skills",
    "placements",
    "accounts",
    "core",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Background tasks (core/mail.py): the database backend's queue table exists everywhere;
    # production uses it, `make run` and the tests run tasks at once (TASKS below).
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.locales",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session is read: a public page kept for visitors without one is answered here
    # (website/page_cache.py), and every answer's Cache-Control is decided on its way out.
    "website.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "website.neutral.NeutralHostMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the session's user is known: holds a login back until its second factor (accounts/).
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "website.middleware.SakhiCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns locked-out logins into a clear "locked" response.
    "axes.middleware.AxesMiddleware",
]

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Imports of more rows than this run in the task worker, behind a progress page (skills/tasks.py).
SAKHI_IMPORT_TASK_ROWS = int(os.environ.get("SAKHI_IMPORT_TASK_ROWS", "300"))
# A background job that has not moved for this long is queued again by `manage.py resume_jobs`.
SAKHI_JOB_STALLED_AFTER_MINUTES = int(os.environ.get("SAKHI_JOB_STALLED_AFTER_MINUTES", "15"))

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a username from one client address after five failed logins, for an hour (settable, see
# docs/operator-guide.md). The address is read as the rate limits read it, behind the proxy too:
# locking by the proxy's address would let anyone lock any staff account for everyone.
AXES_FAILURE_LIMIT = int(os.environ.get("SAKHI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("SAKHI_LOGIN_LOCKOUT_MINUTES", "60")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "website.lockout.locked_out"
AXES_VERBOSE = False
# How many proxies (nginx, a load balancer) stand in front of the application, and the header they
# append the client's address to. 0: REMOTE_ADDR is the client's own address.
SAKHI_TRUSTED_PROXY_COUNT = int(os.environ.get("SAKHI_TRUSTED_PROXY_COUNT", "0"))
SAKHI_CLIENT_IP_HEADER = os.environ.get("SAKHI_CLIENT_IP_HEADER", "X-Forwarded-For")

ROOT_URLCONF = "website.urls"
WSGI_APPLICATION = "website.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "website.neutral.surface",
            ],
        },
    },
]

# SQLite is the embedded default; production and CI set DATABASE_URL (PostgreSQL).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# SQLite (`make run`): a transaction takes the write lock when it begins, so two requests writing
# at once (a double-clicked button) queue for it, up to `timeout` seconds. In SQLite's default
# DEFERRED mode a transaction that has read cannot wait for a lock taken meanwhile: the second
# request fails at once with "database is locked".
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English at the root, Hindi under /hi/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("hi", "हिन्दी")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
# Certificates and evidence documents live here, outside MEDIA_ROOT, and are only
# ever served through views that check permissions.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
# The largest document people may upload (evidence: PDF, JPEG, PNG); see core/uploads.py.
SAKHI_UPLOAD_MAX_BYTES = int(os.environ.get("SAKHI_UPLOAD_MAX_MB", "5")) * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Never web-served: issued certificates and evidence documents, downloaded through views
    # that check permissions.
    "private": {
        "BACKEND": "skills.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}
# Several app servers share their files through an S3-compatible object store (AWS S3, MinIO):
# SAKHI_S3_BUCKET moves the private files into a bucket that nobody reads without these keys, and
# SAKHI_S3_MEDIA_BUCKET moves the CMS's images and documents into one that the public reads through
# the site's own /media/ (docs/operations.md, docs/decisions.md). Without keys, boto3's own chain
# (an instance role, AWS_* variables) is used.
SAKHI_S3_BUCKET = os.environ.get("SAKHI_S3_BUCKET", "")
SAKHI_S3_MEDIA_BUCKET = os.environ.get("SAKHI_S3_MEDIA_BUCKET", "")
if SAKHI_S3_BUCKET or SAKHI_S3_MEDIA_BUCKET:
    from botocore.config import Config as _S3ClientConfig

    SAKHI_S3_CONNECTION = {
        "endpoint_url": os.environ.get("SAKHI_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("SAKHI_S3_REGION") or None,
        "access_key": os.environ.get("SAKHI_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("SAKHI_S3_SECRET_ACCESS_KEY") or None,
        # A store that does not answer fails the request (and /readyz) in seconds, not minutes.
        "client_config": _S3ClientConfig(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}),
    }
if SAKHI_S3_BUCKET:
    STORAGES["private"] = {
        "BACKEND": "skills.object_storage.PrivateS3Storage",
        "OPTIONS": {"bucket_name": SAKHI_S3_BUCKET, **SAKHI_S3_CONNECTION},
    }
if SAKHI_S3_MEDIA_BUCKET:
    # Read by browsers at https://SAKHI_MEDIA_HOST/<name>, the site's own host and /media/ that
    # nginx or the CDN forwards to the bucket: the content security policy allows images from the
    # site alone. Cached for a year: an upload never replaces a file under the same name.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": SAKHI_S3_MEDIA_BUCKET,
            **SAKHI_S3_CONNECTION,
            "custom_domain": os.environ.get("SAKHI_MEDIA_HOST", ""),
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }
    if not STORAGES["default"]["OPTIONS"]["custom_domain"]:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "Set SAKHI_MEDIA_HOST to the site's host and media path (sakhi.example/media) "
            "with SAKHI_S3_MEDIA_BUCKET."
        )

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Anonymous visitors get no persistent cookies: CSRF and session cookies end with the browser.
CSRF_COOKIE_AGE = None
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_AGE = None

# Only the site itself may supply scripts, styles, fonts and images. The admin gets a
# slightly wider policy in website.middleware (Wagtail's editor uses inline styles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# The page cache (website/page_cache.py, docs/decisions.md): how long a public page is kept in the
# shared cache for visitors without a session; 0 turns it off (`make run`, tests; production keeps
# 300). Purges are precise, so this is only a backstop for what changes with the date alone.
SAKHI_PAGE_CACHE_SECONDS = int(os.environ.get("SAKHI_PAGE_CACHE_SECONDS", "0"))
# What a CDN or caching proxy in front may keep a public page for (Cache-Control: s-maxage). It is
# purged with the page cache when the frontend cache below is configured; without one, keep it short.
SAKHI_PUBLIC_PAGE_MAX_AGE = int(os.environ.get("SAKHI_PUBLIC_PAGE_MAX_AGE", "300"))
# The CDN or proxy that purges reach (wagtail.contrib.frontend_cache backends), from the environment:
# an HTTP PURGE endpoint (Varnish, nginx), Cloudflare, or CloudFront. The URLs purged already name
# both languages (page_cache.py), so Wagtail is not to add language prefixes of its own.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("SAKHI_FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["SAKHI_FRONTEND_CACHE_PURGE_URL"],
    }
if os.environ.get("SAKHI_CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["SAKHI_CLOUDFLARE_ZONE_ID"],
        "BEARER_TOKEN": os.environ.get("SAKHI_CLOUDFLARE_API_TOKEN", ""),
    }
if os.environ.get("SAKHI_CLOUDFRONT_DISTRIBUTION_ID"):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": os.environ["SAKHI_CLOUDFRONT_DISTRIBUTION_ID"],
    }
WAGTAILFRONTENDCACHE_LANGUAGES = []

X_FRAME_OPTIONS = "DENY"  # Wagtail's preview view overrides this for itself
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

WAGTAIL_SITE_NAME = "Sakhi"
# Dates are typed and shown as India writes them, dd/mm/yyyy (website/formats, website/admin_dates.py).
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
FORMAT_MODULE_PATH = ["website.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The programme's neutral address (skills/neutral.py): printed on certificates, in their QR codes
# and in employer e-mails. On that host only the verification pages and the employer portal answer.
# `make run` uses the site itself; production has no default (certificates are refused without it).
SAKHI_NEUTRAL_BASE_URL = os.environ.get("SAKHI_NEUTRAL_BASE_URL", WAGTAILADMIN_BASE_URL)
# Where the private keys that sign certificates' credentials are kept, outside the database and its
# backups; empty: in the database (docs/operator-guide.md, "Signed credentials and their keys").
SAKHI_CREDENTIAL_KEY_DIR = os.environ.get("SAKHI_CREDENTIAL_KEY_DIR", "")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_ALLOW_UNICODE_SLUGS = False

LOGIN_URL = "employer_login"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sakhi@localhost")
# Employers get mail from the programme's neutral name, never from an address that names the centres.
SAKHI_NEUTRAL_FROM_EMAIL = os.environ.get(
    "SAKHI_NEUTRAL_FROM_EMAIL", "Skill Development Programme <noreply@localhost>"
)

# Demo users with known passwords exist only where this is True (never in production).
SAKHI_DEMO_USERS = False
# Staff (admin users) must set up and give a second factor (accounts/twofactor.py). On in
# production; off for `make run`, so the demo users log in with their password alone.
SAKHI_STAFF_TWO_FACTOR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
