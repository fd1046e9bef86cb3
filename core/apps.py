from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app may use and that imports none of them (tests/core/test_import_direction.py
    checks it): rate limits (ratelimit), pagination, the spreadsheet writer (exports), Indian numbers
    and money (formats), dates and financial years (dates), the bilingual PDF toolkit (pdf), text
    cleaning (text, forms), checked uploads (uploads), plain-text feeds (feeds) and announcements of
    changes to the tracker's facts (changes)."""

    name = "core"
