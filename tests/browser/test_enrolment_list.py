"""The enrolment list in a real Chromium, past its first page: the pager's links and the search box
as a coordinator uses them, and on every page the attendance of the rows that page shows (the list
computes it for the page's rows only, skills.views.ScopedIndexView), counted from the day each
woman enrolled; and the list of one cohort's enrolments that the cohort's page opens."""

import re

import pytest
from playwright.sync_api import expect

from . import builders

pytestmark = pytest.mark.browser

PER_PAGE = 20  # Wagtail's lists
ROWS = """() => {
    const heads = [...document.querySelectorAll("table.listing thead th")].map((th) => th.innerText.trim());
    const trainee = heads.indexOf("Trainee");
    const attendance = heads.findIndex((head) => head.startsWith("Attendance"));  // and its hint
    if (trainee < 0 || attendance < 0) return heads;
    return [...document.querySelectorAll("table.listing tbody tr")].map(
        (tr) => [tr.cells[trainee].innerText.trim(), tr.cells[attendance].innerText.trim()]);
}"""


@pytest.fixture
def attendance(site_url):
    """{name: attendance as printed} of 46 women, enrolled after everyone else at Lucknow."""
    return builders.cohort_of_many()


def shown(page):
    """The (trainee, attendance) of each row the list shows."""
    rows = page.evaluate(ROWS)
    assert rows and all(isinstance(row, list) for row in rows), f"no listing with those columns: {rows}"
    return rows


def page_number(page):
    return page.locator(".pagination [aria-current=page]").first.inner_text().strip()


def test_the_pager_leads_to_the_later_pages_each_with_the_attendance_of_its_own_rows(
    coordinator_page, site_url, attendance
):
    page = coordinator_page
    page.goto(f"{site_url}/admin/skills_enrolment/")
    first = shown(page)
    assert len(first) == PER_PAGE
    # Newest first: the late joiner, then the women of the cohort's first day.
    assert first[0] == [builders.LATE_JOINER, "100%"]
    assert first == [[name, attendance[name]] for name, _ in first]

    page.locator(".pagination").get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r"[?&]p=2\b"))
    second = shown(page)
    assert page_number(page) == "2"
    assert len(second) == PER_PAGE
    assert not {name for name, _ in first} & {name for name, _ in second}
    assert second == [[name, attendance[name]] for name, _ in second]  # every row her own figure
    assert len({figure for _, figure in second}) > 5  # not one figure repeated down the page

    page.locator(".pagination").get_by_role("link", name="3", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]p=3\b"))
    third = shown(page)
    theirs = [[name, figure] for name, figure in third if name in attendance]
    assert len(theirs) == len(attendance) - 2 * PER_PAGE  # the rest of the 46, then older enrolments
    assert theirs == [[name, attendance[name]] for name, _ in theirs]
    assert third[len(theirs) :] and all(name not in attendance for name, _ in third[len(theirs) :])


def search(page, words):
    """Type into the list's search box as she does, and wait for the results the browser asked for."""
    box = page.locator("input[name=q]").first
    box.fill(words)
    box.press("Enter")
    page.wait_for_function("words => new URL(location.href).searchParams.get('q') === words", arg=words)
    page.wait_for_load_state("networkidle")


def test_a_search_shows_the_women_found_with_their_attendance_and_pages_on_with_the_search_kept(
    coordinator_page, site_url, attendance
):
    page = coordinator_page
    page.goto(f"{site_url}/admin/skills_enrolment/")
    search(page, "Tiwari")
    found = shown(page)
    tiwaris = {name: figure for name, figure in attendance.items() if name.endswith(" Tiwari")}
    assert dict(found) == tiwaris  # 15: one page, every one of them and no one else

    search(page, "a")  # most names: more than a page
    first = shown(page)
    assert len(first) == PER_PAGE
    page.locator(".pagination").get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r"[?&]p=2\b"))
    assert "q=a" in page.url.split("?", 1)[1].split("&")  # the search is kept across pages
    second = shown(page)
    assert second and not {name for name, _ in first} & {name for name, _ in second}
    assert all("a" in name.lower() for name, _ in first + second)
    theirs = [[name, figure] for name, figure in first + second if name in attendance]
    assert len(theirs) > PER_PAGE
    assert theirs == [[name, attendance[name]] for name, _ in theirs]


def test_a_cohorts_page_opens_its_enrolments_as_a_list_of_that_cohort_alone(
    coordinator_page, site_url, attendance
):
    from skills.models import Enrolment

    cohort = Enrolment.objects.get(trainee__full_name=builders.LATE_JOINER).cohort
    page = coordinator_page
    page.goto(f"{site_url}/admin/skills_cohort/inspect/{cohort.pk}/")
    page.get_by_role("link", name="Open them as a list, which sorts by attendance").click()
    page.wait_for_url(re.compile(rf"/admin/skills_enrolment/\?cohort={cohort.pk}$"))

    # Her 46 women over three pages, each with her own attendance, and no one of another cohort:
    # the whole list's third page goes on to older enrolments (the test above), this one ends.
    first = shown(page)
    assert first[0] == [builders.LATE_JOINER, "100%"]
    page.locator(".pagination").get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r"[?&]p=2\b"))
    second = shown(page)
    page.locator(".pagination").get_by_role("link", name="3", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]p=3\b"))
    assert f"cohort={cohort.pk}" in page.url.split("?", 1)[1].split("&")  # kept across pages
    third = shown(page)
    assert [len(first), len(second), len(third)] == [PER_PAGE, PER_PAGE, len(attendance) - 2 * PER_PAGE]
    assert sorted(first + second + third) == sorted([name, figure] for name, figure in attendance.items())
    expect(page.locator(".pagination").get_by_role("link", name="4", exact=True)).to_have_count(0)
