"""Text as people type or paste it, cleaned of what no field means to hold.

Control characters arrive from Word (Shift+Enter is a vertical tab), from spreadsheets and from
copied web pages. They show as nothing on screen, break XLSX files (openpyxl refuses them) and
XML, and make two spellings of one name differ. Format characters are not controls and stay:
the zero-width joiner and non-joiner shape Hindi conjuncts (क्‍ष), so a name keeps them."""

import re

# Controls that mean "new line" to the program that put them there: vertical tab (Word's
# Shift+Enter), form feed (a page break) and NEL (next line, C1).
LINE_BREAK_CONTROLS = re.compile("[\x0b\x0c\x85]")
# Every other C0 control except tab, line feed and carriage return; DEL; the C1 controls; lone
# surrogates and the two noncharacters that XML refuses.
OTHER_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
SPACES_AROUND_BREAK = re.compile(" *[\r\n\t]+ *")


def clean_text(text, *, multiline=True):
    """text without control characters. Multi-line text keeps its tabs and line breaks (a
    vertical tab becomes one); single-line text has them as spaces, as a browser's one-line box
    would."""
    text = OTHER_CONTROLS.sub("", LINE_BREAK_CONTROLS.sub("\n", text))
    if not multiline:
        text = SPACES_AROUND_BREAK.sub(" ", text)
    return text
