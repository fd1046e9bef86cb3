"""Migrate an SQLite test database once, then copy it into every test process that needs one.

Each pytest-xdist worker, and each of `make test`'s two pytest runs, has an in-memory SQLite test
database of its own, and migrating one (Wagtail's, Django's and ours) costs about 18 s of CPU. The
first process to need it migrates as Django does and saves the result in the temporary folder under
a fingerprint of everything the migrations run: every migration file of every installed app, and
all of our own apps' code, which data migrations import (the role rights table, for instance). The
others wait for it and copy it in with sqlite3's backup API, in milliseconds. A changed migration or
app module is a new fingerprint, so a stale copy is never used.

An in-memory SQLite test database is copied from a file; a PostgreSQL one is made from a template
database in the same cluster (CREATE DATABASE ... TEMPLATE). `--nomigrations` runs and a kept
database (`--reuse-db`) are created by Django as before."""

import contextlib
import fcntl
import hashlib
import sqlite3
import tempfile
import time
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError

TEMPLATES = Path(tempfile.gettempdir()) / "sakhi-test-databases"
PROJECT = Path(settings.BASE_DIR).resolve()
KEPT_FOR = 24 * 60 * 60  # other fingerprints' copies older than this are removed when one is saved


def fingerprint():
    digest = hashlib.sha256(f"{django.get_version()} {sqlite3.sqlite_version}".encode())
    for app in sorted(apps.get_app_configs(), key=lambda app: app.label):
        path = Path(app.path).resolve()
        ours = path.is_relative_to(PROJECT) and ".venv" not in path.relative_to(PROJECT).parts
        files = path.rglob("*.py") if ours else (path / "migrations").glob("*.py")
        for file in sorted(files):
            digest.update(str(file.relative_to(path)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:24]


@contextlib.contextmanager
def locked(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def save(connection, template):
    partial = template.with_suffix(".partial")
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    partial.replace(template)
    for old in TEMPLATES.glob("*.sqlite3"):
        if old != template and time.time() - old.stat().st_mtime > KEPT_FOR:
            old.unlink(missing_ok=True)


def load(connection, template):
    source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def copied_from_template(creation):
    """A create_test_db for this connection's creation that copies the migrated template in."""
    original = creation.create_test_db

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        connection = creation.connection
        name = creation._get_test_db_name()
        if keepdb or connection.settings_dict["TEST"].get("MIGRATE") is False:
            return original(verbosity, autoclobber, serialize, keepdb)
        if connection.vendor == "sqlite" and creation.is_in_memory_db(name):
            return sqlite_from_template(creation, name, verbosity, autoclobber, serialize)
        if connection.vendor == "postgresql":
            return postgresql_from_template(creation, original, verbosity, autoclobber, serialize)
        return original(verbosity, autoclobber, serialize, keepdb)

    return create_test_db


def sqlite_from_template(creation, name, verbosity, autoclobber, serialize):
    # As BaseDatabaseCreation.create_test_db, with the migrations run once per fingerprint.
    connection = creation.connection
    creation._create_test_db(verbosity, autoclobber, False)
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    template = TEMPLATES / f"{fingerprint()}.sqlite3"
    with locked(template):
        connection.ensure_connection()
        if template.exists():
            load(connection, template)
        else:
            call_command(
                "migrate",
                verbosity=max(verbosity - 1, 0),
                interactive=False,
                database=connection.alias,
                run_syncdb=True,
            )
            connection.ensure_connection()
            save(connection, template)
    return finish(creation, name, serialize)


def postgresql_from_template(creation, original, verbosity, autoclobber, serialize):
    """The first process migrates its test database as Django does, which is then copied to a
    template database in the same cluster; the others are made with CREATE DATABASE ... TEMPLATE.
    Copies are made one at a time (PostgreSQL refuses to copy a database someone is connected to)."""
    connection = creation.connection
    template = f"sakhi_template_{fingerprint()}"
    cluster = f"{connection.settings_dict['HOST']}:{connection.settings_dict['PORT']}"
    with locked(TEMPLATES / f"postgresql-{hashlib.sha256(cluster.encode()).hexdigest()[:12]}-{template}"):
        with creation._nodb_cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'sakhi_template_%%'")
            templates = {row[0] for row in cursor.fetchall()}
        if template not in templates:
            name = original(verbosity, autoclobber, serialize, False)
            connection.close()
            with creation._nodb_cursor() as cursor:
                for stale in templates:  # an earlier state of the code's; kept only if in use
                    with contextlib.suppress(DatabaseError):
                        cursor.execute(f"DROP DATABASE IF EXISTS {creation._quote_name(stale)}")
                cursor.execute(
                    f"CREATE DATABASE {creation._quote_name(template)} TEMPLATE {creation._quote_name(name)}"
                )
            return name
        test_settings = connection.settings_dict["TEST"]
        test_settings["TEMPLATE"] = template
        try:
            name = creation._create_test_db(verbosity, autoclobber, False)
        finally:
            del test_settings["TEMPLATE"]
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    return finish(creation, name, serialize)


def finish(creation, name, serialize):
    """The rest of BaseDatabaseCreation.create_test_db after its migrate."""
    if serialize:
        creation.connection._test_serialized_contents = creation.serialize_db_to_string()
    call_command("createcachetable", database=creation.connection.alias)
    creation.connection.ensure_connection()
    return name
