"""The page cache: public pages kept in the shared cache for visitors without a session, and purged
precisely, in both languages, when what they show changes (docs/decisions.md, "Public pages from a
page cache in the shared cache, not Varnish").

What may be kept: a GET without a query string, from a visitor with no session (nor a message
waiting for her), outside the admin, the employer portal, the certificate check, search and the
machine endpoints, answered 200 by a view that set no Cache-Control of its own, without a cookie.
Such an answer says `Cache-Control: public, max-age=0, s-maxage=…` so a CDN may keep it too;
everything else that did not say for itself says `private, no-store`.

How it is kept: one entry per path (the language is in the path: /hi/...), valid while two tokens
are those read before it was rendered: the path's own, replaced when the path is purged, and the
site's, replaced when everything is. A rendering that raced with a purge is thus never served,
whenever it is stored; a hit costs one round trip to the cache (the entry and both tokens). The
tokens are made as core/generations.py makes its own, but read with the entry, one path at a time.

What is purged: each change names what it touched (a page, a cohort, a vacancy, an employer, the
impact figures, or everything) when it is made; once its transaction commits, the URLs that show
those things are purged from this cache and sent to the CDN's backends (WAGTAILFRONTENDCACHE, through
wagtail.contrib.frontend_cache). website.apps connects the receivers below."""

import copy
import hashlib
import re
import threading

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import StreamField
from wagtail.models import Page, Site, get_page_models

from core.generations import new_token

from .neutral import on_neutral_host

CACHE_PREFIX = "sakhi:page-cache:v1"
SITE_TOKEN_KEY = f"{CACHE_PREFIX}:site"
HIT_HEADER = "X-Page-Cache"

