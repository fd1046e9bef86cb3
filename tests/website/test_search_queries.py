"""Public search answers every query string, whatever a visitor types or a bot sends.

The database search backends turn the words into a full-text query (FTS5 MATCH on SQLite,
tsquery on PostgreSQL), where quotes, brackets, operators and NUL bytes have meanings or are
refused. Run on both: `make test`, and with DATABASE_URL set to a PostgreSQL database."""

from urllib.parse import quote

import pytest
from django.utils import translation

HOSTILE_QUERIES = [
    '"',
    '""',
    "'",
    "('",
    "(",
    ")",
    "tailoring)",
    "AND",
    "OR",
    "NOT",
    "tailoring AND",
    "AND OR NOT",
    "NOT tailoring",
    "tailoring NEAR",
    "NEAR(tailoring jute)",
    "*",
    "tail*",
    "-",
    "-tailoring",
    "^",
    "title:tailoring",
    "{tailoring}",
    "a\"b'c",
    "\\",
    "%",
    "_",
    "&|!<->",
    "tailoring\x00",
    'सिलाई "प्रशिक्षण',
    "😀",
    "   ",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
@pytest.mark.parametrize("prefix", ["", "/hi"])
def test_search_answers_any_query(client, db, query, prefix):
    response = client.get(f"{prefix}/search/?q={quote(query)}")
    assert response.status_code == 200


def test_search_still_finds_words_among_the_symbols(client, db):
    plain = client.get("/search/?q=tailoring").context["results"]
    assert plain is not None and len(plain.object_list) > 0
    for query in ['"tailoring"', "(tailoring)", "tailoring*", "-tailoring", "{tailoring}"]:
        results = client.get(f"/search/?q={quote(query)}").context["results"]
        assert [page.pk for page in results.object_list] == [page.pk for page in plain.object_list], query


def test_hindi_words_are_kept_whole():
    from website.views import search_terms

    assert search_terms("सिलाई प्रशिक्षण") == "सिलाई प्रशिक्षण"
    assert search_terms('"सिलाई" (प्रशिक्षण) -*') == "सिलाई प्रशिक्षण"
    assert search_terms('" ( * -') == ""
