"""Issue J, items 1, 2 and 5: production shares one cache between every worker and app server
(Redis with REDIS_URL, the database otherwise, never a per-process cache), compiles templates once,
keeps the public pages up when Redis is down while the rate limits refuse, and says so in /readyz."""

import json

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings

from tests.website.test_production_settings import production_settings
from website.views import VERIFY_LIMIT

PER_PROCESS_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}
SHOW_CACHES = """
import json
from django.conf import settings
print(json.dumps({"CACHES": settings.CACHES}))
"""
SHOW_TEMPLATE_LOADERS = """
import json
import django
from django.template import engines
django.setup()
engine = engines["django"].engine
print(json.dumps({"loaders": [type(loader).__module__ + "." + type(loader).__name__
                              for loader in engine.template_loaders]}))
"""


def production_caches(**environ):
    return production_settings(show=SHOW_CACHES, **environ)["CACHES"]


@pytest.mark.parametrize("environ", [{}, {"REDIS_URL": "redis://cache.internal:6379/1"}], ids=["db", "redis"])
def test_production_never_uses_a_per_process_cache(environ):
    backends = {alias: config["BACKEND"] for alias, config in production_caches(**environ).items()}

    assert not set(backends.values()) & PER_PROCESS_BACKENDS, backends


def test_production_uses_redis_with_redis_url_and_the_database_without():
    with_redis = production_caches(REDIS_URL="redis://cache.internal:6379/1")["default"]
    without = production_caches()["default"]

    assert with_redis["BACKEND"] == "django_redis.cache.RedisCache"
    assert with_redis["LOCATION"] == "redis://cache.internal:6379/1"
    assert with_redis["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert without["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_production_compiles_each_template_once_per_process():
    loaders = production_settings(show=SHOW_TEMPLATE_LOADERS)["loaders"]

    assert loaders == ["django.template.loaders.cached.Loader"]


@pytest.fixture
def production_redis_cache(redis_server):
    """This process on production's Redis cache settings, pointed at a real redis-server."""
    caches = production_caches(REDIS_URL=redis_server.url)
    with override_settings(CACHES=caches):
        cache.clear()
        yield redis_server


def verify(client, number):
    return client.get(f"/certificates/verify/NOTACODE{number:02d}/", REMOTE_ADDR="203.0.113.9")


@pytest.mark.django_db
def test_the_certificate_check_limit_is_counted_in_redis(client, production_redis_cache, monkeypatch):
    monkeypatch.setattr("core.ratelimit.time.time", lambda: 1_800_000_000.0)  # one fixed window
    answers = [verify(client, number).status_code for number in range(VERIFY_LIMIT + 5)]

    assert answers.count(429) == 5
    assert 429 not in answers[:VERIFY_LIMIT]
    # The count lives in Redis, where every app server reads it, under a hashed address.
    keys = [
        key.decode() for key in redis.Redis.from_url(production_redis_cache.url).keys("*ratelimit:verify:*")
    ]
    assert len(keys) == 1
    assert "203.0.113.9" not in keys[0]


@pytest.mark.django_db
def test_with_redis_down_public_pages_serve_and_the_limits_refuse(client, production_redis_cache):
    production_redis_cache.stop()

    assert client.get("/").status_code == 200
    assert client.get("/hi/").status_code == 200
    assert client.get("/courses/").status_code == 200
    limited = verify(client, 1)
    assert limited.status_code == 429  # refused, not counted as nothing: guessing must not go unlimited
    assert limited["Retry-After"]

    not_ready = client.get("/readyz")
    assert not_ready.status_code == 503
    assert json.loads(not_ready.content) == {"status": "unavailable", "failed": ["cache"]}

    production_redis_cache.start()
    assert client.get("/readyz").status_code == 200
    assert verify(client, 2).status_code == 200


@pytest.mark.django_db
def test_readyz_answers_ok_and_names_no_versions(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_fails(client, monkeypatch):
    from website import health

    def database_down():
        raise ConnectionError("connection to server at 10.0.0.5 failed: password authentication failed")

    monkeypatch.setitem(health.CHECKS, "database", database_down)
    response = client.get("/readyz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "failed": ["database"]}
    assert b"10.0.0.5" not in response.content


def test_healthz_touches_no_database(client):
    # No django_db mark: a query here would fail the test ("Database access not allowed").
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}


@pytest.mark.django_db
def test_health_checks_answer_on_the_neutral_host_too(client, settings):
    settings.SAKHI_NEUTRAL_BASE_URL = "https://skills.example"
    settings.ALLOWED_HOSTS = ["*"]

    assert client.get("/healthz", HTTP_HOST="skills.example").status_code == 200
    assert client.get("/readyz", HTTP_HOST="skills.example").status_code == 200
