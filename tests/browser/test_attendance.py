"""A coordinator takes the register for 40 trainees on one screen in a real Chromium."""

import datetime
import re

import pytest

pytestmark = pytest.mark.browser


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
