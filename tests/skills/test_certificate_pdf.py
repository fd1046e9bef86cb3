"""The certificate PDF renderer: text, QR code, shaping, frozen bytes and the bulk outputs.

No database here. The QR and PNG tests need Debian's poppler-utils (pdftoppm), which
`make browser-deps` installs."""

import dataclasses
import datetime
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import shapeStr

from core.pdf import BOLD, register_fonts
from skills.certificate_pdf import CertificateContent, build_zip, render_certificate, render_combined

REPOSITORY = Path(__file__).resolve().parents[2]

# प्र, क्ष, त्र and the i-matra ि, which is drawn before the consonants it follows.
PRIYA = CertificateContent(
    number="LKO-2024-000123",
    verification_url="https://skills.example.in/certificates/verify/LKO-2024-000123/",
    trainee_name="Priya Kshatriya",
    trainee_name_hi="प्रिया क्षत्रिय",
    course_title="Triangular Stitching",
    course_title_hi="त्रिकोणीय सिलाई",
    trade="Tailoring",
    trade_hi="सिलाई एवं कढ़ाई",
    hours=120,
    start_date=datetime.date(2024, 2, 1),
    end_date=datetime.date(2024, 4, 30),
    district="Lucknow",
    district_hi="लखनऊ",
    issued_on=datetime.date(2024, 5, 6),
)
ENGLISH_ONLY = dataclasses.replace(
    PRIYA,
    number="PAT-2024-000007",
    verification_url="https://skills.example.in/certificates/verify/PAT-2024-000007/",
    trainee_name="Sunita Devi",
    trainee_name_hi="",
    course_title="Computer Basics",
    course_title_hi="",
    trade="Data Entry",
    trade_hi="",
    hours=1,
    district="Patna",
    district_hi="",
)

# What the page must never say: certificates are shown to employers and families.
UNSAID = ("violence", "shelter", "one stop", "one-stop", "sakhi", "survivor", "abuse")


@pytest.fixture(scope="module")
def priya_pdf():
    return render_certificate(PRIYA)


def page_texts(pdf):
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="session")
def pdftoppm():
    path = shutil.which("pdftoppm")
    if not path:
        pytest.fail(
            "pdftoppm not found. The certificate tests render pages with Debian's poppler-utils: "
            "run `make browser-deps` (or `apt-get install poppler-utils`)."
        )
    return path


def render_png(pdftoppm, pdf, folder, dpi=150):
    source = folder / "certificate.pdf"
    source.write_bytes(pdf)
    subprocess.run(  # noqa: S603 - a fixed command line on a file the test wrote
        [pdftoppm, "-png", "-r", str(dpi), "-singlefile", str(source), str(folder / "certificate")],
        check=True,
        capture_output=True,
    )
    return folder / "certificate.png"


