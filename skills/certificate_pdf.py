"""Training certificates as PDF: one A4 landscape page, English and Hindi, with a QR code that opens
the certificate's verification page.

A pure module: it reads no database and no settings, so the issuing code, the bulk print views and
the benchmark all call the same three functions. The same content always gives the same bytes (an
issued certificate is frozen, and downloading it twice must give one file), whatever the process
rendered before and whatever its hash seed.

What the page says is neutral on purpose: the issuer is "Skill Development Programme, <district>".
A certificate is shown to employers and families, so nothing on it names the centre's other work.

The fonts, the Devanagari shaping and the drawing of bilingual lines are core.pdf's."""

import datetime
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import zxingcpp
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas

from core.dates import english_date, hindi_date
from core.pdf import BOLD, REGULAR, PageTemplate, draw_line, register_fonts

from . import neutral
from .neutral import PROGRAMME_NAME_EN, PROGRAMME_NAME_HI


@dataclass(frozen=True)
class CertificateContent:
    """Everything printed on one certificate, already decided by the issuing code."""

    number: str  # "LKO-2024-000123"
    verification_url: str  # absolute URL, goes into the QR code
    trainee_name: str
    trainee_name_hi: str  # may be ""
    course_title: str
    course_title_hi: str  # may be ""
    trade: str
    trade_hi: str
    hours: int
    start_date: datetime.date
    end_date: datetime.date
    district: str
    district_hi: str  # may be ""
    issued_on: datetime.date
    # What the QR code encodes: the verification URL with the signed offline token in its fragment
    # (skills/credentials.py); the printed URL stays short. Empty: the verification URL alone.
    qr_content: str = ""


PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
CENTRE_X = PAGE_WIDTH / 2

INK = Color(0.10, 0.10, 0.12)
MUTED = Color(0.36, 0.36, 0.40)
ACCENT = Color(0.06, 0.33, 0.38)
RULE = Color(0.72, 0.60, 0.36)

ISSUER_EN, ISSUER_HI = PROGRAMME_NAME_EN, PROGRAMME_NAME_HI

DARK_RUN = re.compile(b"\x00+")  # in zxing-cpp's image of a symbol, 0 is a dark module, 255 a light one


def issuer_name(district: str) -> str:
    """The neutral issuer printed on the certificate and in its PDF metadata (always English here)."""
    return neutral.issuer_name(district, language="en")


def render_certificate(content: CertificateContent) -> bytes:
    """One certificate as a one-page PDF."""
    canvas = _new_canvas(
        title=f"Certificate {content.number}",
        author=issuer_name(content.district),
        created_on=content.issued_on,
        fingerprint=content.number,
    )
    _draw_page(canvas, content)
    canvas.showPage()
    return canvas.getpdfdata()


def render_combined(contents: Iterable[CertificateContent]) -> bytes:
    """Many certificates in one PDF for printing, one page each, in the order given."""
    contents = list(contents)
    if not contents:
        raise ValueError("render_combined needs at least one certificate")
    canvas = _new_canvas(
        title=f"Certificates {contents[0].number} to {contents[-1].number}",
        author=ISSUER_EN,
        created_on=max(content.issued_on for content in contents),
        fingerprint="\n".join(content.number for content in contents),
    )
    for content in contents:
        _draw_page(canvas, content)
        canvas.showPage()
    return canvas.getpdfdata()


