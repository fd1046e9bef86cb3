"""Production settings read the operator's optional website/settings/local.py last, as the operator
guide says (a shared CACHES for several workers goes there)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Stands in for an operator's website/settings/local.py without writing one into the checkout
# (dev settings read the same file).
LOCAL = """
import sys, types
local = types.ModuleType("website.settings.local")
local.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                            "LOCATION": "redis://cache.internal:6379/1"}}
local.EMAIL_HOST = "smtp.from-local.example"
sys.modules["website.settings.local"] = local
"""
# Settings are read from the settings module alone: django.setup() would import every app (about
# 2.5 s of CPU per process) and decides none of them.
SHOW = """
import json
from django.conf import settings
names = ["CACHES", "EMAIL_HOST", "AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", "AXES_CLIENT_IP_CALLABLE",
         "SAKHI_TRUSTED_PROXY_COUNT", "SAKHI_CLIENT_IP_HEADER"]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def production_settings(prelude="", show=SHOW, **environ):
    """The settings production would run with, read in a fresh interpreter (prelude, then `show`,
    which prints them as JSON)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "sakhi.example",
        "EMAIL_HOST": "smtp.from-environment.example",
        **environ,
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", prelude + show], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_production_reads_local_settings_last():
    chosen = production_settings(LOCAL)

    assert chosen["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/1"
    assert chosen["EMAIL_HOST"] == "smtp.from-local.example"  # over the environment: local.py is last


def test_production_runs_without_local_settings():
    if (ROOT / "website" / "settings" / "local.py").exists():
        pytest.skip("this checkout has a developer's own local.py; the case above covers reading one")
    chosen = production_settings()

    assert chosen["EMAIL_HOST"] == "smtp.from-environment.example"


def test_the_proxy_and_the_login_lockout_are_set_from_the_environment():
    chosen = production_settings(
        SAKHI_TRUSTED_PROXY_COUNT="2",
        SAKHI_CLIENT_IP_HEADER="X-Real-IP",
        SAKHI_LOGIN_FAILURE_LIMIT="8",
        SAKHI_LOGIN_LOCKOUT_MINUTES="15",
    )

    assert chosen["SAKHI_TRUSTED_PROXY_COUNT"] == 2
    assert chosen["SAKHI_CLIENT_IP_HEADER"] == "X-Real-IP"
    assert chosen["AXES_FAILURE_LIMIT"] == 8
    assert chosen["AXES_COOLOFF_TIME"] == 0.25  # hours
    # The login lockout reads the client's address as the rate limits do.
    assert chosen["AXES_CLIENT_IP_CALLABLE"] == "core.ratelimit.client_address"
