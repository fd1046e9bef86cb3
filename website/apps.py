from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Website")

    def ready(self):
        from . import (
            admin_dates,
            chrome,
            neutral,  # noqa: F401  (registers the deploy check for the neutral address)
            page_cache,
        )

        admin_dates.register()
        # What pages show changes in skills, placements and the page tree: purge them (page_cache.py).
        page_cache.connect()
        # The chrome and the routes kept for every page go stale with the pages and settings (chrome.py).
        chrome.connect()
