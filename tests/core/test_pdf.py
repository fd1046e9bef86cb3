"""The PDF toolkit's fonts and page templates: subsets that keep every outline and width, a
compressed font program that is the program, and template parts that print what drawing them
afresh prints. No database here."""

import io
import random
import struct
import zlib

import pypdf
import pytest
from reportlab.lib.colors import red
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFile, TTFontParser
from reportlab.pdfgen.canvas import Canvas

from core.pdf import BOLD, REGULAR, PageTemplate, draw_line, register_fonts

HINTING_TABLES = {"cvt ", "fpgm", "prep"}


def font_tables(program):
    parser = TTFontParser(io.BytesIO(program), validate=1)  # checks every table's checksum and the file's
    return {tag: parser.get_table(tag) for tag in parser.table}


def outline(glyf, loca, glyph):
    """A glyph's outline as comparable data: its record without hinting instructions, with each
    component replaced by that component's own outline (subsets number glyphs differently)."""
    record = glyf[loca[glyph] : loca[glyph + 1]]
    if not record:
        return b""
    (contours,) = struct.unpack_from(">h", record)
    if contours >= 0:
        at = 10 + 2 * contours
        (length,) = struct.unpack_from(">H", record, at)
        return record[:at] + record[at + 2 + length :].rstrip(b"\0")
    record, components, at, flags = bytearray(record), [], 10, 0x20
    while flags & 0x20:  # more components follow
        flags, component = struct.unpack_from(">HH", record, at)
        components.append(outline(glyf, loca, component))
        struct.pack_into(">HH", record, at, flags & ~0x100, 0)  # no instructions, component blanked
        at += 8 if flags & 0x1 else 6
        at += 2 if flags & 0x8 else 4 if flags & 0x40 else 8 if flags & 0x80 else 0
    return bytes(record[:at]), tuple(components)


def glyphs_by_code(program):
    """For each code of a subset (cmap format 6): (advance width, outline)."""
    tables = font_tables(program)
    long_offsets = struct.unpack_from(">h", tables["head"], 50)[0]
    glyph_count = struct.unpack_from(">H", tables["maxp"], 4)[0]
    loca = struct.unpack_from(f">{glyph_count + 1}{'L' if long_offsets else 'H'}", tables["loca"])
    loca = loca if long_offsets else [offset * 2 for offset in loca]
    full_metrics = struct.unpack_from(">H", tables["hhea"], 34)[0]
    advances = [
        struct.unpack_from(">H", tables["hmtx"], 4 * min(glyph, full_metrics - 1))[0]
        for glyph in range(glyph_count)
    ]
    (count,) = struct.unpack_from(">H", tables["cmap"], 20)
    return [
        (advances[glyph], outline(tables["glyf"], loca, glyph))
        for glyph in struct.unpack_from(f">{count}H", tables["cmap"], 22)
    ]


def subsets(font_name):
    """Subsets as reportlab's documents make them: code 0, up to 31 other characters, the ASCII
    block at 32 to 127, then more; the characters drawn from every glyph the font maps."""
    codes = sorted(pdfmetrics.getFont(font_name).face.charToGlyph)
    rng = random.Random(font_name)
    for size in (5, 31, 40, 128):
        chosen = rng.sample([code for code in codes if not 32 <= code < 128], size)
        yield [0, *chosen[:31], *range(32, 128), *chosen[31:]]


@pytest.fixture(scope="module", autouse=True)
def fonts():
    register_fonts()


@pytest.mark.parametrize("font_name", [REGULAR, BOLD])
def test_subset_keeps_every_outline_and_width_without_the_hinting(font_name):
    face = pdfmetrics.getFont(font_name).face
    for subset in subsets(font_name):
        program = face.makeSubset(subset)
        reportlabs = TTFontFile.makeSubset(face, subset)  # reportlab's own subsetter, hinting kept
        assert glyphs_by_code(program) == glyphs_by_code(reportlabs)
        assert not HINTING_TABLES & set(font_tables(program))
        assert set(font_tables(reportlabs)) >= HINTING_TABLES
        assert len(program) < len(reportlabs) * 0.6


@pytest.mark.parametrize("font_name", [REGULAR, BOLD])
def test_compressed_program_is_the_program_whatever_was_subset_before(font_name):
    face = pdfmetrics.getFont(font_name).face
    first, *others = subsets(font_name)
    program, compressed = face.subset_program(first)
    assert zlib.decompress(compressed) == program == face.makeSubset(first)
    for other in others:
        other_program, other_compressed = face.subset_program(other)
        assert zlib.decompress(other_compressed) == other_program
    assert face.subset_program(first) == (program, compressed)


def certify(canvas):
    canvas.setFillColor(red)
    draw_line(canvas, 72, 700, [("This is to certify that", REGULAR, 13), ("  नमन", BOLD, 14)])


def signatory(canvas):
    canvas.setLineWidth(0.6)
    canvas.line(72, 600, 272, 600)
    draw_line(canvas, 72, 586, [("Authorised signatory", BOLD, 10)])


def page_texts(pdf):
    """Each page's text, in the order it was drawn, spaces and line breaks evened out."""
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def template_page(canvas, template, name):
    parts = template.on(canvas)
    parts.draw("certify")
    draw_line(canvas, 72, 650, [(name, BOLD, 30)])
    parts.draw("signatory")
    canvas.showPage()


def counted(draw, calls):
    def counting(canvas):
        calls.append(draw.__name__)
        draw(canvas)

    return counting


def test_template_parts_print_what_drawing_them_afresh_prints():
    template = PageTemplate(certify=certify, signatory=signatory)
    replayed = Canvas(io.BytesIO(), invariant=True)
    template_page(replayed, template, "Priya Kshatriya")
    drawn = Canvas(io.BytesIO(), invariant=True)
    drawn.saveState()  # a part keeps its colours and line widths to itself
    certify(drawn)
    drawn.restoreState()
    draw_line(drawn, 72, 650, [("Priya Kshatriya", BOLD, 30)])
    drawn.saveState()
    signatory(drawn)
    drawn.restoreState()
    drawn.showPage()
    assert replayed.getpdfdata() == drawn.getpdfdata()


def test_template_parts_are_drawn_once_and_keep_the_reading_order():
    calls = []
    template = PageTemplate(certify=counted(certify, calls), signatory=counted(signatory, calls))
    names = ["Priya Kshatriya", "Sunita Devi", "Farzana Ansari"]
    for name in names[:2]:
        canvas = Canvas(io.BytesIO())
        template_page(canvas, template, name)
        assert page_texts(canvas.getpdfdata()) == [f"This is to certify that नमन {name} Authorised signatory"]
    combined = Canvas(io.BytesIO())
    for name in names:
        template_page(combined, template, name)
    assert page_texts(combined.getpdfdata()) == [
        f"This is to certify that नमन {name} Authorised signatory" for name in names
    ]
    assert calls == ["certify", "signatory"]  # recorded once, written into five pages


def test_template_parts_are_drawn_afresh_where_the_page_began_with_other_text():
    calls = []
    template = PageTemplate(certify=counted(certify, calls), signatory=counted(signatory, calls))
    canvas = Canvas(io.BytesIO())
    draw_line(canvas, 72, 750, [("मनन Lucknow", BOLD, 17)])  # takes the codes the recording gave others
    template_page(canvas, template, "Priya Kshatriya")
    assert page_texts(canvas.getpdfdata()) == [
        "मनन Lucknow This is to certify that नमन Priya Kshatriya Authorised signatory"
    ]
    assert calls == ["certify", "signatory", "certify", "signatory"]  # recorded, then drawn on the page
