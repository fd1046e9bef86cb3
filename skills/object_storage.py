"""The private files in an S3-compatible object store (AWS S3, MinIO, ...), chosen by setting
SAKHI_S3_BUCKET (website/settings/base.py, docs/operations.md). Its own module so that a site on
local disk never imports boto3."""

from django.core.exceptions import ImproperlyConfigured
from storages.backends.s3 import S3Storage

from .storage import NoPublicURL


class PrivateS3Storage(NoPublicURL, S3Storage):
    """Issued certificates, placement evidence and uploaded import files, in a bucket that nobody
    reads without the site's keys: objects are written without an ACL (so the bucket's own
    private default holds; a public-read ACL is refused here), and there is no URL of any kind,
    not even a signed one: staff download through views that check permissions and write the
    audit trail (skills.storage.private_file_response; docs/decisions.md says why not signed
    links). Names are never reused, so a second file saved under a name in use gets its own."""

    default_acl = None
    file_overwrite = False

    def __init__(self, **settings):
        super().__init__(**settings)
        if self.default_acl not in (None, "private"):
            raise ImproperlyConfigured(
                f"The private storage must not give its files an ACL of {self.default_acl!r}."
            )

    def answers(self):
        """The bucket is there and these keys may read it: one HEAD request. (Asking for a missing
        object would answer 'not there' for a misspelt bucket too.)"""
        self.connection.meta.client.head_bucket(Bucket=self.bucket_name)
        return True
