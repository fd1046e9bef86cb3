"""One page of a listing (core.pagination). No database: a list pages like a queryset."""

import pytest
from django.test import RequestFactory

from core.pagination import paginate

ITEMS = list(range(25))


@pytest.mark.parametrize(
    ("query", "number"),
    [("", 1), ("?page=2", 2), ("?page=3", 3), ("?page=9", 3), ("?page=two", 1)],
)
def test_a_bad_or_out_of_range_page_falls_back(query, number):
    page = paginate(RequestFactory().get("/news/" + query), ITEMS, 10)
    assert page.number == number
    assert list(page) == ITEMS[(number - 1) * 10 : number * 10]
