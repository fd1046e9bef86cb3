"""Issue J, item 7: a backup is proven by restoring it. `manage.py backup` here (the test database,
PostgreSQL or SQLite as the suite runs), `manage.py restore` in a separate process into an empty
database and storage, and the restored site gives the same certificate checksums and outcome figures."""

import contextlib
import datetime
import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pyrage
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from placements import services as placement_services
from placements.models import Placement
from skills import certificates
from skills.models import Certificate
from tests.factories import CentreFactory, CourseFactory, TradeFactory
from tests.skills.test_certificates import completed_cohort
from website import backups

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def backup_key(monkeypatch):
    key = str(pyrage.x25519.Identity.generate())
    monkeypatch.setenv("SAKHI_BACKUP_KEY", key)
    return key


class EmptySite:
    """An empty database (a new PostgreSQL database on the test server, or a new SQLite file) and an
    empty private-files folder, for `manage.py restore` run as its own process."""

    def __init__(self, folder):
        self.files = folder / "private-media"
        self.files.mkdir()
        if connection.vendor == "postgresql":
            import psycopg

            settings = connection.settings_dict
            self.name = f"sakhi_restore_{uuid.uuid4().hex[:8]}"
            self.server = {
                "host": settings["HOST"] or None,
                "port": settings["PORT"] or None,
                "user": settings["USER"] or None,
                "password": settings["PASSWORD"] or None,
            }
            with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')
            credentials = self.server["user"] or ""
            if self.server["password"]:
                credentials += f":{self.server['password']}"
            self.url = f"postgres://{credentials}@{self.server['host'] or 'localhost'}:{self.server['port'] or 5432}/{self.name}"
        else:
            self.name = None
            self.url = f"sqlite:///{folder / 'restored.sqlite3'}"

    def manage(self, *arguments, key):
        environ = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "website.settings.dev",
            "DATABASE_URL": self.url,
            "PRIVATE_MEDIA_ROOT": str(self.files),
            "SAKHI_BACKUP_KEY": key,
        }
        return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=environ,
            capture_output=True,
            text=True,
            check=False,
        )

    def table_count(self):
        """How many tables the empty site's database holds, read directly: a `manage.py` process
        for it would import every app (seconds of CPU) to run one query."""
        if self.name:
            import psycopg

            with psycopg.connect(dbname=self.name, **self.server) as restored:
                query = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                return restored.execute(query).fetchone()[0]
        path = Path(self.url.removeprefix("sqlite:///"))
        if not path.exists():
            return 0
        with contextlib.closing(sqlite3.connect(path)) as restored:
            return restored.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]

    def drop(self):
        if self.name:
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def empty_site(tmp_path):
    site = EmptySite(tmp_path)
    try:
        yield site
    finally:
        site.drop()


@pytest.fixture
def committed_site(transactional_db):
    """A centre of the test's own, with issued certificates and a job, committed: pg_dump reads
    the database from its own connection, which sees no row of a test's open transaction. The
    flush that ends a transactional test removes them again."""
    centre = CentreFactory(slug="backuppur", code="BKP", district="Backuppur")
    course = CourseFactory(trade=TradeFactory(slug="backup-weaving", name="Weaving"), title="Weaving")
    cohort = completed_cohort(centre, size=3, attended=(10, 10, 6), course=course)
    issued, _skipped = certificates.issue_for_cohort(cohort, on=datetime.date(2026, 4, 10))
    placement_services.record_outcome(
        Placement(
            trainee=issued[0].enrolment.trainee,
            employer_name="Backuppur Weavers",
            job_title="Weaver",
            monthly_pay=9000,
            start_date=datetime.date(2026, 5, 1),
        )
    )
    return issued


@pytest.fixture
def backup_folder(committed_site, tmp_path, backup_key):
    call_command("backup", str(tmp_path / "backups"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    (folder,) = (tmp_path / "backups").iterdir()
    return folder


@pytest.mark.django_db(transaction=True)
def test_a_restore_into_an_empty_site_gives_the_same_certificates_and_figures(
    committed_site, backup_folder, backup_key, empty_site
):
    expected = backups.certificate_checksums()
    assert len(committed_site) == 2
    assert {certificate.number for certificate in committed_site} <= set(expected)

    restored = empty_site.manage("restore", str(backup_folder), key=backup_key)

    assert restored.returncode == 0, restored.stderr
    assert f"{len(expected):,} certificates match" in restored.stdout
    # Restored the same day, so every period of the manifest is compared: the span and each year.
    periods = len(backups.outcome_report(timezone.localdate().year))
    assert periods > 10
    assert f"the outcome figures of {periods} periods match" in restored.stdout
    # Checked here too, not only by the command: the restored files are the issued PDFs.
    for number, name in Certificate.objects.exclude(pdf="").values_list("number", "pdf"):
        assert hashlib.sha256((empty_site.files / name).read_bytes()).hexdigest() == expected[number]

    again = empty_site.manage("restore", str(backup_folder), key=backup_key)
    assert again.returncode != 0
    assert "already holds data" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_a_wrong_key_stops_before_anything_is_written(backup_folder, empty_site):
    other_key = str(pyrage.x25519.Identity.generate())

    done = empty_site.manage("restore", str(backup_folder), key=other_key)

    assert done.returncode != 0
    assert "cannot be decrypted" in done.stderr
    assert "Traceback" not in done.stderr
    assert empty_site.table_count() == 0
    assert not any(empty_site.files.iterdir())


@pytest.mark.django_db(transaction=True)
def test_a_damaged_file_stops_before_anything_is_written(backup_folder, backup_key, empty_site):
    damaged = backup_folder / "files.age"
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))

    done = empty_site.manage("restore", str(backup_folder), key=backup_key)

    assert done.returncode != 0
    assert "files part cannot be decrypted" in done.stderr
    assert empty_site.table_count() == 0
    assert not any(empty_site.files.iterdir())


@pytest.mark.django_db(transaction=True)
def test_the_backup_holds_neither_the_key_nor_anything_readable(committed_site, backup_folder, backup_key):
    name = committed_site[0].enrolment.trainee.full_name
    assert name == "Priya Kshatriya"
    for part in backup_folder.iterdir():
        data = part.read_bytes()
        assert backup_key.encode() not in data
        assert name.encode() not in data
        assert data.startswith(b"age-encryption.org/v1")


def test_without_a_key_the_backup_says_what_to_set(db, tmp_path, monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.delenv("SAKHI_BACKUP_KEY", raising=False)

    with pytest.raises(CommandError, match="SAKHI_BACKUP_KEY"):
        call_command("backup", str(tmp_path))
    assert not any(tmp_path.iterdir())
