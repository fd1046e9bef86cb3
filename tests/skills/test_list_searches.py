"""Searches and enrolment filters of the tracker's admin lists: what they find is what Wagtail's
own search and the filters' meaning give, for a coordinator (her centre) and the state officer
(every centre), and how they ask the database for it. A search through a related record (an
enrolment by her name, a session or cohort by its course) tests that record in a subquery of its
own table, not through a join; the women filtered by an enrolment are counted from the
enrolments' side (benchmarks/bench_tracker.py: page 115 of the state's enrolments of "Sunita"
took 664 ms through the join, the count of 2024's completers 220 ms through EXISTS). Every page
of a search shows what Wagtail's own search shows; a later one finds its rows and their count in
one query instead of searching twice. The rule is the querysets' (skills.models.containing)."""

import datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from skills.models import Centre, Cohort, CohortSession, Enrolment, Trainee
from tests.conftest import rolled_back_afterwards
from tests.factories import CohortFactory, CourseFactory, TradeFactory
from tests.skills.builders import coordinator_of, state_officer, women

COMPLETED = Enrolment.Status.COMPLETED


def enrol(trainee, cohort, on, status=Enrolment.Status.ENROLLED):
    completed_on = on + datetime.timedelta(days=60) if status == COMPLETED else None
    return Enrolment.objects.create(
        trainee=trainee, cohort=cohort, enrolled_on=on, status=status, completed_on=completed_on
    )


@pytest.fixture(scope="module")
def searchpur(django_db_setup, django_db_blocker):
    """Two centres, each with zardozi cohorts of 2023 and 2024 and their sessions; Rekhas and
    Meenas in both, one Meena spelt रेखा in Hindi; women who completed in 2024 twice, once, or
    completed in 2023 and only enrolled in 2024; a coordinator of Searchpur and a state officer."""
    with rolled_back_afterwards(django_db_blocker):
        trade = TradeFactory(name="Zardozi", slug="zardozi")
        course = CourseFactory(trade=trade, title="Zardozi embroidery")
        centres = {
            slug: Centre.objects.create(name=f"{slug.title()} Centre", slug=slug, code=code, district=slug)
            for slug, code in (("searchpur", "SRP"), ("otherpur", "OTP"))
        }
        cohorts = {}
        for slug, centre in centres.items():
            for year in (2023, 2024):
                cohorts[slug, year] = CohortFactory(
                    course=course,
                    centre=centre,
                    start_date=datetime.date(year, 2, 1),
                    end_date=datetime.date(year, 4, 30),
                    capacity=30,
                    status=Cohort.Status.COMPLETED,
                    venue="Hall" if slug == "searchpur" else "Zardozi hall",
                )
            # Sessions on days of their own, so that the list's order (by date) is the same every time.
            day = 3 if slug == "searchpur" else 5
            for year in (2023, 2024):
                CohortSession.objects.create(cohort=cohorts[slug, year], date=datetime.date(year, 2, day))
                CohortSession.objects.create(
                    cohort=cohorts[slug, year], date=datetime.date(year, 2, day + 1), topic="Revision"
                )
        for slug, centre in centres.items():
            rekhas = women(centre, 3, name=f"{slug.title()} Rekha")
            meenas = women(centre, 3, name=f"{slug.title()} Meena")
            Trainee.objects.filter(pk=meenas[1].pk).update(name_hi="रेखा")
            twice, once, not_this_year, *_ = rekhas + meenas
            enrol(twice, cohorts[slug, 2024], datetime.date(2024, 1, 20), COMPLETED)
            enrol(once, cohorts[slug, 2024], datetime.date(2024, 1, 21), COMPLETED)
            enrol(not_this_year, cohorts[slug, 2023], datetime.date(2023, 1, 20), COMPLETED)
            enrol(not_this_year, cohorts[slug, 2024], datetime.date(2024, 1, 22))
            enrol(meenas[1], cohorts[slug, 2023], datetime.date(2023, 1, 25))
        # The one who completed twice in 2024: a second zardozi course of that year.
        second = CourseFactory(trade=trade, title="Zardozi advanced")
        for slug, centre in centres.items():
            cohort = CohortFactory(
                course=second,
                centre=centre,
                start_date=datetime.date(2024, 6, 1),
                end_date=datetime.date(2024, 8, 30),
                capacity=30,
                status=Cohort.Status.COMPLETED,
            )
            CohortSession.objects.create(
                cohort=cohort, date=datetime.date(2024, 6, 3 if slug == "searchpur" else 5)
            )
            twice = Trainee.objects.get(centre=centre, full_name=f"{slug.title()} Rekha 0")
            enrol(twice, cohort, datetime.date(2024, 5, 25), COMPLETED)
        yield {
            "searchpur": centres["searchpur"].pk,
            "coordinator": coordinator_of(centres["searchpur"], username="searches.coordinator").pk,
            "officer": state_officer("searches.officer").pk,
        }


