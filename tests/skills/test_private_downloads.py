"""Every view of skills and placements that hands out a private file (a stored certificate, a
certificate job's PDF, a cohort's PDFs, a credential, placement evidence) goes through the one
helper, skills.storage.private_file_response, which opens the file, audits the download against
each record it holds and answers with `Cache-Control: private, no-store`. Found by walking the URL
patterns, so a download view added later is held to it too."""

import inspect
import re

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from skills import storage
from skills.models import TrackerLogEntry
from tests.factories import CentreFactory
from tests.skills.builders import coordinator_of

# What a view does when it hands out a file: opens a stored one or answers with an attachment.
SERVES_A_FILE = re.compile(
    r"FileResponse|Content-Disposition|as_attachment|\.open\(|read_pdf|private_file_response"
)
# What only the helper may do.
ANSWERS_A_FILE_ITSELF = re.compile(r"FileResponse|Content-Disposition|as_attachment|[^_]log\(")

KNOWN_DOWNLOADS = {
    "skills_certificate:download",
    "skills_certificate:credential_download",
    "skills_cohort:certificates_download",
    "skills_certificate_job_download",
    "placements_placement:evidence_download",
}
# Views that match SERVES_A_FILE but hand out no private file, and why.
NOT_DOWNLOADS = {
    "skills_import_confirm": "reads the uploaded file to import it and hands nothing out",
    "placements_outcome_report_pdf": "an aggregate report made on request, no one's document",
}


def url_patterns(resolver=None, namespace=""):
    """(name with its namespace, pattern) of every URL pattern, nested includes too."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", pattern


def private_file_views():
    """{URL name: view class} of the views of skills and placements that hand out a file."""
    found = {}
    for name, pattern in url_patterns():
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None or view_class.__module__.split(".")[0] not in ("skills", "placements"):
            continue
        if name not in NOT_DOWNLOADS and SERVES_A_FILE.search(inspect.getsource(view_class)):
            found[name] = view_class
    return found


def test_every_view_that_hands_out_a_private_file_goes_through_the_one_helper():
    views = private_file_views()
    assert set(views) >= KNOWN_DOWNLOADS
    for name, view_class in views.items():
        source = inspect.getsource(view_class)
        assert "private_file_response(" in source, f"{name} serves a file without the helper"
        assert not ANSWERS_A_FILE_ITSELF.search(source), f"{name} answers or audits a file itself"


@pytest.fixture
def centre(db):
    return CentreFactory(slug="helperpur", code="HLP")


def test_the_helper_opens_before_it_audits_each_record_and_no_cache_keeps_the_answer(centre):
    coordinator = coordinator_of(centre, username="coordinator.helperpur")
    request = RequestFactory().get("/")
    request.user = coordinator
    stored = storage.current_private_storage.save("helper/two.pdf", ContentFile(b"%PDF two"))
    field = storage.PrivateFileField(storage=storage.current_private_storage)
    field_file = field.attr_class(None, field, stored)
    other = CentreFactory(slug="helperpur-two", code="HLT")

    response = storage.private_file_response(
        request, [centre, other], field_file, action="sakhi.view", data={"file": "both"}
    )
    assert b"".join(response.streaming_content) == b"%PDF two"
    assert response["Content-Disposition"] == 'attachment; filename="two.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    entries = TrackerLogEntry.objects.filter(action="sakhi.view", user=coordinator)
    assert sorted((e.object_id, e.data["file"]) for e in entries) == sorted(
        [(str(centre.pk), "both"), (str(other.pk), "both")]
    )

    storage.current_private_storage.delete(stored)
    with pytest.raises(FileNotFoundError):
        storage.private_file_response(
            request, centre, field.attr_class(None, field, stored), action="sakhi.view"
        )
    assert entries.count() == 2

    made = storage.private_file_response(
        request, centre, b"PK zip", action="sakhi.view", filename="a.zip", content_type="application/zip"
    )
    assert (made.content, made["Content-Type"], made["Cache-Control"]) == (
        b"PK zip",
        "application/zip",
        "private, no-store",
    )
    with pytest.raises(ValueError, match="audited"):
        storage.private_file_response(request, [], b"nothing", action="sakhi.view", filename="a.zip")
    with pytest.raises(ValueError, match="content type"):
        storage.private_file_response(request, centre, b"PK zip", action="sakhi.view", filename="a.zip")
