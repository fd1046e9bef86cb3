"""`make run` serves from an SQLite file, a connection per request thread: two requests writing at
once (a double-clicked button) must queue for the write lock, not fail with "database is locked"."""

import sqlite3
import threading

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.backends.sqlite3.base import DatabaseWrapper

from tests.website.test_production_settings import production_settings


def file_database(path, options):
    return DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": options,
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        }
    )


def two_requests_writing_at_once(path, options):
    """Two transactions as two request threads run them: each reads (is there a job yet?), then
    writes one. The second reads before the first writes, and writes after it. Returns the errors."""
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE job (id INTEGER PRIMARY KEY, submitted_by TEXT)")
    first_read, second_read, first_wrote = threading.Event(), threading.Event(), threading.Event()
    errors = []

    def request(name, read, wait_for, wrote):
        database = file_database(path, options)
        try:
            # As transaction.atomic() begins a transaction on SQLite (with the connection's mode).
            database.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with database.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM job")
                read.set()
                wait_for.wait(timeout=1)  # immediate mode: the other waits at BEGIN, not here
                cursor.execute("INSERT INTO job (submitted_by) VALUES (%s)", [name])
                wrote.set()
            database.commit()
        except OperationalError as error:
            errors.append(str(error))
        finally:
            database.close()

    first = threading.Thread(target=request, args=("first", first_read, second_read, first_wrote))
    first.start()
    assert first_read.wait(timeout=10)
    second = threading.Thread(target=request, args=("second", second_read, first_wrote, threading.Event()))
    second.start()
    first.join(timeout=30)
    second.join(timeout=30)
    return errors


@pytest.fixture
def unblocked(django_db_blocker):
    """Connections of the test's own to a file of its own, not to the test database."""
    with django_db_blocker.unblock():
        yield


def test_two_writers_at_once_both_write_with_the_settings_options(tmp_path, unblocked):
    path = tmp_path / "db.sqlite3"

    assert two_requests_writing_at_once(path, settings.SQLITE_OPTIONS) == []

    with sqlite3.connect(path) as database:
        assert database.execute("SELECT count(*) FROM job").fetchone() == (2,)


def test_in_sqlites_default_mode_the_second_writer_fails(tmp_path, unblocked):
    """What the option prevents, shown on the same two requests (so the test above can fail)."""
    assert two_requests_writing_at_once(tmp_path / "db.sqlite3", {}) == ["database is locked"]


@pytest.mark.parametrize("module", ["website.settings.dev", "website.settings.production"])
def test_an_sqlite_database_is_opened_with_the_options(module):
    show = "import json; from django.conf import settings; print(json.dumps(settings.DATABASES['default']))"
    database = production_settings(show=show, DJANGO_SETTINGS_MODULE=module)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
