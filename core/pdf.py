"""The bilingual PDF toolkit: English and Hindi on one page, for the certificates and the reports.

Devanagari is shaped by HarfBuzz (uharfbuzz) through reportlab's shaping support, in Hind, a font
family that has Latin letters as well; both come from PyPI (see requirements.txt). Call
register_fonts() before drawing, then draw_line() for a line of text (it shapes what needs shaping)
or the font names REGULAR and BOLD in reportlab's own paragraphs and tables (which do not shape:
give them English)."""

import functools
import re

import fontpkg
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, TTFont, shapeStr

# The names under which reportlab knows the fonts (a PDF names them by the font file's own name).
REGULAR = "Hind"
BOLD = "Hind-Bold"
FONT_WEIGHTS = {REGULAR: 400, BOLD: 700}  # Hind from the fontpkg-hind package

DEVANAGARI = re.compile("[\u0900-\u097f\ua8e0-\ua8ff]")


@functools.cache
def register_fonts() -> None:
    """Register Hind once per process, with HarfBuzz's unnamed glyphs numbered up front.

    reportlab gives a glyph that has no Unicode value (a conjunct such as क्ष, a half form) a
    private-use code the first time shaping meets it, and writes that code into the PDF's ToUnicode
    map. Left alone, the code depends on which texts the process shaped before, so the same
    certificate would come out with different bytes in a fresh worker. Numbering every such glyph
    at registration, in glyph order, makes the codes a property of the font file alone."""
    for name, weight in FONT_WEIGHTS.items():
        font = TTFont(name, fontpkg.path("Hind", weight))
        hb_font = font.hbFont()
        for glyph in range(font.face.numGlyphs):
            if glyph not in font.face.glyphToChar:
                font.hbAddPrivate(hb_font.glyph_to_string(glyph), glyph, hb_font.get_glyph_h_advance(glyph))
        pdfmetrics.registerFont(font)


@functools.lru_cache(maxsize=8192)
def shaped(text: str, font_name: str) -> tuple[str, float]:
    """The text ready to draw, and its width at 1 pt.

    Only text with Devanagari goes through HarfBuzz: shaping English would turn "fi" into a
    ligature glyph that text extraction (and a screen reader) cannot read back. reportlab's
    drawString(shaping=True) shapes nothing unless the optional rlbidi is installed, so the module
    calls shapeStr itself and draws the shaped string, which reportlab then positions glyph by
    glyph."""
    if DEVANAGARI.search(text):
        shaped_text = shapeStr(text, font_name, 1)
        if isinstance(shaped_text, ShapedStr):
            return shaped_text, sum(glyph.x_advance for glyph in shaped_text.__shapeData__) / 1000
    return text, pdfmetrics.stringWidth(text, font_name, 1)


def draw_line(canvas, x, y, runs, align="left", max_width=None):
    """Draw runs of (text, font, size) side by side on one baseline; shrink them all to fit max_width.
    align="centre" centres the line on x.

    English and Hindi are separate runs, so each script is measured and shaped on its own."""
    runs = [(*shaped(text, font), font, size) for text, font, size in runs if text]
    width = sum(unit_width * size for _, unit_width, _, size in runs)
    scale = min(1.0, max_width / width) if max_width and width else 1.0
    if align == "centre":
        x -= width * scale / 2
    for text, unit_width, font, size in runs:
        canvas.setFont(font, size * scale)
        canvas.drawString(x, y, text)
        x += unit_width * size * scale
