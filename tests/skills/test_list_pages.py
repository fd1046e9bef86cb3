"""The tracker's admin lists page through their records the same way on every page: a later page
shows the rows the list's order puts there, with each row's attendance, and costs the queries of
the first page. The attendance of the rows a page skips is never computed (benchmarks/
bench_tracker.py: page 115 of the state's enrolments took 1.2 to 1.7 s when it was)."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skills import services
from skills.models import Centre, CohortSession, Course, Enrolment
from tests.conftest import rolled_back_afterwards
from tests.factories import CohortFactory
from tests.skills.builders import coordinator_of, state_officer, women

PER_PAGE = 20
WOMEN = 45  # three pages of her enrolments


@pytest.fixture(scope="module")
def pagepur(django_db_setup, django_db_blocker):
    """A centre with 45 enrolments over two cohorts, enrolled on different days, whose attendance
    differs from woman to woman; a coordinator of it and a state officer."""
    with rolled_back_afterwards(django_db_blocker):
        centre = Centre.objects.create(name="Pagepur Centre", slug="pagepur", code="PGP", district="Pagepur")
        course = Course.objects.filter(trade__slug="tailoring").order_by("pk").first()
        start = datetime.date(2024, 7, 1)
        cohorts = [
            CohortFactory(
                course=course,
                centre=centre,
                start_date=start + datetime.timedelta(days=40 * n),
                end_date=start + datetime.timedelta(days=40 * n + 30),
                capacity=WOMEN,
            )
            for n in range(2)
        ]
        trainees = women(centre, WOMEN, name="Pagepur Woman")
        for n, trainee in enumerate(trainees):
            services.enrol(
                [trainee], cohorts[n % 2], on=cohorts[n % 2].start_date - datetime.timedelta(days=n)
            )
        for cohort in cohorts:
            enrolments = list(cohort.enrolments.order_by("pk").values_list("pk", flat=True))
            for day in range(4):
                session = CohortSession.objects.create(
                    cohort=cohort, date=cohort.start_date + datetime.timedelta(days=day)
                )
                # The first woman comes to every session, the next to three, and so on.
                services.record_attendance(
                    session, [pk for n, pk in enumerate(enrolments) if n % 5 <= 3 - day]
                )
        yield {
            "centre": centre.pk,
            "coordinator": coordinator_of(centre, username="pages.coordinator").pk,
            "officer": state_officer("pages.officer").pk,
        }


@pytest.fixture
def coordinator(client, db, pagepur, django_user_model):
    user = django_user_model.objects.get(pk=pagepur["coordinator"])
    client.force_login(user)
    return user


@pytest.fixture
def officer(client, db, pagepur, django_user_model):
    user = django_user_model.objects.get(pk=pagepur["officer"])
    client.force_login(user)
    return user


def percent(value):
    return "–" if value is None else f"{value:.0f}%"


def listed_cells(client, url):
    """The text of each cell of each row of the list, as the page shows them."""
    response = client.get(url)
    assert response.status_code == 200, url
    listing = response.content.decode().partition('<table class="listing')[2]
    body = listing.partition("<tbody")[2].partition("</tbody>")[0]
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<td.*?</td>", row, flags=re.S)
        ]
        for row in re.findall(r"<tr.*?</tr>", body, flags=re.S)
    ]


def shown_rows(client, url):
    """(trainee, attendance) of each row of the enrolment list."""
    rows = []
    for cells in listed_cells(client, url):
        trainee = next(cell for cell in cells if cell.startswith("Pagepur Woman"))
        rows.append((" ".join(trainee.split(" ")[:3]), cells[-1]))
    return rows


def expected_rows(enrolments, page=1):
    """(her name, her attendance) of the enrolments a page of the list shows, in their order."""
    enrolments = enrolments.with_attendance().select_related("trainee")
    start = (page - 1) * PER_PAGE
    return [
        (e.trainee.full_name, percent(e.attendance_percent)) for e in enrolments[start : start + PER_PAGE]
    ]


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("page", [1, 2, 3])
def test_each_page_of_her_enrolments_shows_its_rows_with_their_attendance(client, coordinator, page):
    shown = shown_rows(client, f"/admin/skills_enrolment/?p={page}")
    assert shown == expected_rows(Enrolment.objects.for_user(coordinator), page=page)
    assert len(shown) == (WOMEN - 2 * PER_PAGE if page == 3 else PER_PAGE)
    assert len({attendance for _name, attendance in shown}) > 2, "the attendance differs from row to row"


def attendance_header(client, url):
    """The attendance column's header cell of the list."""
    listing = client.get(url).content.decode().partition('<table class="listing')[2]
    head = listing.partition("<thead")[2].partition("</thead>")[0]
    return next(cell for cell in re.findall(r"<th.*?</th>", head, flags=re.S) if "Attendance" in cell)


