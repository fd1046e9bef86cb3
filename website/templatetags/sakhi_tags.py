from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from wagtail.models import Page

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


@register.simple_tag(takes_context=True)
def chrome_page_key(context):
    """The id of the Wagtail page being shown, which (with the language and the chrome's token)
    names its kept header; "" for any other view, whose header is not kept."""
    page = context.get("page")
    return page.pk if isinstance(page, Page) and page.pk else ""


@register.simple_tag(takes_context=True)
def language_links(context):
    """A link per language to this same page in that language.

    For a Wagtail page, its translation (or that language's home page when the page is not
    translated yet); for any other view, the same path with the other language prefix."""
    request = context["request"]
    page = context.get("page")
    current = get_language()
    translations = {}
    if isinstance(page, Page) and page.pk:
        translations = chrome.translation_urls(page)
    links = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code) or translate_url(request.get_full_path(), code)
        url = same_site_path(url) or language_home(code)
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


def language_home(code):
    return "/" if code == settings.LANGUAGE_CODE else f"/{code}/"


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
