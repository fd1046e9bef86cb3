"""The bilingual PDF toolkit: English and Hindi on one page, for the certificates and the reports.

Devanagari is shaped by HarfBuzz (uharfbuzz) through reportlab's shaping support, in Hind, a font
family that has Latin letters as well; both come from PyPI (see requirements.txt). Call
register_fonts() before drawing, then draw_line() for a line of text (it shapes what needs shaping)
or the font names REGULAR and BOLD in reportlab's own paragraphs and tables (which do not shape:
give them English). PageTemplate draws the parts of a page that every copy shares once per
process, for pages made by the thousand (the certificates)."""

import functools
import io
import re
import struct
import zlib
from dataclasses import dataclass

import fontpkg
from reportlab.lib.rl_accel import add32, calcChecksum, fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    GF_ARG_1_AND_2_ARE_WORDS,
    GF_MORE_COMPONENTS,
    GF_WE_HAVE_A_SCALE,
    GF_WE_HAVE_A_TWO_BY_TWO,
    GF_WE_HAVE_AN_X_AND_Y_SCALE,
    GF_WE_HAVE_INSTRUCTIONS,
    SUBSETN,
    ShapedStr,
    TTFont,
    TTFontFace,
    makeToUnicodeCMap,
    shapeStr,
)
from reportlab.pdfgen.canvas import Canvas

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
        font = UnhintedTTFont(name, fontpkg.path("Hind", weight))
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


class PageTemplate:
    """The parts of a page that every copy shares (a certificate's frame, headings and labels),
    drawn once per process and then written into each page as the PDF operators they made.

    Give the parts as name=function(canvas); each may draw lines and shapes, and text with
    draw_line in the registered TrueType fonts (no images, no reportlab built-in fonts). On each
    page call parts = template.on(canvas) before anything else is drawn, then parts.draw(name)
    where the part belongs in the page's reading order, between the drawing that varies.

    Drawn text names a glyph by a one-byte code that the document hands out in order of first
    use. on() hands the recorded parts' glyphs their recorded codes first, so the recorded
    operators mean the same glyphs in this document; if the document cannot take them (something
    was drawn before), the parts are drawn afresh instead, so the page is right either way."""

    def __init__(self, **parts):
        self.parts = parts

    def on(self, canvas):
        recording = self.recording
        document = canvas._doc
        for font_name, codes, internal_name in recording.fonts:
            font = pdfmetrics.getFont(font_name)
            if document not in font.state:
                font.splitString("".join(chr(character) for character, _ in codes), document)
                font.getSubsetInternalName(0, document)
            state = font.state[document]
            if state.internalName != internal_name or any(
                state.assignments.get(character) != code for character, code in codes
            ):
                return _DrawnParts(self.parts, canvas)
        document._pdfVersion = max(document._pdfVersion, recording.pdf_version)
        return _RecordedParts(recording.operators, canvas)

    @functools.cached_property
    def recording(self):
        register_fonts()
        canvas = Canvas(io.BytesIO())
        operators = {}
        for name, draw in self.parts.items():
            start = len(canvas._code)
            canvas.saveState()  # what a part sets (colours, line widths) stays in it
            draw(canvas)
            canvas.restoreState()
            operators[name] = "\n".join(canvas._code[start:])
        if canvas._extgstate._d:
            raise ValueError("a page template's parts cannot use transparency or overprint")
        fonts = []  # in the order the document named them, as on() must name them again
        for font_name in canvas._doc.fontMapping:
            state = getattr(pdfmetrics.getFont(font_name), "state", {}).get(canvas._doc)
            if state is not None:
                codes = sorted(state.assignments.items(), key=lambda assignment: assignment[1])
                fonts.append((font_name, tuple(codes), state.internalName))
        return _Recording(operators, fonts, canvas._doc._pdfVersion)


@dataclass(frozen=True)
class _Recording:
    operators: dict  # part name -> PDF operators
    fonts: list  # (font name, (character, code) in the order of the codes, internal name)
    pdf_version: tuple  # what the parts need (a colour with an alpha asks for 1.4)


@dataclass(frozen=True)
class _RecordedParts:
    operators: dict
    canvas: Canvas

    def draw(self, name):
        self.canvas.addLiteral(self.operators[name])


@dataclass(frozen=True)
class _DrawnParts:
    parts: dict
    canvas: Canvas

    def draw(self, name):
        self.canvas.saveState()
        self.parts[name](self.canvas)
        self.canvas.restoreState()


