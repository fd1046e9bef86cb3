"""Health checks for the load balancer and the operator (docs/operations.md).

`/healthz` says the process answers and touches nothing else, so a database outage does not make
the load balancer kill every app server. `/readyz` checks each part a request may need and answers
503 naming the parts that failed: no versions, hosts or messages, which would help an attacker more
than the operator (the logs have the details)."""

import logging
import secrets

from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from skills.storage import PROBE_NAME

logger = logging.getLogger(__name__)


def database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_answers():
    """A round trip through the shared cache. The production cache ignores its own connection errors
    (public pages must keep serving), so an outage shows only as a value that does not come back."""
    key, value = f"readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    answered = cache.get(key) == value
    cache.delete(key)
    return answered


def storage_answers():
    """The private store holds certificates and evidence: on disk, a name that is never there is
    looked up; in a bucket, the bucket itself is asked for (skills/storage.py, object_storage.py)."""
    storage = storages["private"]
    if not hasattr(storage, "answers"):  # a storage of the operator's own, from local.py
        storage.exists(PROBE_NAME)
        return True
    return storage.answers()


def task_queue_answers():
    """The configured task backend loads and finds nothing serious in its own checks (a durable
    backend looks at its queue there)."""
    from django_tasks import default_task_backend

    return not [message for message in default_task_backend.check() if message.is_serious()]


CHECKS = {
    "database": database_answers,
    "cache": cache_answers,
    "storage": storage_answers,
    "tasks": task_queue_answers,
}


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    failed = []
    for part, answers in CHECKS.items():
        try:
            ok = answers()
        except Exception:  # any failure of that part, whatever its driver raises
            logger.exception("readiness check failed: %s", part)
            ok = False
        if not ok:
            failed.append(part)
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
    return JsonResponse({"status": "ok"})
