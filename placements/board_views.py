"""The public vacancy board: the list with its filters, a page per vacancy, and the report form.

The public sees an employer's organisation and district only: the centre puts a woman forward,
with her consent, so no one needs the employer's contact details from here."""

from django.db.models import Count, Window
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.pagination import paginate
from core.ratelimit import is_rate_limited

from .board_forms import VacancyReportForm
from .filters import VacancyFilter, on_the_board, with_display_text
from .models import Vacancy

VACANCIES_PER_PAGE = 20
REPORT_LIMIT = 5  # reports per client address …
REPORT_WINDOW = 60 * 60  # … per hour
MAX_PAGE_NUMBER = 100_000


class CountedRows:
    """A queryset as Django's Paginator reads it (count(), then a slice), answering both with one
    query: the page asked for, each row carrying the count of all (a window over them). A page out
    of range costs the count and the last page, as before."""

    def __init__(self, queryset, first_row):
        self.queryset = queryset
        self.ordered = queryset.ordered
        self.first_row = first_row
        self.rows = None

    def count(self):
        self.rows = list(
            self.queryset.annotate(total_rows=Window(Count("pk")))[
                self.first_row : self.first_row + VACANCIES_PER_PAGE
            ]
        )
        return self.rows[0].total_rows if self.rows else self.queryset.count()

    def __getitem__(self, rows):
        if self.rows and rows.start == self.first_row:
            return self.rows[: rows.stop - rows.start]
        return list(self.queryset[rows])


def requested_page(request):
    """The page number asked for, within bounds a database takes as an offset (the paginator then
    answers a page out of range with the last one)."""
    try:
        return min(max(int(request.GET.get("page", 1)), 1), MAX_PAGE_NUMBER)
    except ValueError:
        return 1


@require_GET
def vacancy_board(request):
    vacancy_filter = VacancyFilter(request.GET or None, queryset=on_the_board())

    def listing():
        first_row = (requested_page(request) - 1) * VACANCIES_PER_PAGE
        vacancies = paginate(request, CountedRows(vacancy_filter.qs, first_row), VACANCIES_PER_PAGE)
        vacancies.object_list = with_display_text(list(vacancies.object_list))
        return vacancies

    filtered = any(request.GET.get(name) for name in vacancy_filter.filters)
    # Read only if drawn: the board asked for without a query is kept until a vacancy or an employer
    # changes (templates/base.html, website/chrome.py's VACANCY_BOARD token).
    return render(
        request,
        "placements/board/vacancy_board.html",
        {"vacancy_filter": vacancy_filter, "vacancies": SimpleLazyObject(listing), "filtered": filtered},
    )


@require_GET
def vacancy_detail(request, pk):
    vacancy = on_the_board().filter(pk=pk).first()
    if vacancy is None:
        # Once public, a vacancy's link may be shared on; say it has closed rather than "not found".
        # Drafts, submissions and rejections were never public: for them there is nothing here.
        if Vacancy.objects.filter(
            pk=pk, status__in=[Vacancy.Status.PUBLISHED, Vacancy.Status.CLOSED]
        ).exists():
            return render(request, "placements/board/vacancy_closed.html", status=410)
        raise Http404
    with_display_text([vacancy])
    return render(request, "placements/board/vacancy_detail.html", {"vacancy": vacancy})


@never_cache
@require_http_methods(["GET", "POST"])
def report_vacancy(request, pk):
    vacancy = on_the_board().filter(pk=pk).first()
    if vacancy is None:
        raise Http404
    if request.method == "POST":
        if is_rate_limited(request, "vacancy-report", REPORT_LIMIT, REPORT_WINDOW):
            context = {"vacancy": vacancy, "form": VacancyReportForm(), "limited": True}
            response = render(request, "placements/board/vacancy_report.html", context, status=429)
            response["Retry-After"] = str(REPORT_WINDOW)
            return response
        form = VacancyReportForm(request.POST)
        if form.is_valid():
            # A robot is thanked like anyone else, so that it learns nothing.
            if not form.is_from_a_robot():
                form.save(request, vacancy)
            return redirect("vacancy_report_sent", pk=vacancy.pk)
    else:
        form = VacancyReportForm()
    return render(request, "placements/board/vacancy_report.html", {"vacancy": vacancy, "form": form})


@require_GET
def report_sent(request, pk):
    return render(request, "placements/board/vacancy_report_sent.html")
