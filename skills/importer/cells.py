"""The columns of the file and the one check every cell passes before any rule reads it."""

import datetime
import re
import unicodedata

from django.utils.translation import gettext as _

from ..models import Course, Enrolment, Trainee

REQUIRED_COLUMNS = (
    "centre",
    "full_name",
    "date_of_birth",
    "trade",
    "course",
    "cohort_start",
    "cohort_end",
    "status",
)
OPTIONAL_COLUMNS = (
    "register_number",
    "name_hi",
    "district",
    "enrolled_on",
    "completion_date",
    "dropout_reason",
    "guardian_consent_basis",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
DATE_COLUMNS = ("date_of_birth", "cohort_start", "cohort_end", "enrolled_on", "completion_date")
# The longest value each text column may hold: the model fields' max_length.
MAX_LENGTHS = {
    "register_number": Trainee._meta.get_field("register_number").max_length,
    "full_name": Trainee._meta.get_field("full_name").max_length,
    "name_hi": Trainee._meta.get_field("name_hi").max_length,
    "district": Trainee._meta.get_field("district").max_length,
    "course": Course._meta.get_field("title").max_length,
    "dropout_reason": Enrolment._meta.get_field("dropout_reason").max_length,
}
STATUSES = {
    "enrolled": Enrolment.Status.ENROLLED,
    "dropped": Enrolment.Status.DROPPED,
    "completed": Enrolment.Status.COMPLETED,
    "not_passed": Enrolment.Status.NOT_PASSED,
    "not passed": Enrolment.Status.NOT_PASSED,
    "not-passed": Enrolment.Status.NOT_PASSED,
}

# Free text that may run over several lines of a cell; every other cell is one line.
MULTILINE_COLUMNS = ("dropout_reason", "guardian_consent_basis")
# Letters that print as nothing at all (Hangul fillers, the braille blank): with spaces and
# zero-width format characters, a name made only of these is no name.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")

# Unicode's control characters (Cc: U+0000 to U+001F and U+007F to U+009F) and surrogates (Cs),
# found by one search rather than a category lookup per character.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
CONTROL_CHARACTERS_BUT_LINE_BREAKS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
DAY_FIRST_DATE = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4})")


class CellError(ValueError):
    pass


def parse_date(text):
    """A date written YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY."""
    if match := ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := DAY_FIRST_DATE.fullmatch(text):
        day, _sep, month, year = match.groups()
    else:
        raise CellError(
            _('"%(value)s" is not a date; write YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY') % {"value": text}
        )
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(_('"%(value)s" is not a real date') % {"value": text}) from None


def parse_status(text):
    status = STATUSES.get(" ".join(text.split()).lower())
    if status is None:
        raise CellError(
            _('"%(value)s" is not a status; write enrolled, dropped, completed or not_passed')
            % {"value": text}
        )
    return status


def is_invisible(character):
    return character.isspace() or unicodedata.category(character) == "Cf" or character in BLANK_LETTERS


def clean_cell(column, raw):
    """The one check every cell passes before any rule reads it: the value as the rules use it
    (text stripped, a date, a status; None for an empty date), or CellError saying what is wrong.

    Control characters are refused: a NUL cannot be stored in PostgreSQL and breaks spreadsheets,
    and the others are invisible damage. So is a cell of only invisible characters (a name of a
    zero-width joiner and a no-break space), which would look empty everywhere it is shown.
    Joiners inside a word are kept: Devanagari needs them."""
    value = raw.strip()
    control = CONTROL_CHARACTERS_BUT_LINE_BREAKS if column in MULTILINE_COLUMNS else CONTROL_CHARACTERS
    if match := control.search(value):
        raise CellError(
            _("contains a control character (U+%(code)04X), which cannot be stored; retype this cell")
            % {"code": ord(match.group())}
        )
    # A stripped value starting with an ASCII character starts with a visible one: the control
    # characters are refused above. Only the others are looked at character by character.
    if value and not value[0].isascii() and all(is_invisible(character) for character in value):
        raise CellError(
            _(
                "only invisible characters (such as zero-width or no-break spaces); write it, or leave it empty"
            )
        )
    if not value:
        if column in REQUIRED_COLUMNS:
            raise CellError(_("required, but empty"))
        return None if column in DATE_COLUMNS else ""
    if column in MAX_LENGTHS and len(value) > MAX_LENGTHS[column]:
        raise CellError(
            _("%(length)d characters, but at most %(max)d fit")
            % {"length": len(value), "max": MAX_LENGTHS[column]}
        )
    if column in DATE_COLUMNS:
        return parse_date(value)
    if column == "status":
        return parse_status(value)
    return value


class FileCells:
    """clean_cell once for each different cell of a file: its lines repeat the same centres, trades,
    courses, dates and statuses, so most cells are cleaned once and then looked up."""

    def __init__(self, positions):
        # Each column the header names, with where a line holds it and what its cells clean to so
        # far: raw text to the value, and apart raw text to the message of a cell that is not clean.
        self.layout = [(column, positions[column], {}, {}) for column in COLUMNS if column in positions]
        # A column the header does not name reads as empty on every line: cleaned once here.
        self.absent = {}
        for column in COLUMNS:
            if column not in positions:
                self.absent[column] = clean_cell(column, "")  # optional (read_header): never refused

    def clean_line(self, cells):
        """A line's clean values by column, and (column, message) for each cell that is not clean."""
        values, errors = self.absent.copy(), []
        length = len(cells)
        for column, index, clean, refused in self.layout:
            raw = cells[index] if index < length else ""
            try:
                values[column] = clean[raw]
            except KeyError:
                if raw in refused:
                    errors.append((column, refused[raw]))
                    continue
                try:
                    values[column] = clean[raw] = clean_cell(column, raw)
                except CellError as error:
                    refused[raw] = str(error)
                    errors.append((column, refused[raw]))
        return values, errors