# The fonts as embedded: outlines without hinting, subset quickly


class UnhintedTTFont(TTFont):
    """A TrueType font whose subsets carry the glyph outlines without their hinting instructions.

    Hinting is bytecode that snaps outlines to the pixel grid of a screen at small sizes; PDF
    viewers rasterise without it (poppler, pdf.js, PDFium) and a printer does not need it, yet in
    Hind it is more than half of every glyph's bytes. Leaving it out halves the fonts in each PDF
    and the time to compress them. The outlines, metrics and the shaping (HarfBuzz reads the whole
    font file) are untouched."""

    def __init__(self, name, filename):
        super().__init__(name, filename)
        # Only methods are added, so the face reportlab parsed is kept and its class changed.
        self.face.__class__ = UnhintedTTFontFace

    def addObjects(self, document):
        """reportlab's, with the widths of each subset formatted in one call rather than number by
        number, and its ToUnicode map and font program compressed faster (FLATE_LEVEL)."""
        state = self._assignState(document)
        state.frozen = 1
        font_dictionary = document.idToObject["BasicFonts"].dict
        for number, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(number, document)[1:]
            base_font_name = (SUBSETN(number) + b"+" + self.face.name + self.face.subfontNameX).decode(
                "pdfdoc"
            )
            font = pdfdoc.PDFTrueTypeFont()
            font.Name = internal_name
            font.BaseFont = base_font_name
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            widths = list(map(self.face.getCharWidth, subset))
            lines = (fp_str(*widths[start : start + 16]) for start in range(0, len(widths), 16))
            font.Widths = ("[ " + "\n ".join(lines) + " ]").encode()
            to_unicode = pdfdoc.PDFStream(content=makeToUnicodeCMap(base_font_name, subset).encode())
            font.ToUnicode = document.Reference(to_unicode, "toUnicodeCMap:" + base_font_name)
            font.FontDescriptor = self.face.addSubsetObjects(document, base_font_name, subset)
            if document.compression:
                to_unicode.filters = [FAST_FLATE]
            document.Reference(font, internal_name)
            font_dictionary[internal_name] = font
        del self.state[document]


class FastFlate:
    """The PDF Flate filter at a level of zlib's choosing: reportlab's always uses level 6.

    Level 1 compresses a certificate's fonts and maps in well under half the time, and the file
    comes out 5 % larger."""

    pdfname = "FlateDecode"

    def __init__(self, level):
        self.level = level

    def encode(self, data):
        return zlib.compress(data, self.level)


FLATE_LEVEL = 1
FAST_FLATE = FastFlate(FLATE_LEVEL)


