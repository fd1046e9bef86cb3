"""The one spreadsheet writer (core.exports) and the text cleaner behind it (core.text)."""

import csv
import datetime
import decimal
import io
import zoneinfo

import openpyxl
import pytest
from django.utils import timezone

from core.exports import csv_lines, safe_cell, spreadsheet_response, xlsx_bytes
from core.forms import CleanTextMixin, with_clean_text
from core.text import clean_text


class Related:
    """Stands for a related record: the writer knows it only through str()."""

    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://evil.example")', "@SUM(A1:A9)", "+1+1", "-2+3", "\t=1", "＝1+1"],
)
def test_formula_text_is_written_as_text_whatever_its_source(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell(Related(value)) == "'" + value
    assert safe_cell([Related(value), "b"]) == "'" + value + ", b"


def test_a_formula_behind_a_control_character_is_still_caught():
    assert safe_cell(Related("\x00=1+1")) == "'=1+1"


def test_numbers_dates_and_nothing_keep_their_kind():
    day = datetime.date(2024, 4, 1)
    assert safe_cell(None) == ""
    assert safe_cell(-5) == -5
    assert safe_cell(decimal.Decimal("1500.50")) == decimal.Decimal("1500.50")
    assert safe_cell(day) is day
    assert safe_cell(True) is True


def test_an_aware_time_is_written_as_the_site_shows_it(settings):
    settings.TIME_ZONE = "Asia/Kolkata"
    moment = datetime.datetime(2024, 4, 1, 6, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    with timezone.override("Asia/Kolkata"):
        assert safe_cell(moment) == datetime.datetime(2024, 4, 1, 11, 30)


def test_control_characters_go_and_hindi_joiners_stay():
    assert clean_text("Sunita\x0bDevi\x00\x1f\x7f\x9f", multiline=False) == "Sunita Devi"
    assert clean_text("line one\x0bline two\ttab\r\nthree") == "line one\nline two\ttab\r\nthree"
    assert clean_text("लक्\u200dष्मी \u200cक") == "लक्\u200dष्मी \u200cक"


def test_an_xlsx_with_every_kind_of_cell_opens():
    rows = [["Sunita\x0bDevi", Related("=1+1"), datetime.date(2024, 4, 1), 12, None]]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(["Name", "Cohort", "On", "N", "X"], rows))).active
    assert list(sheet.iter_rows(values_only=True))[1] == (
        "Sunita\nDevi",
        "'=1+1",
        datetime.date(2024, 4, 1),
        12,
        None,
    )
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"


def test_a_csv_starts_with_a_byte_order_mark_and_quotes_lines():
    text = "".join(csv_lines(["Name"], [["Sunita\x0bDevi"], ["@x"]]))
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]))) == [["Name"], ["Sunita\nDevi"], ["'@x"]]


def test_the_response_names_the_file_and_refuses_unknown_formats():
    response = spreadsheet_response("csv", ["a"], [[1]], filename="trainees", stream=False)
    assert response["Content-Disposition"] == 'attachment; filename="trainees.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    with pytest.raises(ValueError):
        spreadsheet_response("ods", ["a"], [], filename="x")


def test_the_form_mixin_keeps_passwords_and_lines():
    from django import forms

    class Form(forms.Form):
        name = forms.CharField()
        notes = forms.CharField(widget=forms.Textarea)
        secret = forms.CharField(widget=forms.PasswordInput)

    form = with_clean_text(Form)({"name": "A\x0bB", "notes": "one\x0btwo\x07", "secret": "p\x07w"})
    assert isinstance(form, CleanTextMixin) and form.is_valid()
    assert form.cleaned_data == {"name": "A B", "notes": "one\ntwo", "secret": "p\x07w"}
