"""Storage for personal documents (certificates, evidence): never given a public URL."""

from django.core.files.storage import FileSystemStorage, InMemoryStorage


class NoPublicURL:
    def url(self, name):
        raise ValueError(
            "Private files have no public URL; serve them through a view that checks permissions."
        )


class PrivateFileSystemStorage(NoPublicURL, FileSystemStorage):
    pass


class PrivateInMemoryStorage(NoPublicURL, InMemoryStorage):
    """For tests."""