class UnhintedTTFontFace(TTFontFace):
    """reportlab's font face with a faster subsetter: it works from outlines prepared once per
    process, and the part of a subset that every subset of a document shares (the missing-glyph
    box and the ASCII block that reportlab always puts at codes 32 to 127) is built and compressed
    once per process. A subset's program, compressed or not, depends on its codes alone."""

    @functools.cached_property
    def outlines(self):
        """For each glyph: its outline record, and the glyphs it is built of with the byte offsets
        of their numbers in the record (a composite glyph, such as a conjunct, places others)."""
        glyf = self.get_table("glyf")
        positions = self.glyphPos
        return [
            _outline_without_instructions(glyf[positions[glyph] : positions[glyph + 1]])
            for glyph in range(self.numGlyphs)
        ]

    @functools.cached_property
    def leading_tables(self):
        """The tables that are the same in every subset, first in the file after the directory."""
        post = b"\x00\x03\x00\x00" + self.get_table("post")[4:16] + b"\x00" * 16  # no glyph names
        return {"name": self.get_table("name"), "OS/2": self.get_table("OS/2"), "post": post}

    @functools.cached_property
    def shared_parts(self):
        return {}

    def makeSubset(self, subset):
        return self.subset_program(subset, compress=False)[0]

    def subset_program(self, subset, compress=True):
        """The subset's font program for the subset's codes, in the order reportlab numbers them
        (the tables of reportlab's makeSubset, less the hinting ones: cvt, fpgm, prep), and the
        same compressed for a Flate stream (None unless compress).

        The file holds, after its directory, the tables that never change, then the glyphs:
        the shared ones first. Compressed, it is four deflate runs, each ending on a byte
        boundary so that they join: the directory, the cached run of the unchanging bytes, the
        rest; then the zlib checksum of the whole."""
        shared = self.shared_part(tuple(subset[32:128]))
        glyph_map = list(shared.glyph_map)
        new_number = dict(shared.new_number)
        char_to_glyph = self.charToGlyph
        for code in (*subset[:32], *subset[128:]):
            self.number_glyph(char_to_glyph.get(code, 0), glyph_map, new_number)
        own_records = self.glyph_records(glyph_map[len(shared.glyph_map) :], new_number)
        offsets = list(shared.offsets)
        for record in own_records:
            offsets.append(offsets[-1] + len(record))

        metrics = []
        for glyph in glyph_map:
            advance, left_side_bearing = self.hmetrics[glyph]
            metrics += (int(advance), left_side_bearing)
        # Trailing glyphs of the same advance width need only their left side bearing.
        full = len(metrics) - 2
        while full and metrics[full] == metrics[full - 2]:
            full -= 2
        full += 2
        hmtx = metrics[:full] + metrics[full + 1 :: 2]
        short_offsets = offsets[-1] >> 1 <= 0xFFFF
        loca = (
            struct.pack(f">{len(offsets)}H", *(offset >> 1 for offset in offsets))
            if short_offsets
            else struct.pack(f">{len(offsets)}L", *offsets)
        )
        cmap_glyphs = [new_number[char_to_glyph.get(code, 0)] for code in subset]
        # Format 6 (a trimmed table) maps the subset's one-byte codes in order.
        cmap = struct.pack(
            f">11H{len(subset)}H", 0, 1, 1, 0, 0, 12, 6, 10 + 2 * len(subset), 0, 0, len(subset), *cmap_glyphs
        )
        head = self.get_table("head")
        head = head[:8] + b"\0\0\0\0" + head[12:50] + struct.pack(">H", 0 if short_offsets else 1) + head[52:]
        tables = {
            **self.leading_tables,
            "glyf": shared.records + b"".join(own_records),
            "cmap": cmap,
            "hmtx": struct.pack(f">{len(hmtx)}H", *hmtx),
            "loca": loca,
            "head": head,
            "hhea": _with_ushort(self.get_table("hhea"), 34, full >> 1),
            "maxp": _with_ushort(self.get_table("maxp"), 4, len(glyph_map)),
        }
        directory, body = _font_file(tables)
        program = directory + body
        if not compress:
            return program, None
        unchanging = len(shared.bytes)
        compressed = b"".join(
            (
                b"\x78\x01",  # zlib header: deflate, 32 KB window
                _deflate(directory, final=False),
                shared.compressed,
                _deflate(body[unchanging:], final=True),
                struct.pack(">L", zlib.adler32(program)),
            )
        )
        return program, compressed

    def shared_part(self, codes):
        """The first glyphs of every subset whose codes 32 to 127 are these, with the unchanging
        tables before them, built and compressed once."""
        if codes not in self.shared_parts:
            glyph_map, new_number = [], {}
            for code in (0, *codes):
                self.number_glyph(self.charToGlyph.get(code, 0), glyph_map, new_number)
            records = self.glyph_records(glyph_map, new_number)
            offsets = [0]
            for record in records:
                offsets.append(offsets[-1] + len(record))
            records = b"".join(records)
            unchanging = b"".join(_padded(table) for table in self.leading_tables.values()) + records
            compressed = _deflate(unchanging, final=False, level=9)
            self.shared_parts[codes] = _SharedPart(
                glyph_map, new_number, offsets, records, unchanging, compressed
            )
        return self.shared_parts[codes]

    def number_glyph(self, glyph, glyph_map, new_number):
        """Give the glyph the next number in the subset, then the glyphs it is built of."""
        if glyph not in new_number:
            new_number[glyph] = len(glyph_map)
            glyph_map.append(glyph)
            for component, _ in self.outlines[glyph][1]:
                self.number_glyph(component, glyph_map, new_number)

    def glyph_records(self, glyphs, new_number):
        records = []
        for glyph in glyphs:
            record, components = self.outlines[glyph]
            if components:
                record = bytearray(record)
                for component, at in components:
                    struct.pack_into(">H", record, at, new_number[component])
                record = bytes(record)
            records.append(record)
        return records

    def addSubsetObjects(self, document, font_name, subset):
        """reportlab's, with the font program compressed here (see subset_program)."""
        program, compressed = self.subset_program(subset, compress=document.compression)
        font_file = pdfdoc.PDFStream(content=compressed or program)
        font_file.dictionary["Length1"] = len(program)
        if compressed:
            font_file.dictionary["Filter"] = b"[ /FlateDecode ]"
        font_file_reference = document.Reference(font_file, f"fontFile:{self.filename}({font_name})")
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "Ascent": self.ascent,
                "CapHeight": self.capHeight,
                "Descent": self.descent,
                "Flags": (self.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                "FontBBox": pdfdoc.PDFArray(self.bbox),
                "FontName": pdfdoc.PDFName(font_name),
                "ItalicAngle": self.italicAngle,
                "StemV": self.stemV,
                "FontFile2": font_file_reference,
                "MissingWidth": self.defaultWidth,
            }
        )
        return document.Reference(descriptor, "fontDescriptor:" + font_name)


