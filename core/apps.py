from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app may use and that imports none of them: exports, text cleaning, and more to come."""

    name = "core"
