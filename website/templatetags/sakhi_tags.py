from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.core.cache.utils import make_template_fragment_key
from django.template.exceptions import TemplateSyntaxError
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from wagtail.models import Page
from wagtail.templatetags.wagtail_cache import WagtailCacheNode

from core import generations
from placements import public_figures
from website import chrome
from website.models import FooterText

register = template.Library()


@register.simple_tag
def chrome_settings():
    """The site settings as `{% get_settings use_default_site=True %}` gives them, from the cache,
    read only if something outside the kept fragments shows them."""
    return {"website": {"SiteSettings": SimpleLazyObject(chrome.site_settings)}}


@register.simple_tag
def chrome_generation():
    """The token the chrome is kept under: a fragment cached under it is replaced when it changes."""
    return chrome.generation()


@register.simple_tag
def tracker_generation():
    """The token the tracker's public figures and lists are kept under (seats left, impact figures)."""
    return public_figures.TRACKER.token()


class KeptFragmentNode(WagtailCacheNode):
    """Wagtail's `{% wagtailcache %}` (never kept in a preview), read through core.generations: once a
    request, and from the process's copy while the tokens are unchanged. So every fragment kept with
    it names, in its vary_on, the tokens of everything it shows."""

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        return generations.kept_fragment(
            make_template_fragment_key(self.fragment_name, self.key_parts(context)),
            lambda: self.nodelist.render(context),
            int(self.expire_time_var.resolve(context)),
        )

    def key_parts(self, context):
        return [var.resolve(context) for var in self.vary_on]


# Not a subclass of Wagtail's WagtailPageCacheNode: all it would give is its key's page.cache_key
# and site, which it adds to every use and which fail on the vacancy board (no `page` to resolve),
# while the path, the template and the no-query-string rule would still be ours.
class PageContentCacheNode(KeptFragmentNode):
    """A page's content, asked for without a query string (what a query changes, a filter, a tag or a
    page of a list, is drawn each time): a Wagtail page's, kept as `{% wagtailpagecache %}` keeps it
    (per page as published, and per site), and the vacancy board's, under the board's own token too.
    Every other view's content is drawn each time."""

    def render(self, context):
        if content_key(context) is None:
            return self.nodelist.render(context)
        return super().render(context)

    def key_parts(self, context):
        return [*super().key_parts(context), *content_key(context)]


def content_key(context):
    """What names a page's kept content besides the tokens base.html gives, or None if it is drawn."""
    request, page = context.get("request"), context.get("page")
    if request is None or not plain_get(request):
        return None
    # The template as well: another one drawn for the same page (a password form) is not its content.
    template = context.template.name if context.template else None
    if isinstance(page, Page) and page.pk:
        site = chrome.site_for_request(request)
        # The path as well as the page: a routable page draws each of its routes differently.
        return [page.cache_key, site.pk if site else None, request.path, template]
    if kept_view(request) == "vacancy_board":
        return ["view:vacancy_board", chrome.VACANCY_BOARD.token(), template]
    return None


def kept_view(request):
    """The name of a view whose top and content are the same for every visitor of a language (while
    what they show is unchanged) when it is asked for without a query string, or None."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name not in KEPT_VIEWS or not plain_get(request):
        return None
    return match.url_name


def plain_get(request):
    """A GET (or HEAD) without a query string: what a query changes (a filter, a page of a list)
    is drawn each time."""
    return request.method in ("GET", "HEAD") and not request.META.get("QUERY_STRING")


# Views at one path each in a language, with nothing of the visitor's in them without a query.
KEPT_VIEWS = ("vacancy_board", "search")


def cache_tag(name, node_class):
    """{% name timeout fragment_name vary_on... %} … {% endname %}, parsed as Django's and Wagtail's
    cache tags are."""

    def parse(parser, token):
        nodelist = parser.parse((f"end{name}",))
        parser.delete_first_token()
        tokens = token.split_contents()
        if len(tokens) < 3:
            raise TemplateSyntaxError(f"'{tokens[0]}' tag requires at least 2 arguments.")
        vary_on = [parser.compile_filter(part) for part in tokens[3:]]
        return node_class(nodelist, parser.compile_filter(tokens[1]), tokens[2], vary_on, None)

    register.tag(name, parse)


cache_tag("keptfragment", KeptFragmentNode)
cache_tag("pagecontentcache", PageContentCacheNode)


@register.simple_tag
def filter_form_key(form):
    """The key an unbound filter form is kept under ("" for a bound one: not kept)."""
    return chrome.filter_form_key(form)


@register.simple_tag(takes_context=True)
def chrome_page_key(context):
    """What (with the language and the chrome's token) names the kept top of this page: the id of the
    Wagtail page being shown, or the name of a view whose top is the same for every visitor when
    asked for without a query string; "" for any other, whose top is drawn each time (its language
    links follow its path and query)."""
    page = context.get("page")
    if isinstance(page, Page) and page.pk:
        return page.pk
    view = kept_view(context.get("request"))
    return f"view:{view}" if view else ""


@register.simple_tag(takes_context=True)
def language_links(context):
    """A link per language to this same page in that language.

    For a Wagtail page, its translation (or that language's home page when the page is not
    translated yet), the same for every visitor: the top of a page is kept (base.html). For any
    other view, the same path and query with the other language prefix."""
    page = context.get("page")
    current = get_language()
    if isinstance(page, Page) and page.pk:
        urls = chrome.translation_urls(page)
    else:
        path = context["request"].get_full_path()
        urls = {code: translate_url(path, code) for code, _name in settings.LANGUAGES}
    links = []
    for code, name in settings.LANGUAGES:
        url = same_site_path(urls[code]) or chrome.language_home(code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


def same_site_path(url):
    """`url` if it is a path on this site, else "".

    A link built from the request's path must stay on this site: a request for `//evil.example`
    (or `/%2F%2Fevil.example`, which arrives decoded) has a path that browsers read as another
    host, as they do `/\\host` and anything with a scheme or with whitespace they strip."""
    if not url.startswith("/") or url[1:2] in ("/", "\\"):
        return ""
    if any(character.isspace() or ord(character) < 32 for character in url):
        return ""
    parts = urlsplit(url)
    return "" if parts.scheme or parts.netloc else url


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The main menu's links (pk, url, title), in the visitor's language where a translation is live."""
    return chrome.main_menu(context["request"])


@register.simple_tag
def footer_text():
    """The footer for the visitor's language, falling back to the default language's."""
    texts = {t.locale.language_code: t for t in FooterText.objects.select_related("locale")}
    text = texts.get(get_language()) or texts.get(settings.LANGUAGE_CODE)
    return text.body if text else ""
