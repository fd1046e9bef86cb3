"""Issue J, item 4: with SAKHI_S3_BUCKET set, the private files (issued certificates, placement
evidence) live in an S3-compatible bucket, here moto's S3 server run as its own process and spoken
to over HTTP. Nobody reads an object without the site's keys; staff download through views that
check permissions and write every download into the audit trail; /readyz names the storage when the
bucket cannot be reached; a backup read from one bucket restores into an empty one."""

import datetime
import hashlib
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pyrage
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from placements import services as placement_services
from placements.models import Placement
from skills import certificates, services
from skills.models import CohortSession, TrackerLogEntry
from tests.factories import CentreFactory, CohortFactory
from tests.skills.builders import coordinator_of, women
from tests.website.conftest import use_private_bucket
from website import backups

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def centre(db):
    return CentreFactory(slug="bucketpur", code="BKT", district="Bucketpur")


@pytest.fixture
def coordinators(centre):
    """The centre's coordinator and the coordinator of another centre."""
    return (
        coordinator_of(centre, username="bucketpur.coordinator"),
        coordinator_of(CentreFactory(slug="elsewhere", code="ELS"), username="elsewhere.coordinator"),
    )


def completed_enrolment(centre, name="Bucket Completer"):
    """A woman of the centre who attended her cohort's one session and passed: a certificate is due."""
    start = timezone.localdate() - datetime.timedelta(days=40)
    cohort = CohortFactory(
        centre=centre, start_date=start, end_date=start + datetime.timedelta(days=30), capacity=2
    )
    (enrolment,) = services.enrol(women(centre, 1, name=name), cohort, on=start)
    session = CohortSession.objects.create(cohort=cohort, date=start)
    services.record_attendance(session, [enrolment.pk])
    services.complete(enrolment, passed=True, result="A", on=cohort.end_date)
    return enrolment


def anonymous_get(server, bucket, key):
    """The object's plain address on the store, asked for by someone without keys: its status."""
    try:
        with urllib.request.urlopen(f"{server.endpoint_url}/{bucket}/{key}", timeout=10) as answer:  # noqa: S310
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def address_where_nothing_listens():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def stored_bytes(server, bucket, key):
    return server.client().get_object(Bucket=bucket, Key=key)["Body"].read()


def downloads_logged(instance, action):
    return TrackerLogEntry.objects.filter(
        action=action, object_id=str(instance.pk), content_type__model=instance._meta.model_name
    )