def test_within_a_cohort_sorted_by_attendance_every_page_follows_the_attendance(client, coordinator):
    cohort = Enrolment.objects.for_user(coordinator).order_by("cohort").values_list("cohort", flat=True)[0]
    url = f"/admin/skills_enrolment/?cohort={cohort}&ordering=-attendance_percent"
    assert "ordering=attendance_percent" in attendance_header(client, url), "the header sorts"
    for page in (1, 2):
        shown = shown_rows(client, f"{url}&p={page}")
        expected = Enrolment.objects.filter(cohort=cohort).with_attendance().select_related("trainee")
        expected = expected.order_by("-attendance_percent")[(page - 1) * PER_PAGE : page * PER_PAGE]
        # Rows with the same attendance may come in any order; the attendance order may not.
        assert [attendance for _name, attendance in shown] == [
            percent(e.attendance_percent) for e in expected
        ]
        assert len(shown) == len(expected) > 0
    first = shown_rows(client, url)
    assert first[0][1] == "100%"


def test_a_cohorts_page_links_to_its_enrolments_as_a_list_that_sorts_by_attendance(client, coordinator):
    cohort = Enrolment.objects.for_user(coordinator).order_by("cohort").values_list("cohort", flat=True)[0]
    page = client.get(f"/admin/skills_cohort/inspect/{cohort}/").content.decode()
    link = re.search(r'<a href="([^"]+)">Open them as a list, which sorts by attendance</a>', page)
    assert link, "the cohort's page offers the sortable list"
    assert link[1] == f"/admin/skills_enrolment/?cohort={cohort}"
    assert "ordering=attendance_percent" in attendance_header(client, link[1])


@pytest.mark.parametrize("who", ["coordinator", "officer"])
def test_across_cohorts_the_attendance_header_says_why_it_does_not_sort(
    client, db, pagepur, django_user_model, who
):
    """Sorting every enrolment in scope by attendance computes it for each before the first row
    is shown (18 s for the state): the header says to open one cohort, and an ordering asked for
    in the address is ignored, so the list keeps its own order and computes the page's rows only."""
    user = django_user_model.objects.get(pk=pagepur[who])
    client.force_login(user)
    header = attendance_header(client, "/admin/skills_enrolment/")
    assert "attendance_percent" not in header
    assert "open one cohort&#x27;s enrolments to sort by it" in header
    centre = pagepur["centre"]
    url = f"/admin/skills_enrolment/?centre={centre}&ordering=-attendance_percent"
    shown = shown_rows(client, url)
    assert shown == expected_rows(Enrolment.objects.filter(cohort__centre=centre))
    attendance = [sql for sql in queries_for(client, url) if "skills_attendancemark" in sql]
    assert len(attendance) == 1
    assert re.search(r"LIMIT 20\s*\)", attendance[0]), "computed for the page's rows only"


def test_a_search_and_a_filter_page_the_same_way(client, officer):
    # The state officer sees every centre: the search and the filter narrow it to Pagepur's.
    shown = shown_rows(client, "/admin/skills_enrolment/?q=Pagepur+Woman&p=2")
    expected = Enrolment.objects.filter(trainee__full_name__icontains="Pagepur Woman").with_attendance()
    assert shown == [
        (e.trainee.full_name, percent(e.attendance_percent))
        for e in expected.select_related("trainee")[PER_PAGE : 2 * PER_PAGE]
    ]
    centre = Centre.objects.get(slug="pagepur")
    assert shown_rows(client, f"/admin/skills_enrolment/?centre={centre.pk}&p=3") == [
        (e.trainee.full_name, percent(e.attendance_percent))
        for e in Enrolment.objects.filter(cohort__centre=centre)
        .with_attendance()
        .select_related("trainee")[2 * PER_PAGE :]
    ]


