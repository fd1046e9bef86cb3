"""The one spreadsheet writer: every CSV and XLSX file the site hands out is written here.

Every cell goes through safe_cell whatever its source (a text field, a related record written
with str(), a choice, a date, a number, None), so that
- a cell a spreadsheet would run as a formula (=, +, -, @, ...) is stored as text with a leading
  apostrophe (OWASP's advice on CSV injection): names and titles are typed by employers and
  trainees' relatives as well as by staff;
- control characters, which openpyxl refuses (a 500) and Excel shows as boxes, are cleaned;
- dates stay dates and numbers stay numbers in XLSX, so that they sort and add up."""

import csv
import datetime
import decimal
import io

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .text import clean_text

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"  # a byte-order mark, so that Excel reads the UTF-8 (Hindi names) correctly

# What makes a spreadsheet read a cell as a formula, in ASCII and in the full-width forms that
# Excel also accepts from an Indian or East Asian keyboard.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
KEPT_AS_THEY_ARE = (bool, int, float, decimal.Decimal, datetime.date, datetime.time)


def safe_cell(value):
    """One exported cell as a spreadsheet should hold it."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write the time as the user reads it on the site.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, KEPT_AS_THEY_ARE):
        return value
    # A related record, a choice, a lazy translation: written as the list on screen shows it.
    text = ", ".join(map(str, value)) if isinstance(value, list | tuple | set) else str(value)
    text = clean_text(text)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_row(row):
    return [safe_cell(value) for value in row]


class _Line:
    """A file-like object whose write hands back what csv.writer wrote, for streaming."""

    def write(self, line):
        return line


def csv_lines(header, rows):
    """The lines of a CSV file, byte-order mark first, each cell through safe_cell."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row(row))


def xlsx_bytes(header, rows, *, sheet_title="Sheet1", fit_columns=False):
    """An XLSX workbook of one sheet: a bold, frozen heading row, then each row through safe_cell.
    fit_columns widens the columns to their text (it keeps every row in memory: short tables only)."""
    rows = [safe_row(row) for row in rows] if fit_columns else (safe_row(row) for row in rows)
    header = safe_row(header)
    workbook = Workbook(write_only=True, iso_dates=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.freeze_panes = "A2"
    if fit_columns:
        for index, column in enumerate(zip(header, *rows, strict=True), start=1):
            width = max(len(str(value)) for value in column)
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 40)
    bold = Font(bold=True)
    sheet.append([_bold(sheet, value, bold) for value in header])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bold(sheet, value, font):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def spreadsheet_response(
    fmt, header, rows, *, filename, sheet_title="Sheet1", stream=True, fit_columns=False
):
    """A download of header and rows as CSV or XLSX. stream sends a long list as it is written
    (CSV) or from a file object (XLSX); short tables are sent whole."""
    if fmt == CSV:
        lines = csv_lines(header, rows)
        if stream:
            response = StreamingHttpResponse(lines, content_type=CSV_TYPE)
        else:
            response = HttpResponse("".join(lines), content_type=CSV_TYPE)
    elif fmt == XLSX:
        content = xlsx_bytes(header, rows, sheet_title=sheet_title, fit_columns=fit_columns)
        if stream:
            response = FileResponse(io.BytesIO(content), content_type=XLSX_TYPE)
        else:
            response = HttpResponse(content, content_type=XLSX_TYPE)
    else:
        raise ValueError(f"Unknown spreadsheet format: {fmt!r}")
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return response