def test_an_issued_certificate_goes_into_the_bucket_where_no_one_reads_it_without_keys(
    client, moto_server, private_bucket, centre, coordinators
):
    coordinator, _elsewhere = coordinators
    enrolment = completed_enrolment(centre)
    client.force_login(coordinator)

    issued = client.post(reverse("skills_enrolment:issue_certificate", args=[enrolment.pk]))

    assert issued.status_code == 302
    certificate = enrolment.certificates.get()
    key = certificate.pdf.name
    assert key.startswith("certificates/")
    assert stored_bytes(moto_server, private_bucket, key).startswith(b"%PDF")
    assert anonymous_get(moto_server, private_bucket, key) == 403
    grants = moto_server.client().get_object_acl(Bucket=private_bucket, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner's, no one else's
    assert "URI" not in grants[0]["Grantee"]  # not a group such as AllUsers
    with pytest.raises(ValueError, match="no public URL"):
        certificate.pdf.url  # noqa: B018 - not even a signed one

    # The store does refuse by the object's ACL, not everything: a public object is read.
    moto_server.client().put_object(Bucket=private_bucket, Key="public.txt", Body=b"hello", ACL="public-read")
    assert anonymous_get(moto_server, private_bucket, "public.txt") == 200


def test_staff_download_through_the_view_and_every_download_is_audited(
    client, moto_server, private_bucket, centre, coordinators
):
    coordinator, elsewhere = coordinators
    certificate = certificates.issue_certificate(completed_enrolment(centre), user=coordinator)
    in_bucket = stored_bytes(moto_server, private_bucket, certificate.pdf.name)
    url = reverse("skills_certificate:download", args=[certificate.pk])

    client.force_login(coordinator)
    for downloads in (1, 2):
        response = client.get(url)
        assert response.status_code == 200  # the bytes themselves, not a redirect to the bucket
        assert b"".join(response.streaming_content) == in_bucket
        assert response["Content-Disposition"] == f'attachment; filename="{certificate.number}.pdf"'
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"].startswith("private, no-store")
        logged = downloads_logged(certificate, "sakhi.certificate_download")
        assert logged.count() == downloads
        assert set(logged.values_list("user", flat=True)) == {coordinator.pk}

    client.force_login(elsewhere)
    refused = client.get(url)
    assert refused.status_code == 404
    assert in_bucket not in refused.content
    assert not downloads_logged(certificate, "sakhi.certificate_download").filter(user=elsewhere).exists()


def test_evidence_is_kept_in_the_bucket_and_downloaded_only_by_staff_of_her_centre(
    client, moto_server, private_bucket, centre, coordinators
):
    coordinator, elsewhere = coordinators
    (woman,) = women(centre, 1, name="Evidence Holder")
    placement = placement_services.record_outcome(
        Placement(
            trainee=woman,
            employer_name="Bucketpur Garments",
            job_title="Helper",
            monthly_pay=9000,
            start_date=timezone.localdate(),
        )
    )
    letter = b"%PDF-1.4 offer letter"
    placement.evidence.save("offer-letter.pdf", ContentFile(letter), save=True)
    key = placement.evidence.name
    assert stored_bytes(moto_server, private_bucket, key) == letter
    assert anonymous_get(moto_server, private_bucket, key) == 403
    url = reverse("placements_placement:evidence_download", args=[placement.pk])

    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == letter
    assert response["Content-Disposition"] == f'attachment; filename="{Path(key).name}"'
    (entry,) = downloads_logged(placement, "sakhi.view")
    assert (entry.user, entry.data) == (coordinator, {"file": "evidence"})

    client.force_login(elsewhere)
    refused = client.get(url)
    assert refused.status_code == 404
    assert letter not in refused.content
    assert downloads_logged(placement, "sakhi.view").count() == 1


def test_a_second_file_of_the_same_name_never_replaces_the_first(moto_server, private_bucket):
    storage = storages["private"]

    first = storage.save("evidence/offer-letter.pdf", ContentFile(b"%PDF-1 first"))
    second = storage.save("evidence/offer-letter.pdf", ContentFile(b"%PDF-1 second"))

    assert first != second
    assert stored_bytes(moto_server, private_bucket, first) == b"%PDF-1 first"


@pytest.mark.django_db
def test_readyz_names_the_storage_when_the_bucket_cannot_be_reached(
    client, moto_server, settings, monkeypatch
):
    use_private_bucket(settings, monkeypatch, moto_server, moto_server.new_bucket())
    assert client.get("/readyz").status_code == 200

    use_private_bucket(settings, monkeypatch, moto_server, "sakhi-bucket-never-made")
    missing = client.get("/readyz")
    assert missing.status_code == 503
    assert json.loads(missing.content) == {"status": "unavailable", "failed": ["storage"]}

    nobody_listens = address_where_nothing_listens()
    use_private_bucket(settings, monkeypatch, moto_server, "sakhi-private", endpoint_url=nobody_listens)
    unreachable = client.get("/readyz")
    assert unreachable.status_code == 503
    assert json.loads(unreachable.content) == {"status": "unavailable", "failed": ["storage"]}
    assert nobody_listens.encode() not in unreachable.content


def test_a_backup_of_the_bucket_restores_into_an_empty_bucket_with_the_same_checksums(
    moto_server, private_bucket, centre, coordinators, settings, monkeypatch, tmp_path
):
    coordinator, _elsewhere = coordinators
    issued = [
        certificates.issue_certificate(completed_enrolment(centre, name), user=coordinator)
        for name in ("Backup Ama", "Backup Bela")
    ]
    storages["private"].save("evidence/pay-slip.pdf", ContentFile(b"%PDF-1.4 pay slip"))
    identity = pyrage.x25519.Identity.generate()
    expected = backups.certificate_checksums()
    assert {c.number for c in issued} <= set(expected)
    in_source = {
        name: hashlib.sha256(stored_bytes(moto_server, private_bucket, name)).hexdigest()
        for name in backups.private_file_names(storages["private"])
    }
    assert len(in_source) == 3

    # The database part is tests/website/test_backup.py's: here its dump is a stand-in, as SQLite
    # cannot copy a database that this test's own open transaction is writing to.
    monkeypatch.setattr(backups, "dump_database", lambda path: Path(path).write_bytes(b"database"))
    folder, manifest = backups.make_backup(tmp_path / "backups", identity)

    assert manifest["files"]["count"] == 3
    empty = moto_server.new_bucket("sakhi-restored")
    restored_storage = use_private_bucket(settings, monkeypatch, moto_server, empty)
    assert backups.private_file_names(restored_storage) == []
    work = tmp_path / "work"
    work.mkdir()
    backups.read_backup(folder, work, identity)
    assert backups.restore_private_files(work / "files", force=False) == 3
    assert backups.certificate_checksums() == manifest["certificates"] == expected
    assert {
        name: hashlib.sha256(stored_bytes(moto_server, empty, name)).hexdigest()
        for name in backups.private_file_names(restored_storage)
    } == in_source
    with pytest.raises(backups.BackupError, match="already holds"):
        backups.restore_private_files(work / "files", force=False)


# The settings an operator sets, read by a fresh interpreter as the servers read them.

# Writes into the media storage only when it is a bucket: on local disk it is the checkout's media/.
SAVE_AND_SHOW = """
import json, os
from django.core.files.base import ContentFile
from django.core.files.storage import storages
private, media = storages["private"], storages["default"]
shown = {"private": type(private).__name__, "media": type(media).__name__}
shown["private_name"] = private.save("certificates/probe.pdf", ContentFile(b"%PDF-probe"))
if os.environ.get("SAKHI_S3_MEDIA_BUCKET"):
    shown["media_name"] = media.save("original_images/photo.txt", ContentFile(b"a photo"))
    shown["media_url"] = media.url(shown["media_name"])
print(json.dumps(shown))
"""


def run_with_settings(module, **environ):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": module,
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "sakhi.example",
        **environ,
    }
    for name in ("DATABASE_URL", "SAKHI_S3_BUCKET", "SAKHI_S3_MEDIA_BUCKET"):
        if name not in environ:
            env.pop(name, None)
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", SAVE_AND_SHOW], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_production_settings_put_files_in_the_buckets_the_environment_names(moto_server):
    private_bucket, media_bucket = moto_server.new_bucket(), moto_server.new_bucket("sakhi-media")

    done = run_with_settings(
        "website.settings.production",
        **moto_server.environment(private_bucket),
        SAKHI_S3_MEDIA_BUCKET=media_bucket,
        SAKHI_MEDIA_HOST="sakhi.example/media",
    )

    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["private"] == "PrivateS3Storage"
    assert stored_bytes(moto_server, private_bucket, shown["private_name"]) == b"%PDF-probe"
    assert anonymous_get(moto_server, private_bucket, shown["private_name"]) == 403
    assert shown["media"] == "S3Storage"
    assert shown["media_url"] == f"https://sakhi.example/media/{shown['media_name']}"
    head = moto_server.client().head_object(Bucket=media_bucket, Key=shown["media_name"])
    assert head["CacheControl"] == "public, max-age=31536000"


def test_without_a_bucket_the_files_stay_on_local_disk(tmp_path):
    done = run_with_settings("website.settings.dev", PRIVATE_MEDIA_ROOT=str(tmp_path))

    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["private"] == "PrivateFileSystemStorage"
    assert (tmp_path / shown["private_name"]).read_bytes() == b"%PDF-probe"
    assert shown["media"] == "FileSystemStorage"


def test_a_media_bucket_without_its_public_host_is_refused(moto_server):
    done = run_with_settings(
        "website.settings.production", **moto_server.environment(""), SAKHI_S3_MEDIA_BUCKET="sakhi-media"
    )

    assert done.returncode != 0
    assert "Set SAKHI_MEDIA_HOST" in done.stderr
