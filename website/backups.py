"""Backups that are proven by restoring them (docs/operator-guide.md, "Back up and restore").

A backup is a folder of three files, each encrypted with age (pyrage) to the key in
SAKHI_BACKUP_KEY, which is never written into the backup:

- `database.age`: a `pg_dump` in custom format (PostgreSQL), or a copy of the SQLite file;
- `files.age`: a tar of every file in the private storage (issued certificates, evidence);
- `manifest.age`: what the backup must restore to: the SHA-256 of both parts, the SHA-256 of every
  issued certificate's PDF, and the outcome report of every year since 2016.

A restore decrypts and checks everything before it writes anything: a wrong key, a damaged or
missing part, or a checksum that does not match stops it with a clear error. It refuses a database
or storage that already holds data unless forced. Afterwards it recomputes the certificate
checksums and the outcome report from what it restored and compares them with the manifest."""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pyrage
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone
from wagtail.models import Site

from core import generations
from core.dates import PROGRAMME_FIRST_YEAR
from placements.outcomes import Scope, report
from placements.public_figures import invalidate_public_figures
from skills.models import Certificate

PARTS = ("database", "files", "manifest")
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


# The key.


def backup_identity():
    """The age identity from SAKHI_BACKUP_KEY (an `AGE-SECRET-KEY-1…`)."""
    key = os.environ.get("SAKHI_BACKUP_KEY", "")
    if not key:
        raise BackupError(
            "Set SAKHI_BACKUP_KEY to the backup key (make one with `manage.py backup --new-key`, and keep "
            "it apart from the backups)."
        )
    try:
        return pyrage.x25519.Identity.from_str(key.strip())
    except pyrage.IdentityError as error:
        raise BackupError("SAKHI_BACKUP_KEY is not an age secret key (AGE-SECRET-KEY-1…).") from error


def new_key():
    return str(pyrage.x25519.Identity.generate())


def sha256_of_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def encrypt(plain_path, encrypted_path, identity):
    pyrage.encrypt_file(str(plain_path), str(encrypted_path), [identity.to_public()])


def decrypt(encrypted_path, plain_path, identity, part):
    try:
        pyrage.decrypt_file(str(encrypted_path), str(plain_path), [identity])
    except (pyrage.DecryptError, OSError) as error:  # a damaged chunk mid-stream raises OSError
        raise BackupError(
            f"The {part} part cannot be decrypted: the key is not the one it was made with, or the file is "
            "damaged. Nothing was restored."
        ) from error


# What a backup must restore to.


def certificate_checksums():
    """{certificate number: SHA-256 of its PDF}, read from the private storage."""
    storage = storages["private"]
    checksums = {}
    for number, name in Certificate.objects.exclude(pdf="").order_by("number").values_list("number", "pdf"):
        with storage.open(name, "rb") as pdf:
            checksums[number] = hashlib.sha256(pdf.read()).hexdigest()
    return checksums


def outcome_report(last_year):
    figures = report(Scope(), PROGRAMME_FIRST_YEAR, last_year, every_year_in_detail=True)
    return [period.as_dict() for period in [figures.total, *figures.years]]


def compare_reports(expected, found):
    """(the periods compared, those whose figures differ). A period missing after the restore
    differs; one computed for another day is not compared (a period that ends after the backup
    was made has a later report date after a later restore)."""
    by_period = {period["period"]: period for period in found}
    compared, wrong = [], []
    for period in expected:
        restored = by_period.get(period["period"])
        if restored is not None and restored["report_date"] != period["report_date"]:
            continue
        compared.append(period["period"])
        if restored != period:
            wrong.append(period["period"])
    return compared, wrong


# The database.


def database_vendor():
    return connection.vendor