def build_zip(files: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (file name, bytes) pairs that is the same bytes for the same files: fixed timestamps
    and attributes, files in the order given."""
    buffer = io.BytesIO()
    seen = set()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files:
            if not name or "/" in name or "\\" in name or name.startswith("."):
                raise ValueError(f"not a plain file name: {name!r}")
            if name in seen:
                raise ValueError(f"file name given twice: {name!r}")
            seen.add(name)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the bytes do not depend on the platform that zips
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


# The page


def _new_canvas(title, author, created_on, fingerprint):
    register_fonts()
    canvas = Canvas(io.BytesIO(), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=True, pageCompression=1)
    # invariant mode fixes the dates at 2000-01-01 or at $SOURCE_DATE_EPOCH, and seeds the file
    # identifier with that time. Print the issue date instead, and seed the identifier with the
    # certificate numbers, so that the environment has no say in the bytes.
    canvas._doc.signature = hashlib.md5(fingerprint.encode(), usedforsecurity=False)
    stamp = f"D:{created_on:%Y%m%d}000000+00'00'"
    canvas.setDateFormatter(lambda *_: stamp)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator(author)
    canvas.setSubject("Certificate of training")
    return canvas


def _draw_page(canvas, content):
    fixed = FIXED_PARTS.on(canvas)
    fixed.draw("frame")

    canvas.setFillColor(ACCENT)
    draw_line(canvas, CENTRE_X, 526, [(issuer_name(content.district), BOLD, 17)], "centre", 640)
    district_hi = content.district_hi or content.district
    draw_line(canvas, CENTRE_X, 505, [(f"{ISSUER_HI}, {district_hi}", REGULAR, 15)], "centre", 640)

    fixed.draw("title")
    canvas.setFillColor(INK)
    if content.trainee_name_hi:
        draw_line(canvas, CENTRE_X, 356, [(content.trainee_name, BOLD, 30)], "centre", 660)
        draw_line(canvas, CENTRE_X, 326, [(content.trainee_name_hi, BOLD, 24)], "centre", 660)
    else:
        draw_line(canvas, CENTRE_X, 342, [(content.trainee_name, BOLD, 30)], "centre", 660)
    fixed.draw("completed")

    hours_en = "1 hour" if content.hours == 1 else f"{content.hours} hours"
    hours_hi = "1 घंटा" if content.hours == 1 else f"{content.hours} घंटे"
    dates_en = f"{english_date(content.start_date)} to {english_date(content.end_date)}"
    dates_hi = f"{hindi_date(content.start_date)} से {hindi_date(content.end_date)} तक"
    fixed.draw("course")
    _draw_detail(canvas, *LEFT_COLUMN, 258, content.course_title, content.course_title_hi)
    fixed.draw("trade")
    _draw_detail(canvas, *RIGHT_COLUMN, 258, content.trade, content.trade_hi)
    fixed.draw("duration")
    _draw_detail(canvas, *LEFT_COLUMN, 204, f"{hours_en}, {dates_en}", f"{hours_hi}, {dates_hi}")
    fixed.draw("district")
    _draw_detail(canvas, *RIGHT_COLUMN, 204, content.district, content.district_hi)

    fixed.draw("footer_labels")
    _draw_footer(canvas, content)
    fixed.draw("signatory")
    canvas.setFillColor(MUTED)
    draw_line(canvas, CENTRE_X, 63, [(issuer_name(content.district), REGULAR, 10)], "centre", 200)
    canvas.setFillColor(INK)
    _draw_qr(canvas, content.qr_content or content.verification_url, QR_X, QR_Y, QR_SIZE)
    fixed.draw("scan")


def _bilingual(english, hindi, size, english_font=REGULAR):
    """English and Hindi on one line, Hindi a point larger so that the two scripts look the same size."""
    return [(english, english_font, size), ("  ·  ", REGULAR, size), (hindi, REGULAR, size + 1)]


# x and width of the two columns of details, clear of the QR code
LEFT_COLUMN, RIGHT_COLUMN = (130, 290), (450, 200)
# The code carries the signed token as well as the address (about 77 modules): 116 pt gives
# modules of 0.5 mm, which phone cameras read. 4 modules of quiet zone around it stay empty.
QR_SIZE = 116
QR_X, QR_Y = PAGE_WIDTH - 60 - QR_SIZE, 60
FOOTER_X = 72


def _draw_detail(canvas, x, width, y, value_en, value_hi):
    canvas.setFillColor(INK)
    draw_line(canvas, x, y - 18, [(value_en, BOLD, 14)], max_width=width)
    if value_hi and value_hi != value_en:
        draw_line(canvas, x, y - 35, [(value_hi, REGULAR, 13)], max_width=width)


def _draw_footer(canvas, content):
    canvas.setFillColor(INK)
    draw_line(canvas, FOOTER_X, 114, [(content.number, BOLD, 13)], max_width=240)
    draw_line(
        canvas,
        FOOTER_X,
        76,
        [(english_date(content.issued_on), BOLD, 13), (f"   {hindi_date(content.issued_on)}", REGULAR, 12)],
    )
    draw_line(canvas, FOOTER_X, 40, [(content.verification_url, REGULAR, 9)], max_width=240)


# What every certificate shares, drawn once per process (core.pdf.PageTemplate)


def _draw_frame(canvas):
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(2.4)
    canvas.rect(20, 20, PAGE_WIDTH - 40, PAGE_HEIGHT - 40)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.8)
    canvas.rect(27, 27, PAGE_WIDTH - 54, PAGE_HEIGHT - 54)
    canvas.setLineWidth(1.2)
    canvas.line(CENTRE_X - 60, 486, CENTRE_X + 60, 486)


def _draw_title(canvas):
    canvas.setFillColor(INK)
    draw_line(canvas, CENTRE_X, 458, [("Certificate of Training", BOLD, 32)], "centre")
    draw_line(canvas, CENTRE_X, 427, [("प्रशिक्षण प्रमाण पत्र", BOLD, 24)], "centre")
    canvas.setFillColor(MUTED)
    draw_line(
        canvas, CENTRE_X, 394, _bilingual("This is to certify that", "प्रमाणित किया जाता है कि", 13), "centre"
    )


def _draw_completed(canvas):
    canvas.setFillColor(MUTED)
    draw_line(
        canvas,
        CENTRE_X,
        294,
        _bilingual(
            "has successfully completed the training described below.",
            "ने नीचे दिया गया प्रशिक्षण सफलतापूर्वक पूरा किया है।",
            13,
        ),
        "centre",
        680,
    )


def _detail_label(column, y, label_en, label_hi):
    def draw(canvas):
        canvas.setFillColor(ACCENT)
        draw_line(canvas, column[0], y, _bilingual(label_en.upper(), label_hi, 9, BOLD))

    return draw


def _draw_footer_labels(canvas):
    canvas.setFillColor(MUTED)
    draw_line(canvas, FOOTER_X, 130, _bilingual("Certificate No.", "प्रमाण पत्र संख्या", 9))
    draw_line(canvas, FOOTER_X, 92, _bilingual("Issued on", "जारी करने की तिथि", 9))
    draw_line(canvas, FOOTER_X, 54, _bilingual("Verify at", "सत्यापन", 9))


def _draw_signatory(canvas):
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.6)
    canvas.line(CENTRE_X - 100, 92, CENTRE_X + 100, 92)
    canvas.setFillColor(MUTED)
    draw_line(canvas, CENTRE_X, 78, _bilingual("Authorised signatory", "अधिकृत हस्ताक्षरकर्ता", 10), "centre")


def _draw_scan(canvas):
    canvas.setFillColor(MUTED)
    draw_line(canvas, QR_X + QR_SIZE / 2, 44, _bilingual("Scan to verify", "सत्यापन हेतु स्कैन करें", 8), "centre")


FIXED_PARTS = PageTemplate(
    frame=_draw_frame,
    title=_draw_title,
    completed=_draw_completed,
    course=_detail_label(LEFT_COLUMN, 258, "Course", "पाठ्यक्रम"),
    trade=_detail_label(RIGHT_COLUMN, 258, "Trade", "ट्रेड"),
    duration=_detail_label(LEFT_COLUMN, 204, "Duration", "अवधि"),
    district=_detail_label(RIGHT_COLUMN, 204, "District", "ज़िला"),
    footer_labels=_draw_footer_labels,
    signatory=_draw_signatory,
    scan=_draw_scan,
)


def _draw_qr(canvas, url, x, y, size):
    """The QR code as filled rectangles: runs of dark modules in a row merged into one rectangle,
    and equal runs in consecutive rows merged again, all in one path, sharp at any zoom.

    zxing-cpp encodes (with zint, in C, choosing the mask as the standard says) in a tenth of a
    millisecond; reportlab's QR widget and the pure-Python encoders take milliseconds, mostly to
    score the eight masks. The path is written as PDF operators in whole module units: through
    reportlab's path object, formatting its hundreds of numbers cost more than the encoding."""
    symbol = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))
    modules = image.shape[0]
    pixels = image.tobytes()
    # One light byte after each row, so that one search over the image finds every row's runs.
    width = modules + 1
    rows = b"\xff".join(pixels[row * modules : (row + 1) * modules] for row in range(modules))
    rectangles = []
    open_runs = {}  # (first column, end column) -> (first row, last row so far)
    for match in DARK_RUN.finditer(rows):
        row, first_column = divmod(match.start(), width)
        run = (first_column, match.end() - row * width)
        rows_so_far = open_runs.get(run)
        if rows_so_far and rows_so_far[1] == row - 1:
            open_runs[run] = (rows_so_far[0], row)
        else:
            if rows_so_far:
                rectangles.append((run, rows_so_far[0], rows_so_far[1] + 1))
            open_runs[run] = (row, row)
    rectangles.extend((run, first_row, last_row + 1) for run, (first_row, last_row) in open_runs.items())
    module = size / modules
    # In module units from the top-left corner, rows counted downwards.
    operators = [f"q 1 0 0 1 {fp_str(x)} {fp_str(y + size)} cm {fp_str(module)} 0 0 {fp_str(-module)} 0 0 cm"]
    operators.extend(
        f"{first_column} {first_row} {end_column - first_column} {end_row - first_row} re"
        for (first_column, end_column), first_row, end_row in sorted(rectangles)
    )
    operators.append("f Q")
    canvas.addLiteral("\n".join(operators))