def test_a_search_sorted_by_trainee_lists_them_by_name(client, officer):
    """Ordering by a related record orders by its own ordering (her name), searching or not."""
    shown = shown_rows(client, "/admin/skills_enrolment/?q=Pagepur+Woman&ordering=trainee")
    names = [name for name, _attendance in shown]
    every = sorted(
        Enrolment.objects.filter(trainee__full_name__startswith="Pagepur Woman").values_list(
            "trainee__full_name", flat=True
        )
    )
    assert names == every[:PER_PAGE]
    assert names != sorted(names, key=lambda name: int(name.rsplit(" ", 1)[1])), (
        "name order, not number order"
    )


def test_the_export_has_every_rows_attendance(client, coordinator):
    response = client.get("/admin/skills_enrolment/?export=csv")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1 + WOMEN
    exported = sorted(line.rsplit(",", 1)[1] for line in lines[1:])
    expected = sorted(
        "" if e.attendance_percent is None else str(e.attendance_percent)
        for e in Enrolment.objects.for_user(coordinator).with_attendance()
    )
    assert [value[:5] for value in exported] == [value[:5] for value in expected]


@pytest.mark.parametrize("who", ["coordinator", "officer"])
def test_a_later_page_costs_the_queries_of_the_first(client, db, pagepur, django_user_model, who):
    client.force_login(django_user_model.objects.get(pk=pagepur[who]))
    first = queries_for(client, "/admin/skills_enrolment/")
    later = queries_for(client, "/admin/skills_enrolment/?p=3")
    assert len(later) == len(first)
    # The attendance is computed in one query, for the page's rows only: the page is chosen
    # inside it (its OFFSET in the subquery of ids) and the count reads no attendance.
    attendance = [sql for sql in later if "skills_attendancemark" in sql]
    assert len(attendance) == 1
    assert re.search(r"OFFSET 40\s*\)", attendance[0])
    (count,) = [sql for sql in later if "COUNT(*)" in sql and "skills_enrolment" in sql]
    assert "skills_attendancemark" not in count


@pytest.mark.parametrize("url", ["/admin/skills_trainee/?p=2", "/admin/skills_trainee/?q=Pagepur&p=2"])
def test_later_pages_of_her_trainees_cost_the_queries_of_the_first(client, coordinator, url):
    assert len(queries_for(client, url)) == len(queries_for(client, url.replace("p=2", "p=1")))
    names = [
        next(cell for cell in cells if cell.startswith("Pagepur")) for cells in listed_cells(client, url)
    ]
    every = sorted(
        Enrolment.objects.filter(trainee__centre__slug="pagepur").values_list("trainee__full_name", flat=True)
    )
    assert [" ".join(name.split(" ")[:3]) for name in names] == every[PER_PAGE : 2 * PER_PAGE]


@pytest.mark.parametrize("who", ["coordinator", "officer"])
@pytest.mark.parametrize("page", [2, 3])
def test_a_later_page_of_a_search_computes_the_attendance_of_its_rows_only(
    client, db, pagepur, django_user_model, who, page
):
    """A later page of a search shows its own rows, each with her attendance, computed for the
    page's rows only (the list's query, sliced, names them), not for every woman found."""
    user = django_user_model.objects.get(pk=pagepur[who])
    client.force_login(user)
    url = f"/admin/skills_enrolment/?q=Pagepur+Woman&p={page}"
    expected = Enrolment.objects.for_user(user).filter(trainee__full_name__icontains="Pagepur Woman")
    assert shown_rows(client, url) == expected_rows(expected, page)
    response = client.get(url)
    assert response.context["paginator"].count == expected.count() == WOMEN
    queries = queries_for(client, url)
    (attendance,) = [sql for sql in queries if "skills_attendancemark" in sql]
    assert re.search(rf"LIMIT \d+ OFFSET {(page - 1) * PER_PAGE}\b", attendance)  # the page's rows