# Never kept, whoever asks: what is personal, checked live, or not a page. Paths after an optional
# language prefix, then those outside i18n_patterns.
NEVER_CACHED = re.compile(
    r"^/(?:(?:{languages})/)?(?:admin/|employers/|certificates/|search/)"
    r"|^/(?:admin/|documents/|api/|\.well-known/|credentials/|healthz|readyz|static/|media/)".format(
        languages="|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    )
)
IMPACT_BLOCK = "impact_figures"  # website.blocks.BodyBlock's name for the live impact figures


def enabled():
    return settings.SAKHI_PAGE_CACHE_SECONDS > 0


def has_session(request):
    """A logged-in user, a portal visit in progress, or a message waiting to be shown."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES


def public_path(request):
    """The path this request's answer may be shared under, or None when it is answered for itself."""
    if (
        request.method not in ("GET", "HEAD")
        or request.META.get("QUERY_STRING")
        or has_session(request)
        or NEVER_CACHED.match(request.path_info)
        or on_neutral_host(request)
    ):
        return None
    return request.path_info


def shareable(response):
    """Whether this answer to a public request may be kept and shared."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
    )


def set_cache_control(request, response, *, shared):
    if shared:
        patch_cache_control(response, public=True, max_age=0, s_maxage=settings.SAKHI_PUBLIC_PAGE_MAX_AGE)
        return
    said = response.get("Cache-Control", "")
    if "no-store" in said or "private" in said:
        return
    personal = has_session(request) or bool(response.cookies) or NEVER_CACHED.match(request.path_info)
    if personal or not said:
        patch_cache_control(response, private=True, no_store=True)


# The store.


def digest(path):
    return hashlib.sha256(path.encode()).hexdigest()[:32]


def entry_key(path):
    return f"{CACHE_PREFIX}:page:{digest(path)}"


def token_key(path):
    return f"{CACHE_PREFIX}:token:{digest(path)}"


def lookup(cache, path):
    """(the kept answer for this path, or None; the tokens a fresh rendering is to be kept under)."""
    found = cache.get_many([entry_key(path), token_key(path), SITE_TOKEN_KEY])
    entry, path_token, site_token = (
        found.get(key) for key in (entry_key(path), token_key(path), SITE_TOKEN_KEY)
    )
    if entry is not None and path_token and site_token and entry[:2] == (path_token, site_token):
        return answer_from(entry), None
    fresh = {}
    if path_token is None:
        path_token = fresh[token_key(path)] = new_token()
    if site_token is None:
        site_token = fresh[SITE_TOKEN_KEY] = new_token()
    if fresh:
        cache.set_many(fresh, None)
    return None, (path_token, site_token)


def store(cache, path, tokens, response):
    headers = [(name, value) for name, value in response.items() if name != HIT_HEADER]
    entry = (*tokens, response.status_code, headers, response.content)
    cache.set(entry_key(path), entry, settings.SAKHI_PAGE_CACHE_SECONDS)


def answer_from(entry):
    _path_token, _site_token, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[HIT_HEADER] = "hit"
    return response


def forget_paths(cache, paths):
    if paths:
        cache.set_many({token_key(path): new_token() for path in paths}, None)
        cache.delete_many([entry_key(path) for path in paths])


def forget_everything(cache):
    cache.set(SITE_TOKEN_KEY, new_token(), None)


# What shows what: the URLs to purge for each kind of change.

EVERYTHING = ("everything",)


def languages():
    return [code for code, _name in settings.LANGUAGES]


def site_root_url():
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return site.root_url if site else settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def route_urls(name, *args):
    """A Django view's URL in every language."""
    root = site_root_url()
    urls = set()
    for language in languages():
        with translation.override(language):
            urls.add(root + reverse(name, args=args))
    return urls


def page_urls(pages):
    """The URLs of these pages in every language (their translations and aliases), with what their
    routes serve without arguments (a news index's feed/)."""
    keys = {page.translation_key for page in pages}
    urls = set()
    for page in Page.objects.filter(translation_key__in=keys).specific():
        urls |= urls_of(page)
    return urls


def urls_of(page):
    base = page.get_full_url()
    if base is None:
        return set()
    urls = {base + path.lstrip("/") for path in page.get_cached_paths()}
    if isinstance(page, RoutablePageMixin):
        for route in page.get_subpage_urls():
            if route.name and not route.pattern.converters:
                urls.add(base + page.reverse_subpage(route.name))
    return urls


def urls_at_old_path(page, url_path_before, url_path_after):
    """Where a page and its descendants were before a move or a new slug."""
    urls = set()
    for moved in [page, *page.get_descendants().specific()]:
        before = copy.copy(moved)
        before.url_path = url_path_before + moved.url_path[len(url_path_after) :]
        urls |= urls_of(before)
    return urls


def listed_by(page):
    """The pages that show this one in a list: its parent (an index), the home page for news and
    course announcements (latest news, upcoming courses), a centre's pages for its courses."""
    from .models import CentrePage, CoursePage, NewsPage

    shown = []
    parent = page.get_parent()
    if parent is not None and parent.depth > 1:
        shown.append(parent)
    if isinstance(page, NewsPage | CoursePage):
        shown.extend(page.get_ancestors().filter(depth=2))
    if isinstance(page, CoursePage):
        shown.extend(CentrePage.objects.filter(centre_id=page.centre_id))
    return shown


def urls_showing_page(page):
    page = page.specific
    return page_urls([page, *listed_by(page)]) | route_urls("sitemap")


def urls_showing_page_id(page_id):
    page = Page.objects.filter(pk=page_id).first()
    return urls_showing_page(page) if page is not None else set()


def in_main_menu(page):
    from .models import MainMenuItem

    return MainMenuItem.objects.filter(link_page__translation_key=page.translation_key).exists()


def urls_showing_cohort(cohort_id):
    """The course finder lists open cohorts with their seats left and dates; a course page shows
    those it announces."""
    from .models import CourseIndexPage, CoursePage

    pages = [*CourseIndexPage.objects.all(), *CoursePage.objects.filter(cohorts=cohort_id)]
    return page_urls(pages)


def urls_showing_vacancy(vacancy_id):
    return route_urls("vacancy_board") | route_urls("vacancy_feed") | route_urls("vacancy_detail", vacancy_id)


def urls_showing_employer(employer_id):
    from placements.models import Vacancy

    urls = route_urls("vacancy_board") | route_urls("vacancy_feed")
    for vacancy_id in Vacancy.objects.filter(employer_id=employer_id).values_list("pk", flat=True):
        urls |= route_urls("vacancy_detail", vacancy_id)
    return urls


def pages_showing_impact_figures():
    """Live pages with an impact figures block in one of their StreamFields."""
    pages = []
    for model in get_page_models():
        for field in model._meta.get_fields(include_parents=False):
            if isinstance(field, StreamField) and IMPACT_BLOCK in field.stream_block.child_blocks:
                text = Cast(field.name, TextField())
                pages.extend(
                    model.objects.live()
                    .annotate(stream_text=text)
                    .filter(stream_text__contains=f'"{IMPACT_BLOCK}"')
                    .only("pk", "translation_key")
                )
    return pages


def all_public_urls():
    from placements.filters import on_the_board

    urls = page_urls(Page.objects.live().filter(depth__gt=1).only("translation_key"))
    for vacancy_id in on_the_board().values_list("pk", flat=True):
        urls |= urls_showing_vacancy(vacancy_id)
    return urls | route_urls("sitemap")


URLS_FOR = {
    "page": urls_showing_page_id,
    "cohort": urls_showing_cohort,
    "vacancy": urls_showing_vacancy,
    "employer": urls_showing_employer,
    "impact": lambda: page_urls(pages_showing_impact_figures()),
    "urls": lambda urls: set(urls),
}


# Purging: changes collected in the thread's transaction, purged once when it commits.

pending = threading.local()


def purge_on_commit(kind, *args):
    """Purge what shows this change once the transaction commits (at once outside one). Each change
    is named once however often it is announced; a rolled-back change is purged with the next."""
    if not hasattr(pending, "changes"):
        pending.changes = set()
    pending.changes.add((kind, *args))
    transaction.on_commit(purge_pending, robust=True)


def purge_pending():
    changes, pending.changes = getattr(pending, "changes", set()), set()
    if not changes:
        return
    from django.core.cache import cache

    # Every change's own URLs, as well as "everything": the list of all public URLs does not name
    # each vacancy's page, which a CDN must still be told to forget.
    urls = set()
    for kind, *args in changes - {EVERYTHING}:
        urls |= URLS_FOR[kind](*args)
    if EVERYTHING in changes:
        forget_everything(cache)
        urls |= all_public_urls()
    purge_urls(cache, urls)


def purge_urls(cache, urls):
    """Forget these URLs here, and have the CDN's backends forget them (a background task)."""
    from urllib.parse import urlsplit

    forget_paths(cache, sorted({urlsplit(url).path for url in urls}))
    if urls and settings.WAGTAILFRONTENDCACHE:
        purge_urls_from_cache(sorted(urls))


# Receivers (connected by connect(), from website.apps).


def page_changed(sender, instance, **kwargs):
    """Published (aliases too) or unpublished."""
    purge_on_commit(*(EVERYTHING if in_main_menu(instance) else ("page", instance.pk)))


def page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    if url_path_before != url_path_after:
        purge_on_commit("urls", frozenset(urls_at_old_path(instance, url_path_before, url_path_after)))
    parent_before = kwargs.get("parent_page_before")
    if parent_before is not None and parent_before.depth > 1:
        purge_on_commit("urls", frozenset(page_urls([parent_before])))
    page_changed(sender, instance)


def page_renamed(sender, instance, instance_before, **kwargs):
    """A new slug, sent once it is committed."""
    purge_on_commit(
        "urls", frozenset(urls_at_old_path(instance, instance_before.url_path, instance.url_path))
    )


def page_deleted(sender, instance, **kwargs):
    """Before the row goes: where it was and what listed it."""
    if instance.depth > 1:
        if in_main_menu(instance):
            purge_on_commit(*EVERYTHING)
        purge_on_commit("urls", frozenset(urls_showing_page(instance)))


def enrolment_changed(sender, instance, **kwargs):
    """A seat taken or freed (skills.services changes the cohort's count with an update, which sends
    no signal of its own: the enrolment written beside it does)."""
    purge_on_commit("cohort", instance.cohort_id)


def cohort_changed(sender, instance, **kwargs):
    purge_on_commit("cohort", instance.pk)


def cohort_deleted(sender, instance, **kwargs):
    purge_on_commit("urls", frozenset(urls_showing_cohort(instance.pk)))


def vacancy_changed(sender, instance, **kwargs):
    purge_on_commit("vacancy", instance.pk)


def vacancy_trades_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        purge_on_commit("vacancy", instance.pk)


def employer_changed(sender, instance, **kwargs):
    purge_on_commit("employer", instance.pk)


def impact_figures_changed(sender, **kwargs):
    purge_on_commit("impact")


def shown_everywhere_changed(sender, **kwargs):
    """Site settings, the menu, the footer; centres, trades and courses (names in lists and filters)."""
    purge_on_commit(*EVERYTHING)


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
    from wagtail.models import Site as WagtailSite
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    from placements.models import Employer, Vacancy
    from placements.public_figures import figures_invalidated
    from skills.models import Centre, Cohort, Course, Enrolment, Trade

    from .models import FooterText, MainMenu, MainMenuItem, SiteSettings

    def on_save_and_delete(receiver, model, name):
        post_save.connect(receiver, sender=model, dispatch_uid=f"page_cache_save_{name}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"page_cache_delete_{name}")

    page_published.connect(page_changed, dispatch_uid="page_cache_published")
    page_unpublished.connect(page_changed, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="page_cache_moved")
    page_slug_changed.connect(page_renamed, dispatch_uid="page_cache_slug_changed")
    # A specific page's row goes with its Page row, which is sent for every page deleted.
    pre_delete.connect(page_deleted, sender=Page, dispatch_uid="page_cache_page_deleted")
    on_save_and_delete(enrolment_changed, Enrolment, "enrolment")
    post_save.connect(cohort_changed, sender=Cohort, dispatch_uid="page_cache_save_cohort")
    pre_delete.connect(cohort_deleted, sender=Cohort, dispatch_uid="page_cache_delete_cohort")
    on_save_and_delete(vacancy_changed, Vacancy, "vacancy")
    m2m_changed.connect(
        vacancy_trades_changed, sender=Vacancy.trades.through, dispatch_uid="page_cache_trades"
    )
    on_save_and_delete(employer_changed, Employer, "employer")
    figures_invalidated.connect(impact_figures_changed, dispatch_uid="page_cache_impact_figures")
    for model in (SiteSettings, MainMenu, MainMenuItem, FooterText, WagtailSite, Centre, Trade, Course):
        on_save_and_delete(shown_everywhere_changed, model, model._meta.label_lower)
