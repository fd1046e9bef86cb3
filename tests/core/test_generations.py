"""Generation tokens (core/generations.py): what is kept under a token goes stale when it is replaced,
here or in another process sharing the cache; a request reads the tokens in one round trip and what
it reads under them once, from the process's copy while the tokens are unchanged."""

import uuid

import pytest
from django.core.cache import cache

from core import generations


@pytest.fixture
def generation():
    made = generations.Generation(f"test:generations:{uuid.uuid4().hex}")
    yield made
    generations.registered.pop(made.key, None)


@pytest.fixture
def request_cycle():
    """A request's start and end, as request_started and request_finished mark them."""

    class Cycle:
        def __enter__(self):
            generations.start_request()

        def __exit__(self, *exc_info):
            generations.end_request()

    yield Cycle()
    generations.end_request()


class Builds:
    def __init__(self, value):
        self.value, self.count = value, 0

    def __call__(self):
        self.count += 1
        return self.value


class RoundTrips:
    """Counts the calls that reach the shared cache (a backend's get_many may call its own get)."""

    def __init__(self, monkeypatch):
        self.calls, self.depth = [], 0
        for name in ("get", "get_many", "set", "set_many"):
            method = getattr(cache, name)
            monkeypatch.setattr(cache, name, self.counting(name, method))

    def counting(self, name, method):
        def call(*args, **kwargs):
            if not self.depth:
                self.calls.append(name)
            self.depth += 1
            try:
                return method(*args, **kwargs)
            finally:
                self.depth -= 1

        return call


def replaced_elsewhere(generation):
    """Another process's change: the token replaced in the shared cache, not in this process."""
    cache.set(generation.key, uuid.uuid4().hex, None)


def kept(generation, build, *parts):
    return generations.cached(generation, "test:kept", "value", build, *parts, timeout=60)


def test_a_token_is_kept_in_the_cache_and_started_when_missing(generation):
    token = generation.token()
    assert cache.get(generation.key) == token
    assert generation.token() == token
    cache.delete(generation.key)
    assert generation.token() not in (None, token)


def test_invalidation_replaces_the_token_now_and_again_on_commit(
    db, generation, django_capture_on_commit_callbacks
):
    before = generation.token()
    with django_capture_on_commit_callbacks(execute=True):
        generation.invalidate()
        during = generation.token()
        assert during != before
    assert generation.token() not in (before, during)


def test_a_value_is_built_once_a_token_and_again_after_a_change(generation):
    build = Builds(["Lucknow", "Buxar"])
    assert kept(generation, build) == ["Lucknow", "Buxar"]
    assert kept(generation, build) == ["Lucknow", "Buxar"]
    assert build.count == 1
    generation.invalidate()
    kept(generation, build)
    assert build.count == 2


def test_none_is_kept_too(generation):
    build = Builds(None)
    assert kept(generation, build) is None
    assert kept(generation, build) is None
    assert build.count == 1


def test_a_request_reads_every_token_in_one_round_trip(generation, request_cycle, monkeypatch):
    other = generations.Generation(f"test:generations:{uuid.uuid4().hex}")
    try:
        with request_cycle:
            generation.token()  # every registered token now exists in the cache
        trips = RoundTrips(monkeypatch)
        with request_cycle:
            generation.token(), other.token(), generation.token()
        assert trips.calls == ["get_many"]
    finally:
        generations.registered.pop(other.key)


def test_a_change_elsewhere_is_seen_from_the_next_request(generation, request_cycle):
    build = Builds("menu")
    with request_cycle:
        first = generation.token()
        kept(generation, build)
        replaced_elsewhere(generation)
        assert generation.token() == first
        kept(generation, build)
        assert build.count == 1
    with request_cycle:
        assert generation.token() != first
        kept(generation, build)
    assert build.count == 2


def test_a_change_made_in_the_request_is_seen_by_it(generation, request_cycle):
    build = Builds("menu")
    with request_cycle:
        kept(generation, build)
        generation.invalidate()
        kept(generation, build)
    assert build.count == 2


def test_later_requests_read_the_process_copy_while_the_token_is_unchanged(
    generation, request_cycle, monkeypatch
):
    with request_cycle:
        kept(generation, Builds({"helpline": "181"}))
    trips = RoundTrips(monkeypatch)
    with request_cycle:
        assert kept(generation, Builds("not built")) == {"helpline": "181"}
    assert trips.calls == ["get_many"]  # the tokens only


def test_the_process_copy_is_dropped_with_its_token(generation, request_cycle):
    with request_cycle:
        kept(generation, Builds("old menu"))
    replaced_elsewhere(generation)
    with request_cycle:
        assert kept(generation, Builds("new menu")) == "new menu"


def test_each_request_gets_its_own_copy_of_an_object(generation, request_cycle):
    with request_cycle:
        kept(generation, Builds(["Lucknow"])).append("changed by a request")
    with request_cycle:
        assert kept(generation, Builds("not built")) == ["Lucknow"]


def test_outside_a_request_every_read_goes_to_the_cache(generation, monkeypatch):
    kept(generation, Builds("value"))
    trips = RoundTrips(monkeypatch)
    kept(generation, Builds("not built"))
    assert trips.calls == ["get", "get"]  # the token, the value


def test_a_fragment_is_kept_under_its_key(generation, request_cycle):
    key = f"test:fragment:{generation.token()}"
    with request_cycle:
        assert generations.kept_fragment(key, lambda: "<footer>181</footer>", 60) == "<footer>181</footer>"
    with request_cycle:
        assert generations.kept_fragment(key, lambda: "not drawn", 60) == "<footer>181</footer>"
    assert cache.get(key) == "<footer>181</footer>"


def test_the_process_copies_are_dropped_when_they_reach_their_limit(generation, request_cycle, monkeypatch):
    monkeypatch.setattr(generations, "local_copies", generations.LocalCopies(limit=100))
    first, second = (f"test:fragment:{generation.token()}:{n}" for n in (1, 2))
    with request_cycle:
        generations.kept_fragment(first, lambda: "a" * 60, 60)
        assert generations.local_copies.get(first) == "a" * 60
        generations.kept_fragment(second, lambda: "b" * 60, 60)
    assert generations.local_copies.get(first) is None
    assert generations.local_copies.get(second) == "b" * 60


def test_a_copy_kept_again_counts_once_towards_the_limit():
    """A key kept again (its copy expired, or two requests drew it at once) replaces its copy: the
    process's copies are the size of what they hold, not of every copy ever kept."""
    copies = generations.LocalCopies(limit=100)
    copies.put("test:fragment:again", "a" * 30, 60)
    copies.put("test:fragment:again", "a" * 30, 60)
    copies.put("test:fragment:other", "b" * 50, 60)  # 80 held: under the limit, nothing dropped
    assert copies.size == 80
    assert copies.get("test:fragment:again") == "a" * 30
    assert copies.get("test:fragment:other") == "b" * 50