@dataclass(frozen=True)
class _SharedPart:
    glyph_map: list  # new glyph number -> glyph in the font
    new_number: dict  # glyph in the font -> new glyph number
    offsets: list  # of each glyph record in the glyf table, and where the last ends
    records: bytes  # the glyph records
    bytes: bytes  # the unchanging tables and the records, as they stand in the file
    compressed: bytes  # the same, a deflate run that ends on a byte boundary


def _padded(table):
    return table + b"\0" * (-len(table) % 4)


def _font_file(tables):
    """A TrueType file's directory and its tables, in the order given (the directory lists them
    by tag, as the format asks; their order in the file is free), with the checksums."""
    search_range, entry_selector = 16, 0
    while search_range * 2 <= len(tables) * 16:
        search_range, entry_selector = search_range * 2, entry_selector + 1
    offset = 12 + 16 * len(tables)
    entries = {}
    for tag, table in tables.items():
        entries[tag] = struct.pack(">4sLLL", tag.encode("latin-1"), calcChecksum(table), offset, len(table))
        offset += len(_padded(table))
    header = struct.pack(
        ">lHHHH", 0x00010000, len(tables), search_range, entry_selector, len(tables) * 16 - search_range
    )
    directory = header + b"".join(entries[tag] for tag in sorted(entries))
    body = bytearray(b"".join(map(_padded, tables.values())))
    # The head table's checksum adjustment makes the whole file's checksum a fixed number.
    head_at = struct.unpack_from(">L", entries["head"], 8)[0] - len(directory)
    adjustment = add32(0xB1B0AFBA, -calcChecksum(directory + body))
    struct.pack_into(">L", body, head_at + 8, adjustment)
    return directory, bytes(body)


def _deflate(data, final, level=None):
    """A raw deflate run; one that is not final ends on a byte boundary, for another to follow."""
    compressor = zlib.compressobj(FLATE_LEVEL if level is None else level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH)


def _with_ushort(table, offset, value):
    return table[:offset] + struct.pack(">H", value) + table[offset + 2 :]


def _outline_without_instructions(record):
    """A glyph record (glyf table) without hinting instructions, padded to 4 bytes, and its
    components as (glyph, offset of that glyph's number in the returned record)."""
    if len(record) < 10:
        return b"", ()
    (contours,) = struct.unpack_from(">h", record)
    if contours >= 0:
        # Simple glyph: header, the contours' end points, then the instructions and their length.
        at = 10 + 2 * contours
        (length,) = struct.unpack_from(">H", record, at)
        outline = record[:at] + b"\0\0" + record[at + 2 + length :]
        components = ()
    else:
        outline = bytearray(record)
        components = []
        at = 10
        flags = GF_MORE_COMPONENTS
        while flags & GF_MORE_COMPONENTS:
            flags, component = struct.unpack_from(">HH", outline, at)
            struct.pack_into(">H", outline, at, flags & ~GF_WE_HAVE_INSTRUCTIONS)
            components.append((component, at + 2))
            at += 8 if flags & GF_ARG_1_AND_2_ARE_WORDS else 6
            if flags & GF_WE_HAVE_A_SCALE:
                at += 2
            elif flags & GF_WE_HAVE_AN_X_AND_Y_SCALE:
                at += 4
            elif flags & GF_WE_HAVE_A_TWO_BY_TWO:
                at += 8
        outline = bytes(outline[:at])  # the composite's own instructions follow the components
        components = tuple(components)
    return outline + b"\0" * (-len(outline) % 4), components
