"""Storage for personal documents (certificates, evidence): never given a public URL."""

from django.core.files.storage import FileSystemStorage, InMemoryStorage
from django.db import models
from django.urls import reverse

from core.uploads import DocumentField, PrivateFileInput


class NoPublicURL:
    def url(self, name):
        raise ValueError(
            "Private files have no public URL; serve them through a view that checks permissions."
        )


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
