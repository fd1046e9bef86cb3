"""A coordinator takes the register for 40 trainees on one screen in a real Chromium, and sorts a
cohort's enrolments by attendance."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from . import builders

pytestmark = pytest.mark.browser
PER_PAGE = 20  # Wagtail's lists


@pytest.fixture
def cohort_of_40(site_url):
    from skills import services
    from skills.models import Cohort, Trainee

    cohort = Cohort.objects.filter(centre__slug="lucknow", status="running").get()
    Cohort.objects.filter(pk=cohort.pk).update(capacity=40)
    missing = 40 - cohort.enrolments.holding_seats().count()
    newcomers = [
        Trainee.objects.create(
            centre=cohort.centre,
            full_name=f"Newcomer {n:02d}",
            date_of_birth=datetime.date(1994, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(missing)
    ]
    services.enrol(newcomers, cohort, on=cohort.start_date)
    return cohort


def test_register_for_40_trainees_in_one_submit(coordinator_page, site_url, cohort_of_40):
    from skills.models import AttendanceMark, CohortSession

    page = coordinator_page
    page.goto(f"{site_url}/admin/skills_cohort/inspect/{cohort_of_40.pk}/")
    page.fill("#attendance-date", "2026-11-20")
    page.get_by_role("button", name="Take attendance").click()
    # That day's register: the session's, or a blank one (the session is made only when saved).
    page.wait_for_url(
        re.compile(
            rf".*/admin/(skills_cohortsession/\d+/attendance|skills_cohort/{cohort_of_40.pk}/attendance/2026-11-20)/$"
        )
    )

    boxes = page.locator('#attendance-form input[name="present"]')
    assert boxes.count() == 40
    page.get_by_role("button", name="Mark all present").click()
    assert page.locator('#attendance-form input[name="present"]:checked').count() == 40
    # Two women are absent today: untick them by their names (the labels are clickable).
    page.get_by_label("Newcomer 00").uncheck()
    page.get_by_label("Newcomer 01").uncheck()
    page.get_by_role("button", name="Save attendance").click()

    page.wait_for_url(f"**/admin/skills_cohort/inspect/{cohort_of_40.pk}/")
    assert "Attendance saved: 38 of 40 present." in page.content()
    session = CohortSession.objects.get(cohort=cohort_of_40, date=datetime.date(2026, 11, 20))
    assert AttendanceMark.objects.filter(session=session).count() == 40
    absent = AttendanceMark.objects.filter(session=session, present=False)
    assert sorted(absent.values_list("enrolment__trainee__full_name", flat=True)) == [
        "Newcomer 00",
        "Newcomer 01",
    ]

    # Reopening the same day's register shows what was saved.
    page.goto(f"{site_url}/admin/skills_cohortsession/{session.pk}/attendance/")
    assert page.locator('#attendance-form input[name="present"]:checked').count() == 38


# The enrolment list sorts by attendance only once it is one cohort's: across cohorts the sort
# would compute every woman's attendance before showing the first row (skills.views.ScopedIndexView).

ATTENDANCE_FIGURES = """() => {
    const heads = [...document.querySelectorAll("table.listing thead th")].map((th) => th.innerText.trim());
    const attendance = heads.findIndex((head) => head.startsWith("Attendance"));
    return [...document.querySelectorAll("table.listing tbody tr")].map((tr) => tr.cells[attendance].innerText.trim());
}"""


@pytest.fixture
def cohort_of_many(site_url):
    """The cohort of builders.cohort_of_many and each woman's attendance as the list prints it."""
    from skills.models import Enrolment

    attendance = builders.cohort_of_many()
    return Enrolment.objects.get(trainee__full_name=builders.LATE_JOINER).cohort, attendance


def attendance_header(page):
    return page.locator("table.listing thead th", has_text="Attendance")


def by_figure(figures, descending=False):
    return sorted(figures, key=lambda figure: int(figure.rstrip("%")), reverse=descending)


def test_the_attendance_header_sorts_a_cohorts_enrolments_and_only_a_cohorts(
    coordinator_page, site_url, cohort_of_many
):
    cohort, attendance = cohort_of_many
    page = coordinator_page
    page.goto(f"{site_url}/admin/skills_enrolment/")
    # Every enrolment of her centre: the header is no sort link, and says how to sort by it.
    expect(attendance_header(page)).to_contain_text("open one cohort's enrolments to sort by it")
    expect(attendance_header(page).get_by_role("link")).to_have_count(0)

    page.goto(f"{site_url}/admin/skills_cohort/inspect/{cohort.pk}/")
    page.get_by_role("link", name="Open them as a list, which sorts by attendance").click()
    page.wait_for_url(re.compile(rf"[?&]cohort={cohort.pk}\b"))
    expect(attendance_header(page)).not_to_contain_text("open one cohort")
    shown = page.evaluate(ATTENDANCE_FIGURES)
    assert len(shown) == PER_PAGE
    assert shown != by_figure(shown), "newest first, not yet by attendance"

    attendance_header(page).get_by_role("link").click()
    page.wait_for_url(re.compile(r"[?&]ordering=attendance_percent\b"))
    # The lowest of the whole cohort first, not of the page she was on.
    assert page.evaluate(ATTENDANCE_FIGURES) == by_figure(attendance.values())[:PER_PAGE]

    attendance_header(page).get_by_role("link").click()
    page.wait_for_url(re.compile(r"[?&]ordering=-attendance_percent\b"))
    highest = by_figure(attendance.values(), descending=True)
    assert page.evaluate(ATTENDANCE_FIGURES) == highest[:PER_PAGE]

    page.locator(".pagination").get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r"[?&]p=2\b"))
    assert f"cohort={cohort.pk}" in page.url and "ordering=-attendance_percent" in page.url
    assert page.evaluate(ATTENDANCE_FIGURES) == highest[PER_PAGE : 2 * PER_PAGE]