def postgres_environment():
    database = connection.settings_dict
    environ = {**os.environ, "PGDATABASE": database["NAME"]}
    for key, variable in (
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if database.get(key):
            environ[variable] = str(database[key])
    return environ


def run_tool(arguments, environ, what):
    if shutil.which(arguments[0]) is None:
        raise BackupError(
            f"{arguments[0]} is not installed (PostgreSQL's client tools are needed to {what})."
        )
    done = subprocess.run(arguments, env=environ, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{arguments[0]} failed to {what}: {done.stderr.strip()}")


def dump_database(path):
    if database_vendor() == "postgresql":
        run_tool(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"],
            postgres_environment(),
            "dump the database",
        )
    elif database_vendor() == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(f"Backups know PostgreSQL and SQLite, not {database_vendor()}.")


def database_holds_data():
    with connection.cursor() as cursor:
        return bool(connection.introspection.table_names(cursor))


def restore_database(path, force):
    if database_vendor() == "postgresql":
        arguments = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if force:
            arguments += ["--clean", "--if-exists"]
        environ = postgres_environment()
        run_tool(
            [*arguments, f"--dbname={environ['PGDATABASE']}", str(path)], environ, "restore the database"
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


# The private files.


def private_file_names(storage, folder=""):
    folders, files = storage.listdir(folder)
    names = [f"{folder}/{name}" if folder else name for name in files]
    for child in folders:
        names += private_file_names(storage, f"{folder}/{child}" if folder else child)
    return sorted(names)


def pack_private_files(path):
    storage = storages["private"]
    names = private_file_names(storage)
    with tarfile.open(path, "w") as archive:
        for name in names:
            with storage.open(name, "rb") as source:
                data = source.read()
            entry = tarfile.TarInfo(name)
            entry.size = len(data)
            archive.addfile(entry, io.BytesIO(data))
    return len(names)


def unpacked_entries(path):
    """The tar's regular files, refusing names that would escape the storage."""
    with tarfile.open(path, "r") as archive:
        for entry in archive.getmembers():
            if not entry.isfile() or entry.name.startswith("/") or ".." in Path(entry.name).parts:
                raise BackupError(
                    f"The files part holds an unexpected entry ({entry.name!r}). Nothing was restored."
                )
            yield entry.name, archive.extractfile(entry).read()


def restore_private_files(path, force):
    storage = storages["private"]
    count = 0
    for name, data in unpacked_entries(path):
        if storage.exists(name):
            if not force:
                raise BackupError(f"The private storage already holds {name}: use --force to replace it.")
            storage.delete(name)
        saved = storage.save(name, ContentFile(data))
        if saved != name:
            raise BackupError(f"The private storage saved {name} as {saved}.")
        count += 1
    return count


# The two commands.


def make_backup(destination, identity, now=None):
    """Write a new backup folder under `destination` and return its path and manifest."""
    now = now or timezone.now()
    folder = Path(destination) / f"sakhi-backup-{now:%Y%m%d-%H%M%S}"
    if folder.exists():
        raise BackupError(f"{folder} already exists.")
    with tempfile.TemporaryDirectory(prefix="sakhi-backup-") as work:
        work = Path(work)
        dump_database(work / "database")
        file_count = pack_private_files(work / "files")
        manifest = {
            "format": FORMAT_VERSION,
            "made_at": now.isoformat(),
            "database": {"vendor": database_vendor(), "sha256": sha256_of_file(work / "database")},
            "files": {"count": file_count, "sha256": sha256_of_file(work / "files")},
            "certificates": certificate_checksums(),
            "outcome_report": outcome_report(timezone.localdate(now).year),
        }
        (work / "manifest").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        folder.mkdir(parents=True)
        for part in PARTS:
            encrypt(work / part, folder / f"{part}.age", identity)
    return folder, manifest


def read_backup(folder, work, identity):
    """Decrypt every part into `work` and check them against the manifest; nothing is written elsewhere."""
    folder = Path(folder)
    missing = [f"{part}.age" for part in PARTS if not (folder / f"{part}.age").is_file()]
    if missing:
        raise BackupError(
            f"{folder} is not a whole backup: {', '.join(missing)} missing. Nothing was restored."
        )
    for part in PARTS:
        decrypt(folder / f"{part}.age", work / part, identity, part)
    try:
        manifest = json.loads((work / "manifest").read_text())
    except ValueError as error:
        raise BackupError("The manifest cannot be read. Nothing was restored.") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"This backup has format {manifest.get('format')}; this version reads {FORMAT_VERSION}."
        )
    if manifest["database"]["vendor"] != database_vendor():
        raise BackupError(
            f"This backup holds a {manifest['database']['vendor']} database; this site runs on {database_vendor()}."
        )
    for part in ("database", "files"):
        if sha256_of_file(work / part) != manifest[part]["sha256"]:
            raise BackupError(
                f"The {part} part does not match its checksum in the manifest. Nothing was restored."
            )
    list(unpacked_entries(work / "files"))  # every name checked before any is written
    return manifest


def restore_backup(folder, identity, force=False):
    """Restore a backup into this site's database and private storage; return what was compared."""
    with tempfile.TemporaryDirectory(prefix="sakhi-restore-") as work:
        work = Path(work)
        manifest = read_backup(folder, work, identity)
        storage = storages["private"]
        if not force and database_holds_data():
            raise BackupError("The database already holds data: restore into an empty one, or use --force.")
        if not force and private_file_names(storage):
            raise BackupError(
                "The private storage already holds files: restore into an empty one, or use --force."
            )
        restore_database(work / "database", force)
        file_count = restore_private_files(work / "files", force)
    connection.close()  # forget what this connection knew of the old schema
    invalidate_public_figures()  # the shared cache may hold the figures of what was replaced
    generations.invalidate_all()  # and the pages, lists and fragments drawn from it (website/chrome.py)
    Site.clear_site_root_paths_cache()  # Wagtail's own, of the replaced database's sites
    found_checksums = certificate_checksums()
    made_on = datetime.datetime.fromisoformat(manifest["made_at"])
    found_report = outcome_report(timezone.localdate(made_on).year)
    wrong_certificates = sorted(
        number
        for number in set(manifest["certificates"]) | set(found_checksums)
        if manifest["certificates"].get(number) != found_checksums.get(number)
    )
    compared_periods, wrong_periods = compare_reports(manifest["outcome_report"], found_report)
    if wrong_certificates or wrong_periods:
        raise BackupError(
            "Restored, but it does not match the manifest: "
            + "; ".join(
                filter(
                    None,
                    [
                        wrong_certificates and f"certificates {', '.join(wrong_certificates[:10])}",
                        wrong_periods and f"outcome figures for {', '.join(wrong_periods)}",
                    ],
                )
            )
        )
    return {
        "files": file_count,
        "certificates": len(found_checksums),
        "periods_compared": len(compared_periods),
    }
