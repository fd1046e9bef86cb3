"""What every form that stores typed text shares."""

from django import forms

from .text import clean_text


class CleanTextMixin:
    """Cleans control characters out of every text box before the fields validate, so that
    "required" and length checks see what will be stored. Text areas keep their line breaks and
    tabs; one-line boxes get spaces. Passwords are left exactly as typed, and hidden inputs
    (rich text, JSON) are not text a person typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = self.cleaned_text_data(self.data)

    def cleaned_text_data(self, data):
        boxes = {
            self.add_prefix(name): isinstance(field.widget, forms.Textarea)
            for name, field in self.fields.items()
            if isinstance(field, forms.CharField)
            and not isinstance(field.widget, forms.PasswordInput | forms.HiddenInput)
        }
        if not any(key in data for key in boxes):
            return data
        data = data.copy()  # a request's QueryDict is immutable; its copy is not
        for key, multiline in boxes.items():
            if key not in data:
                continue
            if hasattr(data, "setlist"):
                data.setlist(key, [clean_value(value, multiline) for value in data.getlist(key)])
            else:
                data[key] = clean_value(data[key], multiline)
        return data


def clean_value(value, multiline):
    return clean_text(value, multiline=multiline) if isinstance(value, str) else value


def with_clean_text(form_class):
    """form_class, cleaning its text as CleanTextMixin does (itself if it already does)."""
    if issubclass(form_class, CleanTextMixin):
        return form_class
    return type(form_class.__name__, (CleanTextMixin, form_class), {"__module__": form_class.__module__})
