"""What every public page shows around its content, and the pages themselves as routed, from the shared cache.

The chrome is the site settings (helplines, quick exit), the main menu, the footer and the links to a
page in each language; routing is the walk from a home page to the page a path names. All of it
changes only when an editor publishes, unpublishes, moves or deletes a page, or saves the settings,
the menu, the footer or a site, or when a centre or trade that a page shows is changed: each of those
replaces one generation token (core/generations.py; receivers connected by connect(), from
website.apps), under which everything here is kept, and which the kept fragments of templates/base.html
name. Lists drawn from the tracker (centres, districts, trades) are kept by
placements.public_figures.cached, under the tracker's own token, as the impact figures are; the
vacancy board's filter and list, under the board's token (VACANCY_BOARD) as well.

A request reads every token in one round trip to the cache, and what it reads under them from the
process's copy (core/generations.py): NeutralHostMiddleware asks here for the site and the page a
path names before Wagtail would look for them with queries.

With a cache per process (Django's default), a change clears only the cache of the process that saw
it; the others catch up within CACHE_TIMEOUT. Production shares one cache (settings: CACHES)."""

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.translation import get_language

from core import generations
from placements import public_figures

CACHE_PREFIX = "sakhi:chrome:v1"
CACHE_TIMEOUT = 60 * 60
CHROME = generations.Generation(f"{CACHE_PREFIX}:generation")


# The vacancy board's own token: its filter's choices (the districts of the vacancies on the board)
# change with a vacancy or an employer, which the chrome does not show.
VACANCY_BOARD = generations.Generation("sakhi:vacancy-board:v1:generation")


def generation():
    return CHROME.token()


def filter_form_key(form):
    """What an unbound public filter form (the course finder's, the vacancy board's) is drawn from:
    its choices come from the tracker, the trades and the vacancies on the board, as of today. ""
    for a bound form, which shows the visitor's own choices."""
    if form.is_bound:
        return ""
    tokens = (CHROME.token(), VACANCY_BOARD.token(), public_figures.TRACKER.token())
    return ":".join([type(form).__name__, *tokens, str(timezone.localdate())])


def invalidate_chrome():
    """Make everything kept here stale (now, and again when the current transaction commits)."""
    CHROME.invalidate()


def cached(name, build, *parts):
    """build(), kept under the chrome's current token and these parts of the key (None included)."""
    return generations.cached(CHROME, CACHE_PREFIX, name, build, *parts, timeout=CACHE_TIMEOUT)


def site_for_request(request):
    """Wagtail's Site.find_for_request, kept by host and port (a page's route has already found it)."""
    from wagtail.models import Site

    if not hasattr(request, "_wagtail_site"):
        hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()
        request._wagtail_site = cached("site", lambda: Site.find_for_request(request), hostname, port)
    return request._wagtail_site


def home_page(site):
    """The site's home page in the active language, as Wagtail's routing finds it (a query or two)."""
    return cached("home", lambda: site.root_page.localized.specific, site.pk, get_language())


def route_for_request(request, path):
    """Wagtail's Page.route_for_request, from the cache, for its serve view to find: the home page
    kept above, then its route() (HomePage.route keeps the walk down the tree)."""
    if hasattr(request, "_wagtail_route_for_request"):
        return
    site = site_for_request(request)
    if site is None:
        return  # Wagtail answers 404 itself
    try:
        route = home_page(site).route(request, [component for component in path.split("/") if component])
    except Http404:
        route = None
    request._wagtail_route_for_request = route


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
    """{language code: URL} of a page in every language: its live translation, itself included, or
    that language's home page where it has none. Nothing here comes from the request, so a fragment
    drawn from it (the kept top of a page) is the same for every visitor."""

    def build():
        translations = page.get_translations(inclusive=True).live().select_related("locale")
        return {translated.locale.language_code: translated.url for translated in translations}

    found = cached("translations", build, page.translation_key)
    return {code: found.get(code) or language_home(code) for code, _name in settings.LANGUAGES}


def language_home(code):
    return "/" if code == settings.LANGUAGE_CODE else f"/{code}/"


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


def vacancy_board_changed(sender, **kwargs):
    """Receiver for vacancies (their trades too) and employers."""
    if kwargs.get("action", "post_").startswith("post_"):
        VACANCY_BOARD.invalidate()


def connect():
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from placements.models import Employer, Vacancy
    from skills.models import Centre, Trade

    from .models import FooterText, MainMenu, MainMenuItem, SiteSettings

    # What a request reads from the cache, its tokens first, it reads once (core/generations.py).
    request_started.connect(generations.start_request, dispatch_uid="generations_request_started")
    request_finished.connect(generations.end_request, dispatch_uid="generations_request_finished")
    page_published.connect(page_changed, dispatch_uid="chrome_page_published")
    page_unpublished.connect(page_changed, dispatch_uid="chrome_page_unpublished")
    post_page_move.connect(page_changed, dispatch_uid="chrome_page_moved")
    # Every save of a page (drafts too: cheap, and a page saved in code without a revision is seen).
    shown = [Page, *get_page_models(), SiteSettings, MainMenu, MainMenuItem, FooterText, Site]
    shown += [PageViewRestriction, Locale, Centre, Trade]
    for model in dict.fromkeys(shown):
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                page_changed, sender=model, dispatch_uid=f"chrome_{name}_{model._meta.label_lower}"
            )
    for model in (Vacancy, Employer):
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                vacancy_board_changed, sender=model, dispatch_uid=f"board_{name}_{model._meta.label_lower}"
            )
    m2m_changed.connect(vacancy_board_changed, sender=Vacancy.trades.through, dispatch_uid="board_trades")
