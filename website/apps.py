from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Website")

    def ready(self):
        from . import (
            admin_dates,
            neutral,  # noqa: F401  (registers the deploy check for the neutral address)
        )

        admin_dates.register()