def logged_in(client, django_user_model, pk):
    user = django_user_model.objects.get(pk=pk)
    client.force_login(user)
    return user


@pytest.fixture(params=["coordinator", "officer"])
def user(request, client, db, searchpur, django_user_model):
    return logged_in(client, django_user_model, searchpur[request.param])


def shown_page(client, url):
    """The primary keys of the page's rows in order, the count the page gives and its number."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    return [row.pk for row in context["object_list"]], context["paginator"].count, context["page_obj"].number


def listed(client, url):
    """The primary keys of the page's rows, in order, and the count the page gives."""
    rows, count, _number = shown_page(client, url)
    return rows, count


def count_query(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    (count,) = [
        query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT COUNT(")
    ]
    return count


def searched(user, model, text, *fields):
    """What Wagtail's own ORM search finds: any of the fields contains the text (through joins)."""
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return model.objects.for_user(user).filter(condition)


@pytest.mark.parametrize(
    "url, model, text, fields",
    [
        ("/admin/skills_enrolment/", Enrolment, "Rekha", ["trainee__full_name", "trainee__name_hi"]),
        ("/admin/skills_enrolment/", Enrolment, "रेखा", ["trainee__full_name", "trainee__name_hi"]),
        ("/admin/skills_cohortsession/", CohortSession, "zardozi ADV", ["cohort__course__title", "topic"]),
        ("/admin/skills_cohortsession/", CohortSession, "Revision", ["cohort__course__title", "topic"]),
        (
            "/admin/skills_cohort/",
            Cohort,
            "Otherpur",
            ["course__title", "centre__name", "trainer", "venue"],
        ),
        ("/admin/skills_cohort/", Cohort, "zardozi", ["course__title", "centre__name", "trainer", "venue"]),
    ],
)
def test_a_search_finds_what_wagtails_search_finds_in_the_lists_order(client, user, url, model, text, fields):
    expected = list(searched(user, model, text, *fields).values_list("pk", flat=True))
    assert listed(client, f"{url}?q={quote(text)}") == (expected[:20], len(expected))
    if model is not Cohort:  # the other centre's cohorts are found by its name, by the officer only
        assert expected, "the search finds some of the user's records"


def test_a_search_sees_only_the_users_centres(client, db, searchpur, django_user_model):
    coordinator = django_user_model.objects.get(pk=searchpur["coordinator"])
    officer = django_user_model.objects.get(pk=searchpur["officer"])
    client.force_login(coordinator)
    rows, count = listed(client, "/admin/skills_enrolment/?q=Rekha")
    assert count == 5  # her centre's Rekhas: 0 and 2 twice each, 1 once (not the Meena spelt रेखा)
    assert set(Enrolment.objects.filter(pk__in=rows).values_list("cohort__centre", flat=True)) == {
        searchpur["searchpur"]
    }
    assert listed(client, "/admin/skills_cohort/?q=Otherpur") == ([], 0)
    client.force_login(officer)
    assert (
        listed(client, "/admin/skills_enrolment/?q=Rekha")[1]
        == 10
        + Enrolment.objects.exclude(trainee__centre__slug__in=["searchpur", "otherpur"])
        .filter(trainee__full_name__icontains="Rekha")
        .count()
    )


@pytest.mark.parametrize(
    "url, related",
    [
        ("/admin/skills_enrolment/?q=Rekha", "skills_trainee"),
        ("/admin/skills_cohortsession/?q=Zardozi", "skills_course"),
        ("/admin/skills_cohort/?q=Zardozi", "skills_course"),
    ],
)
def test_a_search_tests_the_related_record_in_a_subquery_not_a_join(client, user, url, related):
    count = count_query(client, url)
    assert f'JOIN "{related}"' not in count
    assert f'FROM "{related}"' in count and " IN (SELECT " in count


def women_completed_in_2024(user, **more):
    return Trainee.objects.for_user(user).filter(
        **more, enrolments__status=COMPLETED, enrolments__enrolled_on__year=2024
    )


@pytest.mark.parametrize("search", ["", "&q=Rekha", "&q=Meena"])
def test_women_filtered_by_an_enrolment_are_listed_and_counted_once_each(client, user, search):
    url = f"/admin/skills_trainee/?status=completed&year=2024{search}"
    name = search.partition("=")[2]
    expected = women_completed_in_2024(user, full_name__icontains=name).distinct().order_by("full_name", "id")
    rows, count = listed(client, url)
    assert rows == list(expected.values_list("pk", flat=True)[:20])
    assert count == expected.count() == len(set(rows))
    # The one who completed twice is counted once; the one who completed in 2023 and enrolled
    # again in 2024 is not counted: the status and the year describe one and the same enrolment.
    centres = 1 if user.username == "searches.coordinator" else 2
    if name == "Rekha":
        assert count == 2 * centres
    if name == "Meena":
        assert count == 0


def test_women_filtered_by_an_enrolment_and_a_centre(client, db, searchpur, django_user_model):
    client.force_login(django_user_model.objects.get(pk=searchpur["officer"]))
    url = f"/admin/skills_trainee/?centre={searchpur['searchpur']}&status=completed&year=2024"
    rows, count = listed(client, url)
    assert count == 2
    assert set(Trainee.objects.filter(pk__in=rows).values_list("full_name", flat=True)) == {
        "Searchpur Rekha 0",
        "Searchpur Rekha 1",
    }


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_women_filtered_by_an_enrolment_are_counted_from_the_enrolments(client, user):
    url = "/admin/skills_trainee/?status=completed&year=2024"
    count = count_query(client, url)
    assert count.startswith('SELECT COUNT(DISTINCT "skills_enrolment"."trainee_id")')
    assert "EXISTS" not in count
    # The count is taken once, in place of the list's own: as many queries as the unfiltered list.
    assert queries_for(client, url) == queries_for(client, "/admin/skills_trainee/")


@pytest.fixture(scope="module")
def laterpur(django_db_setup, django_db_blocker):
    """Two centres, each with 30 women named Sunitabai and 15 others; the Sunitabais enrolled once
    or twice, several on the same day (the list breaks the tie by enrolment, newest first): 45
    enrolments of Sunitabais per centre, three pages for the centre's coordinator and five for the
    state officer, who sees both centres."""
    with rolled_back_afterwards(django_db_blocker):
        course = CourseFactory(
            trade=TradeFactory(name="Tie and dye", slug="tie-and-dye"), title="Tie and dye"
        )
        people = {}
        for slug, code in (("laterpur", "LTP"), ("farpur", "FRP")):
            centre = Centre.objects.create(name=f"{slug.title()} Centre", slug=slug, code=code, district=slug)
            cohorts = [
                CohortFactory(
                    course=course,
                    centre=centre,
                    start_date=datetime.date(2024, month, 1),
                    end_date=datetime.date(2024, month + 2, 28),
                    capacity=40,
                    status=Cohort.Status.COMPLETED,
                )
                for month in (1, 6)
            ]
            sunitas = women(centre, 30, name=f"{slug.title()} Sunitabai")
            women(centre, 15, name=f"{slug.title()} Meena")
            for n, woman in enumerate(sunitas):
                enrol(woman, cohorts[0], datetime.date(2023, 12, 1 + n % 7))
                if n % 2:
                    enrol(woman, cohorts[1], datetime.date(2024, 5, 1 + n % 5))
            people[slug] = centre
        yield {
            "coordinator": coordinator_of(people["laterpur"], username="later.coordinator").pk,
            "officer": state_officer("later.officer").pk,
        }


@pytest.fixture(params=["coordinator", "officer"])
def later_user(request, client, db, laterpur, django_user_model):
    return logged_in(client, django_user_model, laterpur[request.param])


LATER_SEARCHES = [
    # (list, what Wagtail's own search tests, the list's order)
    ("/admin/skills_enrolment/?q=sunitabai", Enrolment, ["trainee__full_name", "trainee__name_hi"], []),
    (
        "/admin/skills_enrolment/?q=sunitabai&ordering=trainee",
        Enrolment,
        ["trainee__full_name", "trainee__name_hi"],
        ["trainee"],
    ),
    ("/admin/skills_trainee/?q=sunitabai", Trainee, ["full_name", "name_hi", "register_number"], []),
]


@pytest.mark.parametrize("url, model, fields, order", LATER_SEARCHES)
def test_every_page_of_a_search_shows_what_wagtails_search_shows(
    client, later_user, url, model, fields, order
):
    """Page after page, past the last one included (which shows the last), the rows, their order
    and the count are those of Wagtail's own search in the list's order."""
    expected = searched(later_user, model, "sunitabai", *fields)
    expected = list((expected.order_by(*order) if order else expected).values_list("pk", flat=True))
    officer = later_user.username == "later.officer"
    assert len(expected) == (45 if model is Enrolment else 30) * (2 if officer else 1)
    pages = -(-len(expected) // 20)
    # Sorted by woman, her two enrolments may come in either order: the women's order is compared.
    woman = dict(Enrolment.objects.values_list("pk", "trainee")) if order else {}
    for number in [1, 2, pages, pages + 1, 99]:
        shown_number = min(number, pages)
        first = (shown_number - 1) * 20
        rows, count, page = shown_page(client, f"{url}&p={number}")
        assert [woman.get(pk, pk) for pk in rows] == [
            woman.get(pk, pk) for pk in expected[first : first + 20]
        ]
        assert (count, page) == (len(expected), shown_number), number


def test_the_queryset_search_is_the_lists_search(later_user, db):
    enrolments = Enrolment.objects.for_user(later_user)
    assert set(enrolments.search("SUNITABAI")) == set(
        searched(later_user, Enrolment, "SUNITABAI", "trainee__full_name", "trainee__name_hi")
    )
    trainees = Trainee.objects.for_user(later_user)
    assert set(trainees.search("meena")) == set(
        searched(later_user, Trainee, "meena", "full_name", "name_hi", "register_number")
    )
    assert trainees.search("LTP-SUN-00003").get().full_name == "Laterpur Sunitabai 3"
    # A search through a related record reads it in a subquery of its own table, not a join.
    sql = str(enrolments.search("sunitabai").query)
    assert 'JOIN "skills_trainee"' not in sql and 'FROM "skills_trainee"' in sql


def test_a_search_of_a_queryset_without_search_fields_is_refused(db):
    """Not a search that finds every record: a queryset that names no fields to look in says so."""
    with pytest.raises(ValueError, match="Cohort"):
        Cohort.objects.search("tailoring")
