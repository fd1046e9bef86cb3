"""What every public page shows around its content, and the pages themselves as routed, from the shared cache.

The chrome is the site settings (helplines, quick exit), the main menu, the footer and the links to a
page in each language; routing is the walk from a home page to the page a path names. All of it
changes only when an editor publishes, unpublishes, moves or deletes a page, or saves the settings,
the menu, the footer or a site, or when a centre or trade that a page shows is changed: each of those
replaces one generation token (receivers connected by connect(), from website.apps), under which
everything here is kept. Lists drawn from the tracker (centres, districts, trades) are kept by
placements.public_figures.cached, under the tracker's own token, as the impact figures are.

With a cache per process (Django's default), a change clears only the cache of the process that saw
it; the others catch up within CACHE_TIMEOUT. Production shares one cache (settings: CACHES)."""

import uuid
from dataclasses import dataclass

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.http.request import split_domain_port
from django.utils.translation import get_language

CACHE_PREFIX = "sakhi:chrome:v1"
GENERATION_KEY = f"{CACHE_PREFIX}:generation"
CACHE_TIMEOUT = 60 * 60
MISSING = "missing"  # kept for "no such thing", which None (a cache miss) cannot say

# What one request has read from here, so that it asks the shared cache once for each thing: a round
# trip to Redis costs more than rendering most of a page. It lives from request_started to
# request_finished only (outside a request, in a command or a task, every read goes to the cache),
# and a change made during the request replaces its generation here too, so the request that made
# it sees it. A change made elsewhere while a request runs is seen from the next request, as before.
request_memo = Local()


def start_request_memo(**kwargs):
    request_memo.values = {}


def end_request_memo(**kwargs):
    request_memo.values = None


def memo():
    return getattr(request_memo, "values", None)


def generation():
    values = memo()
    if values is not None and GENERATION_KEY in values:
        return values[GENERATION_KEY]
    token = cache.get(GENERATION_KEY) or new_generation()
    if values is not None:
        values[GENERATION_KEY] = token
    return token


def new_generation():
    # Random rather than a counter: an evicted counter would start again at values still cached.
    token = uuid.uuid4().hex
    cache.set(GENERATION_KEY, token, None)
    values = memo()
    if values is not None:
        values.clear()  # what was read under the old token is stale
        values[GENERATION_KEY] = token
    return token


def invalidate_chrome():
    """Make everything kept here stale: now, and again when the current transaction commits, so that
    what a request read in between, before the change could be seen, is not kept either."""
    new_generation()
    if connection.in_atomic_block:
        transaction.on_commit(new_generation)


def cached(name, build, *parts):
    """build(), kept under the current generation and these parts of the key."""
    key = ":".join([CACHE_PREFIX, generation(), name, *map(str, parts)])
    values = memo()
    value = values.get(key) if values is not None else None
    if value is None:
        value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, MISSING if value is None else value, CACHE_TIMEOUT)
    if values is not None:
        values[key] = value
    return None if value == MISSING else value


def site_for_request(request):
    """Wagtail's Site.find_for_request, kept by host and port (a page's route has already found it)."""
    from wagtail.models import Site

    if not hasattr(request, "_wagtail_site"):
        hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()
        request._wagtail_site = cached("site", lambda: Site.find_for_request(request), hostname, port)
    return request._wagtail_site


@dataclass(frozen=True)
class MenuLink:
    pk: int
    url: str
    title: str


def main_menu(request):
    """The main menu's pages, in the visitor's language where a translation is live."""
    site = site_for_request(request)
    if site is None:
        return []
    return cached("menu", lambda: build_menu(request, site), site.pk, get_language())


def build_menu(request, site):
    from wagtail.models import Locale, Page

    from .models import MainMenu

    menu = MainMenu.for_site(site)
    keys = [item.link_page.translation_key for item in menu.items.select_related("link_page")]
    if not keys:
        return []
    active = Locale.get_active()
    pages = {}
    for page in Page.objects.live().filter(translation_key__in=keys):
        if page.translation_key not in pages or page.locale_id == active.pk:
            pages[page.translation_key] = page
    return [
        MenuLink(page.pk, page.get_url(request), page.title)
        for page in (pages[key] for key in keys if key in pages)
    ]


def site_settings():
    """The default site's SiteSettings, as `{% get_settings use_default_site=True %}` reads them."""

    def build():
        from wagtail.models import Site

        from .models import SiteSettings

        site = Site.objects.filter(is_default_site=True).first()
        return SiteSettings.for_site(site) if site else SiteSettings()

    return cached("settings", build)


def translation_urls(page):
    """{language code: URL} of the live translations of a page, itself included."""

    def build():
        translations = page.get_translations(inclusive=True).live().select_related("locale")
        return {translated.locale.language_code: translated.url for translated in translations}

    return cached("translations", build, page.translation_key)


def has_view_restrictions():
    """Whether any page is private. Most sites have none, and then no page needs checking."""
    from wagtail.models import PageViewRestriction

    return cached("restricted", lambda: PageViewRestriction.objects.exists())


def routed_page(home, path_components, route):
    """The live page at this path under a home page, as route() found it: kept, so that routing costs
    no query. A path that is not a page's own (a route of a RoutablePage, a 404) is not kept."""
    path = "/".join(path_components)

    def build():
        result = route()
        page = result.page if result else None
        if page is None or page.url_path != f"{home.url_path}{path}/":
            return None
        page.__dict__.pop("_cached_parent_obj", None)  # the chain up to the root, not worth keeping
        for name in getattr(page, "shown_relations", ()):
            getattr(page, name)  # read now, so that they are kept with the page
        return page

    return cached("route", build, home.pk, path)


def page_changed(sender, **kwargs):
    """Receiver for the page tree, the settings, the menu, the footer, sites, centres and trades."""
    invalidate_chrome()


def connect():
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, PageViewRestriction, Site, get_page_models
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from skills.models import Centre, Trade

    from .models import FooterText, MainMenu, MainMenuItem, SiteSettings

    request_started.connect(start_request_memo, dispatch_uid="chrome_request_started")
    request_finished.connect(end_request_memo, dispatch_uid="chrome_request_finished")
    page_published.connect(page_changed, dispatch_uid="chrome_page_published")
    page_unpublished.connect(page_changed, dispatch_uid="chrome_page_unpublished")
    post_page_move.connect(page_changed, dispatch_uid="chrome_page_moved")
    # Every save of a page (drafts too: cheap, and a page saved in code without a revision is seen).
    shown = [Page, *get_page_models(), SiteSettings, MainMenu, MainMenuItem, FooterText, Site]
    shown += [PageViewRestriction, Centre, Trade]
    for model in dict.fromkeys(shown):
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                page_changed, sender=model, dispatch_uid=f"chrome_{name}_{model._meta.label_lower}"
            )
