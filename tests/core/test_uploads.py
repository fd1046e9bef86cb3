"""Uploads, through the Wagtail admin's placement form: only PDF, JPEG and PNG, checked by content,
capped in size, images re-encoded without their EXIF location; and every form showing a file kept
in private storage renders (it has no URL: the form links to the view that checks permissions)."""

import datetime
import io

import pytest
from django import forms
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from PIL import ExifTags, Image
from pypdf import PdfWriter

from placements import services
from placements.models import Placement
from skills.models import Centre, Trainee
from skills.storage import NoPublicURL, PrivateFileField
from website.demo.users import seed_users

# Read when each test runs: a module-level date goes stale across midnight (India time).
today = timezone.localdate


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def coordinator(db, django_user_model):
    seed_users()
    return django_user_model.objects.get(username="coordinator")


@pytest.fixture
def placement(db):
    trainee = Trainee.objects.create(
        centre=Centre.objects.get(slug="lucknow"),
        full_name="Kiran Maurya",
        date_of_birth=datetime.date(1996, 5, 4),
    )
    return services.record_outcome(
        Placement(
            trainee=trainee, employer_name="Shop", job_title="Helper", monthly_pay=9000, start_date=today()
        )
    )


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def photo_with_location(image_format="JPEG", size=(40, 30)):
    """A phone photo: taken on its side (orientation 6), with the camera's model and the GPS
    position of where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Phone X"
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (26.0, 50.0, 49.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (80.0, 56.0, 46.0),
    }
    output = io.BytesIO()
    Image.new("RGB", size, "teal").save(output, format=image_format, exif=exif)
    return output.getvalue()


def edit(client, placement, upload):
    data = {
        "trainee": placement.trainee_id,
        "employer": "",
        "employer_name": placement.employer_name,
        "job_title": placement.job_title,
        "monthly_pay": placement.monthly_pay,
        "start_date": placement.start_date.isoformat(),
        "end_date": "",
    }
    if upload is not None:
        data["evidence"] = upload
    return client.post(reverse("placements_placement:edit", args=[placement.pk]), data)


# ---------------------------------------------------------------------------------------------
# Item 1: a form showing a private file renders
# ---------------------------------------------------------------------------------------------


def test_a_placement_with_evidence_can_be_edited(client, coordinator, placement):
    placement.evidence.save("offer-letter.pdf", ContentFile(pdf_bytes()), save=True)
    client.force_login(coordinator)
    response = client.get(reverse("placements_placement:edit", args=[placement.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    download = reverse("placements_placement:evidence_download", args=[placement.pk])
    assert f'href="{download}"' in html
    assert "offer-letter" in html


def test_every_form_of_a_private_file_renders_without_asking_for_a_url(placement):
    """Every model field whose storage has no public URL is a PrivateFileField, and a model form of
    it renders with a stored file, with a link only to its permission-checking view."""
    private_fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if hasattr(field, "storage") and isinstance(field.storage, NoPublicURL)
    ]
    assert {f"{f.model.__name__}.{f.name}" for f in private_fields} >= {
        "Placement.evidence",
        "Certificate.pdf",
    }
    for field in private_fields:
        assert isinstance(field, PrivateFileField), f"{field.model.__name__}.{field.name}"
        if not field.editable:
            continue
        form_class = forms.modelform_factory(field.model, fields=[field.name])
        instance = placement if field.model is Placement else field.model()
        setattr(instance, field.name, f"{field.upload_to}document.pdf")
        html = form_class(instance=instance).as_p()
        assert "document.pdf" in html
        if field.download_view:
            assert f'href="{reverse(field.download_view, args=[instance.pk])}"' in html


# ---------------------------------------------------------------------------------------------
# Item 13: uploads are checked
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 200, "is not an accepted type of file"),
        ("offer.html", b"<html><script>alert(1)</script></html>", "is not an accepted type of file"),
        (
            "offer.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
            "is not an accepted type of file",
        ),
        ("offer.pdf", b"<html><script>alert(1)</script></html>", "is not really a PDF file"),
        ("offer.png", b"%PDF-1.4 not an image", "is not really a PNG file"),
        ("offer.pdf", b"%PDF-1.4\n garbage with the right first bytes", "could not be read as a PDF"),
        ("offer.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "could not be read as an image"),
        ("offer", pdf_bytes(), "is not an accepted type of file"),
    ],
)
def test_uploads_of_other_kinds_are_refused_next_to_the_field(
    client, coordinator, placement, name, content, message
):
    client.force_login(coordinator)
    response = edit(client, placement, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["evidence"]
    assert message in errors["evidence"][0]
    assert message in response.content.decode()
    placement.refresh_from_db()
    assert not placement.evidence


def test_a_large_upload_is_refused_with_its_size(client, coordinator, placement):
    client.force_login(coordinator)
    big = pdf_bytes() + b"%" * (20 * 1024 * 1024)
    response = edit(client, placement, SimpleUploadedFile("scan.pdf", big))
    assert "“scan.pdf” is 20 MB; files can be at most 5 MB." in response.context["form"].errors["evidence"]
    with override_settings(SAKHI_UPLOAD_MAX_BYTES=1024 * 1024):
        response = edit(client, placement, SimpleUploadedFile("scan.pdf", big[: 2 * 1024 * 1024]))
        assert "“scan.pdf” is 2 MB; files can be at most 1 MB." in response.context["form"].errors["evidence"]


def test_a_pdf_is_kept_as_uploaded(client, coordinator, placement):
    client.force_login(coordinator)
    content = pdf_bytes()
    response = edit(client, placement, SimpleUploadedFile("Offer Letter.PDF", content))
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.evidence.name.startswith("evidence/")
    with placement.evidence.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(("name", "image_format"), [("pay-slip.jpg", "JPEG"), ("pay-slip.png", "PNG")])
def test_a_photo_is_reencoded_upright_without_its_location(
    client, coordinator, placement, name, image_format
):
    client.force_login(coordinator)
    original = photo_with_location(image_format)
    with Image.open(io.BytesIO(original)) as sent:
        assert sent.getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test photo carries a location"
    response = edit(client, placement, SimpleUploadedFile(name, original))
    assert response.status_code == 302
    placement.refresh_from_db()
    with placement.evidence.open("rb") as stored:
        data = stored.read()
    assert b"Phone X" not in data
    with Image.open(io.BytesIO(data)) as kept:
        assert kept.format == image_format
        assert not kept.getexif()
        assert not kept.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in kept.info
        assert kept.size == (30, 40), "turned upright, as the phone meant it"


def test_the_upload_box_says_what_it_accepts(client, coordinator, placement):
    client.force_login(coordinator)
    html = client.get(reverse("placements_placement:edit", args=[placement.pk])).content.decode()
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in html
    assert "PDF, JPEG, PNG, at most 5 MB." in html


# ---------------------------------------------------------------------------------------------
# The historical import's upload: CSV only, through the same check
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("records.xlsx", b"PK\x03\x04" + b"\x00" * 100, "is not an accepted type of file"),
        ("records.csv", b"PK\x03\x04" + b"\x00" * 100, "is not really a CSV file"),
        ("records.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "is not really a CSV file"),
        ("records.csv", b"MZ\x90\x00" + b"\x00" * 100, "is not really a CSV file"),
    ],
)
def test_the_import_takes_only_csv_files(client, coordinator, settings, tmp_path, name, content, message):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    response = client.post(reverse("skills_import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert message in response.content.decode()
    assert not (tmp_path / "import-uploads").exists()


def test_confirming_a_hire_checks_its_evidence_too(client, coordinator, placement):
    """The hire confirmation is the other form with an evidence box: the same check applies."""
    from placements.models import Employer, Nomination, Vacancy

    employer = Employer.objects.create(
        organisation="Test Tailors", sector="Apparel", district="Lucknow", contact_person="Ravi",
        email="ravi@test-tailors.example", phone="0522-1", status=Employer.Status.APPROVED,
    )  # fmt: skip
    vacancy = Vacancy.objects.create(
        employer=employer, title="Tailor", description="Stitching", district="Lucknow", pay_min=9000,
        pay_max=11000, closing_date=today() + datetime.timedelta(days=10), status=Vacancy.Status.PUBLISHED,
    )  # fmt: skip
    nomination = Nomination.objects.create(
        vacancy=vacancy, trainee=placement.trainee, status=Nomination.Status.HIRED
    )
    client.force_login(coordinator)
    data = {
        "employer": employer.pk,
        "employer_name": "",
        "job_title": "Tailor",
        "monthly_pay": "9500",
        "start_date": today().isoformat(),
        "end_date": "",
        "evidence": SimpleUploadedFile("offer.svg", b'<svg onload="alert(1)"/>'),
    }
    response = client.post(reverse("placements_nomination:confirm_hire", args=[nomination.pk]), data)
    assert response.status_code == 200
    assert "is not an accepted type of file" in response.context["form"].errors["evidence"][0]
    assert not Placement.objects.filter(nomination=nomination).exists()
