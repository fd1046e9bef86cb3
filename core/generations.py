"""Generation tokens: what is kept in the shared cache under a token goes stale when the token is replaced.

Each kind of change has one key in the cache holding a random token (the page tree and the chrome:
website.chrome; the tracker's facts: placements.public_figures; the vacancy board: website). What
depends on it is kept under keys that name the token, so a change makes all of it stale at once by
replacing the token (invalidate()), with nothing to find and delete, and every process that shares
the cache sees the change from its next read. Random rather than a counter: a counter that was
evicted would start again at values whose old entries may still be kept.

Within a request the tokens, and what is read under them (cached(), kept_fragment()), are read from
the cache once: the first token a request asks for reads every token in one round trip
(cache.get_many), and the request keeps them until it ends (request_started and request_finished,
connected by website.apps). A round trip to a shared cache costs more than most of what it saves. A
change made during the request replaces its token here too, so the request that made it sees it; a
change made elsewhere while a request runs is seen from the next request. Outside a request (a
command, a task), every read goes to the cache.

What is read under a token is also copied into the process (local_copies), and later requests read
the copy: its key names the token, which each request reads afresh from the shared cache, so a copy
is used exactly while the shared entry would be, and a request costs one round trip however much it
reads. Objects are copied pickled, so each request unpickles its own as it would from the cache."""

import pickle
import threading
import time
import uuid

from asgiref.local import Local
from django.core.cache import cache
from django.db import connection, transaction

MISSING = "missing"  # kept for "there is none", which None (a cache miss) cannot say

# A copy read from the shared cache is kept in the process no longer than this: the shared entry's
# own time left is not known.
CACHE_COPY_SECONDS = 10 * 60
registered = {}  # key in the cache: Generation
request_memo = Local()


def start_request(**kwargs):
    request_memo.values = {}


def end_request(**kwargs):
    request_memo.values = None


def memo():
    """What this request has read from the cache ({key: value}), or None outside a request."""
    return getattr(request_memo, "values", None)


def new_token():
    return uuid.uuid4().hex


class Generation:
    """One kind of change's token, kept in the cache under `key`."""

    def __init__(self, key):
        self.key = key
        registered[key] = self

    def token(self):
        values = memo()
        if values is None:
            return cache.get(self.key) or self.renew()
        if self.key not in values:
            read_tokens(values)
        return values[self.key]

    def renew(self):
        token = new_token()
        cache.set(self.key, token, None)
        values = memo()
        if values is not None:
            values[self.key] = token
        return token

    def invalidate(self):
        """Make what is kept under this token stale: now, and again when the current transaction
        commits, so that what was read in between, before the change could be seen, is not kept."""
        self.renew()
        if connection.in_atomic_block:
            transaction.on_commit(self.renew)


def invalidate_all():
    """Every token replaced: for writes that go past the signals (a restore, a bulk seeding)."""
    for generation in registered.values():
        generation.invalidate()


def read_tokens(values):
    """Every registered token this request has not read yet, in one round trip; a missing one is
    started afresh."""
    keys = [key for key in registered if key not in values]
    found = {key: token for key, token in cache.get_many(keys).items() if token}
    fresh = {key: new_token() for key in keys if key not in found}
    if fresh:
        cache.set_many(fresh, None)
    values.update(found)
    values.update(fresh)


def cached(generation, prefix, name, build, *parts, timeout):
    """build(), kept in the cache under the generation's current token and these parts of the key,
    and read once a request."""
    key = ":".join([prefix, generation.token(), name, *map(str, parts)])
    values = memo()
    if values is not None and key in values:
        return values[key]
    value = read(key, pickled=True)
    if value is None:
        value = build()
        keep(key, MISSING if value is None else value, timeout, pickled=True)
    if isinstance(value, str) and value == MISSING:
        value = None
    if values is not None:
        values[key] = value
    return value


def kept_fragment(key, render, timeout):
    """A template fragment (a string), kept in the cache under a key that names the tokens it was
    drawn under (base.html's fragments name them all), and copied into the process."""
    value = read(key, pickled=False)
    if value is None:
        value = render()
        keep(key, value, timeout, pickled=False)
    return value


class LocalCopies:
    """The process's copies: {key: (when it is dropped, value or its pickle)}, dropped at their timeout
    as the shared entries are, and all at once when they reach `limit` characters. Keys under replaced
    tokens are never read again and go then (with the cache down, every request starts new tokens:
    their copies must not pile up). Shared by the process's request threads (gunicorn's gthread
    workers, runserver): `put` holds a lock, so that the size stays the sum of what is kept."""

    def __init__(self, limit):
        self.limit, self.entries, self.size = limit, {}, 0
        self.lock = threading.Lock()

    def get(self, key):
        entry = self.entries.get(key)
        return entry[1] if entry is not None and entry[0] > time.monotonic() else None

    def put(self, key, copy, timeout):
        with self.lock:
            replaced = self.entries.pop(key, None)
            if replaced is not None:
                self.size -= len(replaced[1])
            if self.size + len(copy) > self.limit:
                self.entries.clear()
                self.size = 0
            self.entries[key] = (time.monotonic() + min(timeout, CACHE_COPY_SECONDS), copy)
            self.size += len(copy)


local_copies = LocalCopies(limit=16 * 1024 * 1024)


def read(key, *, pickled):
    if memo() is not None:
        copied = local_copies.get(key)
        if copied is not None:
            return pickle.loads(copied) if pickled else copied  # noqa: S301 - our own pickles
    value = cache.get(key)
    if value is not None:
        copy_locally(key, value, CACHE_COPY_SECONDS, pickled=pickled)
    return value


def keep(key, value, timeout, *, pickled):
    cache.set(key, value, timeout)
    copy_locally(key, value, timeout, pickled=pickled)


def copy_locally(key, value, timeout, *, pickled):
    """Copies are made in requests only: a command or a task reads the shared cache each time."""
    if memo() is not None:
        local_copies.put(key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL) if pickled else value, timeout)
