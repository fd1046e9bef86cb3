from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

from .models import paginate

SEARCH_RESULTS_PER_PAGE = 10


@require_GET
def search(request):
    """Search the live pages of the visitor's language."""
    query = request.GET.get("q", "").strip()[:200]
    results = None
    if query:
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        results = paginate(request, pages.search(query), SEARCH_RESULTS_PER_PAGE)
    return render(request, "search/search.html", {"query": query, "results": results})


@require_GET
def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain")