def test_pdf_holds_the_number_and_the_english_text(priya_pdf):
    reader = pypdf.PdfReader(io.BytesIO(priya_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    text = reader.pages[0].extract_text()
    for expected in (
        "LKO-2024-000123",
        "Skill Development Programme, Lucknow",
        "Certificate of Training",
        "This is to certify that",
        "Priya Kshatriya",
        "Triangular Stitching",
        "Tailoring",
        "120 hours, 1 February 2024 to 30 April 2024",
        "Lucknow",
        "6 May 2024",
        "Authorised signatory",
        PRIYA.verification_url,
    ):
        assert expected in text
    assert reader.metadata.title == "Certificate LKO-2024-000123"
    assert reader.metadata.author == "Skill Development Programme, Lucknow"


def test_english_only_content_falls_back_to_english():
    (text,) = page_texts(render_certificate(ENGLISH_ONLY))
    assert "Sunita Devi" in text
    assert "1 hour," in text
    assert "Skill Development Programme, Patna" in text


@pytest.mark.parametrize("content", [PRIYA, ENGLISH_ONLY], ids=["bilingual", "english-only"])
def test_nothing_on_the_certificate_names_the_centres_other_work(content):
    pdf = render_certificate(content)
    metadata = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    said = " ".join([*page_texts(pdf), *map(str, metadata.values())]).lower()
    for word in UNSAID:
        assert word not in said


@pytest.mark.parametrize(
    "url",
    [
        PRIYA.verification_url,
        "https://skills.example.in/certificates/verify/LKO-2024-000123/?token=" + "x7Q9" * 20,
    ],
    ids=["usual", "long"],
)
def test_qr_code_opens_the_verification_url(pdftoppm, tmp_path, url):
    pdf = render_certificate(dataclasses.replace(PRIYA, verification_url=url))
    with Image.open(render_png(pdftoppm, pdf, tmp_path)) as image:
        codes = zxingcpp.read_barcodes(image)
    assert [(code.format, code.text) for code in codes] == [(zxingcpp.BarcodeFormat.QRCode, url)]


def test_hindi_certificate_renders_to_png(pdftoppm, tmp_path, priya_pdf):
    # Look at this page when the layout or the font changes: प्र, क्ष and त्र must be joined and
    # ि must stand before प्र in प्रिया (pdftoppm -r 300 gives a page worth zooming into).
    with Image.open(render_png(pdftoppm, priya_pdf, tmp_path)) as image:
        assert image.size == (1754, 1241)  # A4 landscape at 150 dpi, rounded up
        darkest, lightest = image.convert("L").getextrema()
        assert darkest < 50 and lightest == 255  # ink on white, not a blank page


def glyph_names(text, font_name=BOLD):
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    harfbuzz = font.hbFont()
    return [
        harfbuzz.glyph_to_string(font.face.charToGlyph[ord(glyph)]) for glyph in shapeStr(text, font_name, 12)
    ]


def test_devanagari_is_shaped_into_conjuncts():
    assert glyph_names("प्र") == ["dvP_RA"]
    assert glyph_names("क्ष") == ["dvK_SSA"]
    assert glyph_names("त्र") == ["dvT_RA"]
    first, *rest = glyph_names("प्रिया")
    assert first.startswith("dvmI")  # the i-matra comes first, drawn over प्र
    assert rest == ["dvP_RA", "dvYA", "dvmAA"]


def test_page_draws_the_shaped_glyphs(priya_pdf):
    # Glyphs that exist only after shaping (conjuncts, i-matra variants) have no Unicode value of
    # their own; reportlab lists them in the font's ToUnicode map under private-use code points.
    page = pypdf.PdfReader(io.BytesIO(priya_pdf)).pages[0]
    maps = [
        font.get_object()["/ToUnicode"].get_object().get_data().decode("latin-1")
        for font in page["/Resources"]["/Font"].values()
        if "/ToUnicode" in font.get_object()
    ]
    assert any(re.search(r"<E[0-9A-F]{3}>", cmap) for cmap in maps)


def test_same_content_gives_the_same_bytes(priya_pdf):
    assert render_certificate(PRIYA) == priya_pdf
    assert render_combined([PRIYA, ENGLISH_ONLY]) == render_combined([PRIYA, ENGLISH_ONLY])


def test_bytes_do_not_depend_on_what_the_process_rendered_before(priya_pdf):
    # A fresh worker with another hash seed and SOURCE_DATE_EPOCH set, that has shaped other
    # conjuncts first, must still produce the file that was issued.
    script = (
        "import dataclasses, hashlib, sys\n"
        "from tests.skills.test_certificate_pdf import PRIYA\n"
        "from skills.certificate_pdf import render_certificate\n"
        "render_certificate(dataclasses.replace(PRIYA, trainee_name_hi='क्षितिज श्रीवास्तव', course_title_hi='ज्ञान हृदय'))\n"
        "sys.stdout.write(hashlib.sha256(render_certificate(PRIYA)).hexdigest())\n"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345", SOURCE_DATE_EPOCH="1700000000")
    result = subprocess.run(  # noqa: S603 - this interpreter on the script above
        [sys.executable, "-c", script], cwd=REPOSITORY, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout == hashlib.sha256(priya_pdf).hexdigest()


def test_combined_pdf_has_one_page_per_certificate_in_order():
    contents = [PRIYA, ENGLISH_ONLY, dataclasses.replace(PRIYA, number="LKO-2024-000124")]
    texts = page_texts(render_combined(iter(contents)))
    assert len(texts) == 3
    for text, content in zip(texts, contents, strict=True):
        assert content.number in text


def test_combined_pdf_needs_a_certificate():
    with pytest.raises(ValueError):
        render_combined([])


def test_zip_holds_the_named_files(priya_pdf):
    files = [("LKO-2024-000123.pdf", priya_pdf), ("PAT-2024-000007.pdf", render_certificate(ENGLISH_ONLY))]
    archive = build_zip(files)
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        assert opened.testzip() is None
        assert [(name, opened.read(name)) for name in opened.namelist()] == files
    assert build_zip(iter(files)) == archive


@pytest.mark.parametrize("name", ["", "../LKO.pdf", "centre/LKO.pdf", ".hidden.pdf"])
def test_zip_refuses_names_that_are_not_plain_file_names(name):
    with pytest.raises(ValueError):
        build_zip([(name, b"%PDF")])


def test_zip_refuses_a_name_given_twice():
    with pytest.raises(ValueError):
        build_zip([("a.pdf", b"1"), ("a.pdf", b"2")])


def test_text_reads_in_the_order_of_the_page(priya_pdf):
    # The parts every certificate shares are written from a recording (core.pdf.PageTemplate),
    # between the parts that vary, so that text extraction and screen readers still read the page
    # top to bottom.
    (text,) = page_texts(priya_pdf)
    order = [
        "Skill Development Programme, Lucknow",
        "Certificate of Training",
        "This is to certify that",
        "Priya Kshatriya",
        "has successfully completed",
        "Triangular Stitching",
        "Tailoring",
        "120 hours",
        "Certificate No.",
        "LKO-2024-000123",
        "6 May 2024",
        PRIYA.verification_url,
        "Authorised signatory",
        "Scan to verify",
    ]
    positions = [text.index(expected) for expected in order]
    assert positions == sorted(positions)
