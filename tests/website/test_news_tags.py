"""Issue 11, item 13: a Hindi news page shows its tags in Hindi, and they lead to the Hindi news
tagged so. A translated page has its own tags (Wagtail copies the English ones when it makes the
translation; the editor writes them in Hindi), as it has its own title and text."""

import re
from urllib.parse import unquote

import pytest
from django.utils import translation

NEWS_PATH = "news/tailoring-graduates-lucknow/"


@pytest.fixture(autouse=True)
def english_afterwards(db):
    with translation.override("en"):
        yield


def tags_of(html):
    tag_list = html.split('<ul class="tags">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', tag_list)


def test_the_hindi_news_page_shows_its_tags_in_hindi(client, db):
    hindi = tags_of(client.get(f"/hi/{NEWS_PATH}").content.decode())
    assert [name for _, name in hindi] == ["प्रशिक्षण", "लखनऊ"]
    english = tags_of(client.get(f"/{NEWS_PATH}").content.decode())
    assert [name for _, name in english] == ["training", "lucknow"]


def test_a_hindi_tag_leads_to_the_hindi_news_so_tagged(client, db):
    (href, name), *_ = tags_of(client.get(f"/hi/{NEWS_PATH}").content.decode())
    assert unquote(href).startswith("/hi/news/?tag=")
    listing = client.get(unquote(href).replace("&amp;", "&"))
    assert listing.status_code == 200
    pages = list(listing.context["news_page"])
    assert pages and all(page.locale.language_code == "hi" for page in pages)
    assert f"/hi/{NEWS_PATH}" in listing.content.decode()
