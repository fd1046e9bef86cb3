"""Files people upload: one check for all of them, by content and not by name, before we keep them.

Evidence documents are scans and photos of offer letters and pay slips, so PDF, JPEG and PNG serve;
anything else (a web page, an SVG, a program) could run in the browser of the staff member who
opens it. Phone photos carry the place they were taken in their EXIF data, which for a survivor may
be where she lives: images are decoded and re-encoded from their pixels alone, so no metadata
survives. The size cap is one setting, SAKHI_UPLOAD_MAX_BYTES."""

import io
import os
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# A phone photo is 12 to 50 megapixels; more is a decompression bomb, not a document.
MAX_IMAGE_PIXELS = 60_000_000
HEAD_BYTES = 2048


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple
    content_type: str
    signature: bytes = b""


PDF = Kind("PDF", (".pdf",), "application/pdf", b"%PDF-")
JPEG = Kind("JPEG", (".jpg", ".jpeg"), "image/jpeg", b"\xff\xd8\xff")
PNG = Kind("PNG", (".png",), "image/png", b"\x89PNG\r\n\x1a\n")
CSV = Kind("CSV", (".csv",), "text/csv")
DOCUMENT_KINDS = (PDF, JPEG, PNG)

# What a spreadsheet or program saved under a .csv name starts with: XLSX and ODS (zip), XLS
# (OLE2), programs, PDF and images.
BINARY_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"MZ", b"\x7fELF", b"GIF8") + tuple(
    kind.signature for kind in DOCUMENT_KINDS
)


def max_upload_bytes():
    return getattr(settings, "SAKHI_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def megabytes(size):
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def accepted_names(kinds):
    return ", ".join(kind.label for kind in kinds)


def checked_upload(upload, kinds=DOCUMENT_KINDS, max_bytes=None):
    """The upload as it may be stored, or ValidationError saying what is wrong with it.

    Its name must end in an extension of one of `kinds`, its content must be that kind (PDFs are
    opened, images decoded), and it must not be larger than `max_bytes`. Images come back
    re-encoded without metadata; other kinds come back unchanged."""
    max_bytes = max_upload_bytes() if max_bytes is None else max_bytes
    name = os.path.basename(upload.name or "")
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; files can be at most %(max)s MB.")
            % {"name": name, "size": megabytes(upload.size), "max": megabytes(max_bytes)},
            code="too_large",
        )
    extension = os.path.splitext(name)[1].lower()
    kind = next((k for k in kinds if extension in k.extensions), None)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not an accepted type of file. Upload one of: %(kinds)s.")
            % {"name": name, "kinds": accepted_names(kinds)},
            code="wrong_type",
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    not_that_kind = ValidationError(
        _("“%(name)s” is not really a %(kind)s file: its content does not match its name.")
        % {"name": name, "kind": kind.label},
        code="content_mismatch",
    )
    if kind is CSV:
        # Only what is surely not text is refused here; the importer reads the text and names the
        # line of any character it cannot take.
        if head.startswith(BINARY_SIGNATURES):
            raise not_that_kind
        return upload
    if not head.startswith(kind.signature):
        raise not_that_kind
    if kind is PDF:
        check_pdf(upload, name)
        return upload
    return reencoded_image(upload, name, kind)


def check_pdf(upload, name):
    from pypdf import PdfReader

    try:
        reader = PdfReader(upload)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception:  # noqa: BLE001 - a hostile file can break a parser in any way; all mean "unreadable"
        encrypted, pages = False, 0
    finally:
        upload.seek(0)
    if encrypted:
        raise ValidationError(
            _("“%(name)s” is protected by a password; upload a copy without one.") % {"name": name},
            code="encrypted",
        )
    if not pages:
        raise ValidationError(
            _("“%(name)s” could not be read as a PDF; it may be damaged. Try saving it again.")
            % {"name": name},
            code="unreadable",
        )


def reencoded_image(upload, name, kind):
    """The image's pixels alone, upright, in a new file of the same kind: no EXIF (location, camera,
    time), no comments, no embedded thumbnails."""
    from PIL import Image, ImageOps

    unreadable = ValidationError(
        _("“%(name)s” could not be read as an image; it may be damaged. Try saving it again.")
        % {"name": name},
        code="unreadable",
    )
    try:
        with Image.open(upload) as image:
            if image.format != kind.label or image.width * image.height > MAX_IMAGE_PIXELS:
                raise unreadable
            image.load()
            upright = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - as for PDFs: any failure to decode means "unreadable"
        raise unreadable from None
    finally:
        upload.seek(0)
    transparency = upright.info.get("transparency")
    upright.info = {}
    output = io.BytesIO()
    if kind is JPEG:
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(output, format="JPEG", quality=90, optimize=True)
    else:
        if upright.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            upright = upright.convert("RGBA")
        options = {"transparency": transparency} if transparency is not None else {}
        upright.save(output, format="PNG", optimize=True, **options)
    return SimpleUploadedFile(name, output.getvalue(), content_type=kind.content_type)


def accepted_help_text(kinds):
    return _("%(kinds)s, at most %(max)s MB.") % {
        "kinds": accepted_names(kinds),
        "max": megabytes(max_upload_bytes()),
    }


class DocumentField(forms.FileField):
    """A form's file box for documents: PDF, JPEG or PNG, checked and cleaned by checked_upload."""

    def __init__(self, *args, kinds=DOCUMENT_KINDS, **kwargs):
        self.kinds = kinds
        # A model field without help text passes "": say what the box accepts instead.
        kwargs["help_text"] = kwargs.get("help_text") or lazy(accepted_help_text, str)(kinds)
        super().__init__(*args, **kwargs)
        extensions = [extension for kind in kinds for extension in kind.extensions]
        self.widget.attrs.setdefault("accept", ",".join(extensions))

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            value = checked_upload(value, self.kinds)
        return value


class PrivateFileInput(forms.ClearableFileInput):
    """The file box for a file kept in private storage, which has no URL by design (asking for one
    raises). It shows the file's name, linked to `download_url(instance)` when given: a view that
    checks who is asking."""

    template_name = "core/widgets/private_file_input.html"

    def __init__(self, attrs=None, download_url=None):
        super().__init__(attrs)
        self.download_url = download_url

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            instance = getattr(value, "instance", None)
            context["widget"]["file_name"] = os.path.basename(value.name)
            context["widget"]["download_url"] = (
                self.download_url(instance)
                if self.download_url and instance is not None and instance.pk
                else ""
            )
        return context
