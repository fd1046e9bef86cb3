"""Helpers for tests that post forms as a browser would."""


def form_data(form):
    """What a browser would send back for the form as the page shows it."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[form.add_prefix(name)] = "on"
        elif isinstance(value, list | tuple):
            data[form.add_prefix(name)] = [str(item) for item in value]
        elif field.widget.format_value(value) is not None:
            data[form.add_prefix(name)] = field.widget.format_value(value)
    return data
