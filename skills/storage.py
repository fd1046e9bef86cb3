"""Storage for personal documents (certificates, evidence, uploaded imports): never given a URL.
On local disk by default, in an S3-compatible bucket when SAKHI_S3_BUCKET is set
(skills/object_storage.py); either way staff download them through private_file_response."""

import posixpath

from django.core.files.storage import FileSystemStorage, InMemoryStorage, storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header
from wagtail.log_actions import log

from core.uploads import DocumentField, PrivateFileInput

# Looked up by /readyz on every storage: a name never written, so the answer is always "not there".
PROBE_NAME = "readyz-probe-never-written"


class NoPublicURL:
    def url(self, name):
        raise ValueError(
            "Private files have no public URL; serve them through a view that checks permissions."
        )

    def answers(self):
        """Whether the storage can be asked at all (website/health.py); raises when it cannot."""
        self.exists(PROBE_NAME)
        return True


class CurrentPrivateStorage(LazyObject):
    """storages["private"] as the settings have it now. A model field takes its storage once, when
    the models load; when STORAGES changes later (a test pointing it at a bucket), the fields must
    follow, or they would write where the backups and downloads no longer read."""

    def _setup(self):
        self._wrapped = storages["private"]


current_private_storage = CurrentPrivateStorage()


@receiver(setting_changed)
def forget_the_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        current_private_storage._wrapped = empty


class PrivateFileSystemStorage(NoPublicURL, FileSystemStorage):
    pass


class PrivateInMemoryStorage(NoPublicURL, InMemoryStorage):
    """For tests."""


class PrivateFileField(models.FileField):
    """A file in private storage: its forms never ask for a URL (there is none) and link to
    `download_view` (a URL name taking the object's pk, a view that checks permissions) instead,
    and uploads go through core.uploads' one check. Every model field holding a personal
    document is one of these."""

    def __init__(self, *args, storage, download_view=None, **kwargs):
        self.download_view = download_view
        super().__init__(*args, storage=storage, **kwargs)

    def deconstruct(self):
        # The column is a plain FileField's; how its forms look is no business of migrations, so
        # they record it as one and changing forms never needs a migration.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs

    def download_url(self, instance):
        return reverse(self.download_view, args=[instance.pk]) if self.download_view else ""

    def formfield(self, **kwargs):
        return super().formfield(
            **{
                "form_class": DocumentField,
                "widget": PrivateFileInput(download_url=self.download_url),
                **kwargs,
            }
        )


def private_file_response(request, audited, source, *, action, filename=None, content_type=None, data=None):
    """The one way staff download private files. `audited` is the instance, or the instances, whose
    personal data the download holds, found by the caller through the permission-scoped queryset:
    each gets one entry in the audit trail, as `action` with `data`. `source` is a stored file,
    opened from the private storage (disk or bucket) and streamed through the app server, or the
    bytes the caller made for this download from stored ones (a combined PDF, a zip). Either way
    the answer is an attachment that no cache keeps, and the file is opened (or made) before
    anything is logged, so that the trail never shows a download that could not be read."""
    instances = [audited] if isinstance(audited, models.Model) else list(audited)
    if not instances:
        raise ValueError("A private download is audited against the records it holds; none was given.")
    if isinstance(source, bytes):
        if not (filename and content_type):
            raise ValueError("Bytes made for a download need the filename and content type they go out as.")
        response = HttpResponse(source, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            source.open("rb"),
            as_attachment=True,
            filename=filename or posixpath.basename(source.name),
            content_type=content_type,
        )
    for instance in instances:
        log(instance=instance, action=action, user=request.user, data=data)
    response["Cache-Control"] = "private, no-store"
    return response
