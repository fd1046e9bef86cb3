"""Reading the file: its text (UTF-8, from bytes, text or a file), its CSV rows and its header."""

import csv
import io
import re

from django.utils.translation import gettext as _

from .cells import COLUMNS, REQUIRED_COLUMNS
from .results import Problem


def read_rows(source, result):
    """The header's column positions and the data rows as (line, cells); problems go to result."""
    if isinstance(source, str):
        text = source.removeprefix("\ufeff")
    else:
        data = source.read() if hasattr(source, "read") else source
        if isinstance(data, str):
            text = data.removeprefix("\ufeff")
        else:
            data = bytes(data)
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                line = data[: error.start].count(b"\n") + 1
                result.problems.append(
                    Problem(
                        line,
                        "",
                        _(
                            "the file is not UTF-8 text (this line has a character in another encoding); "
                            'in Excel, save it as "CSV UTF-8 (Comma delimited)"'
                        ),
                    )
                )
                return None, []
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            result.problems.append(
                Problem(1, "", _("the file is empty: the first line must name the columns"))
            )
            return None, []
        while True:
            line = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                break
            if "".join(cells).strip():  # not a line of empty cells
                rows.append((line, cells))
    except csv.Error as error:
        result.problems.append(
            Problem(reader.line_num, "", _("this is not valid CSV: %(error)s") % {"error": error})
        )
        return None, []
    return read_header(header, result), rows


def read_header(header, result):
    """The position of each column the header names, or None if it names one wrongly or misses one."""
    positions = {}
    for index, cell in enumerate(header):
        name = re.sub(r"[\s-]+", "_", cell.strip().lower())
        if not name:
            continue
        if name not in COLUMNS:
            result.problems.append(
                Problem(
                    1,
                    cell.strip(),
                    _("unknown column; the columns are: %(columns)s") % {"columns": ", ".join(COLUMNS)},
                )
            )
        elif name in positions:
            result.problems.append(Problem(1, name, _("this column appears twice")))
        else:
            positions[name] = index
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            result.problems.append(Problem(1, name, _("this required column is missing")))
    return None if result.problems else positions
