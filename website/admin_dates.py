"""The admin's date pickers: dd/mm/yyyy (settings.WAGTAIL_DATE_FORMAT), and never a silent rewrite.

Wagtail's picker (xdsoft datetimepicker) replaces what it cannot parse with today's date when the
field loses focus: a typed date of birth became today, and the form then failed elsewhere. With
validateOnBlur off, what she typed stays in the field and the form refuses it next to the field."""

from django.db import models
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput


class TypedDateInput(AdminDateInput):
    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}


class TypedDateTimeInput(AdminDateTimeInput):
    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}


def register():
    register_form_field_override(models.DateField, override={"widget": TypedDateInput})
    register_form_field_override(models.DateTimeField, override={"widget": TypedDateTimeInput})
