"""Migrate an SQLite test database once, then copy it into every test process that needs one.

Each pytest-xdist worker, and each of `make test`'s two pytest runs, has an in-memory SQLite test
database of its own, and migrating one (Wagtail's, Django's and ours) costs about 18 s of CPU. The
first process to need it migrates as Django does and saves the result in the temporary folder under
a fingerprint of everything the migrations run: every migration file of every installed app, and
all of our own apps' code, which data migrations import (the role rights table, for instance). The
others wait for it and copy it in with sqlite3's backup API, in milliseconds. A changed migration or
app module is a new fingerprint, so a stale copy is never used.

Only an in-memory SQLite test database is copied; PostgreSQL and `--nomigrations` runs, and a kept
database (`--reuse-db`), are created by Django as before."""

import fcntl
import hashlib
import sqlite3
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

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


@contextmanager
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
        if (
            connection.vendor != "sqlite"
            or keepdb
            or not creation.is_in_memory_db(name)
            or connection.settings_dict["TEST"].get("MIGRATE") is False
        ):
            return original(verbosity, autoclobber, serialize, keepdb)
        # As BaseDatabaseCreation.create_test_db, with the migrations run once per fingerprint.
        creation._create_test_db(verbosity, autoclobber, keepdb)
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
        if serialize:
            connection._test_serialized_contents = creation.serialize_db_to_string()
        call_command("createcachetable", database=connection.alias)
        connection.ensure_connection()
        return name

    return create_test_db
