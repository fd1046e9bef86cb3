"""A coordinator's day in a real Chromium (issue 11, defects 1 to 5): what she types and clicks,
not the form the server expects. Each test failed before its fix."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def running_cohort(site_url):
    from skills.models import Cohort

    return Cohort.objects.filter(centre__slug="lucknow", status="running").get()


def today():
    from django.utils import timezone

    return timezone.localdate()


def search(page, url, words):
    """Type into the list's search box as she does, and wait for the results the browser asked for."""
    page.goto(url)
    box = page.locator("input[name=q]").first
    box.fill(words)
    box.press("Enter")
    page.wait_for_function("words => new URL(location.href).searchParams.get('q') === words", arg=words)
    page.wait_for_load_state("networkidle")
    return parse_qs(urlsplit(page.url).query)


# 1. Search finds nothing


@pytest.mark.parametrize(
    ("path", "words", "expected"),
    [
        ("skills_trainee", "Usha", "Usha"),
        ("skills_enrolment", "Usha", "Usha"),
        ("skills_cohort", "Tailoring", "Tailoring"),
    ],
)
def test_a_search_sends_no_filter_she_did_not_choose(coordinator_page, site_url, path, words, expected):
    page = coordinator_page
    query = search(page, f"{site_url}/admin/{path}/", words)
    chosen = {name: values for name, values in query.items() if name != "q" and any(values)}
    assert chosen == {}
    results = page.locator("table.listing tbody tr")
    assert results.count() > 0
    assert expected in results.first.inner_text()
    assert "match your query" not in page.content()


# 2. A typed date of birth is replaced by today


def add_trainee(page, site_url, *, name, born):
    page.goto(f"{site_url}/admin/skills_trainee/new/")
    page.fill("#id_full_name", name)
    field = page.locator("#id_date_of_birth")
    field.click()
    field.press_sequentially(born)
    page.locator("#id_district").click()  # leave the date field, as she does
    page.keyboard.press("Escape")
    return field


def save_trainee(page):
    page.get_by_role("button", name=re.compile(r"^(Create|Save)$")).first.click()
    page.wait_for_load_state("networkidle")


def assert_visible_next_to(page, error):
    """The error is on screen after scrolling to it, and nothing (the sticky save bar) covers it.

    Scrolled with its bottom at the window's bottom: where the browser puts a field she tabs to
    from above, and where the sticky save bar sits."""
    seen = error.evaluate(
        """(el) => {
            el.scrollIntoView({block: 'end', behavior: 'instant'});
            const r = el.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return {
                top: r.top, bottom: r.bottom, height: r.height, viewport: window.innerHeight,
                coveredBy: el.contains(hit) ? null : (hit ? hit.outerHTML.slice(0, 60) : 'nothing'),
            };
        }"""
    )
    assert seen["height"] > 0
    assert seen["top"] >= 0 and seen["bottom"] <= seen["viewport"], seen
    assert seen["coveredBy"] is None, f"the error is covered: {seen}"


def test_a_typed_date_of_birth_in_dd_mm_yyyy_is_kept_and_saved(coordinator_page, site_url):
    from skills.models import Trainee

    page = coordinator_page
    field = add_trainee(page, site_url, name="Typed Date Devi", born="15/04/1998")
    assert field.input_value() == "15/04/1998"
    save_trainee(page)
    page.wait_for_url(re.compile(r".*/admin/skills_trainee/(\?.*)?$"))
    assert Trainee.objects.get(full_name="Typed Date Devi").date_of_birth == datetime.date(1998, 4, 15)
    # The form shows a saved date the same way.
    trainee = Trainee.objects.get(full_name="Typed Date Devi")
    page.goto(f"{site_url}/admin/skills_trainee/edit/{trainee.pk}/")
    assert page.locator("#id_date_of_birth").input_value() == "15/04/1998"


def test_a_date_that_cannot_be_read_stays_as_typed_and_is_refused_next_to_the_field(
    coordinator_page, site_url
):
    from skills.models import Trainee

    page = coordinator_page
    field = add_trainee(page, site_url, name="Unreadable Date Devi", born="31/02/1998")
    assert field.input_value() == "31/02/1998"
    save_trainee(page)
    page.wait_for_load_state("networkidle")
    assert not Trainee.objects.filter(full_name="Unreadable Date Devi").exists()
    assert page.locator("#id_date_of_birth").input_value() == "31/02/1998"
    error = page.locator("[data-field-wrapper]:has(#id_date_of_birth) .error-message").first
    assert "valid date" in error.inner_text()
    assert_visible_next_to(page, error)


def test_the_under_18_error_is_not_hidden_behind_the_save_bar(coordinator_page, site_url):
    page = coordinator_page
    born = today().replace(year=today().year - 16) - datetime.timedelta(days=3)
    add_trainee(page, site_url, name="Young Devi", born=born.strftime("%d/%m/%Y"))
    save_trainee(page)
    assert page.locator("#id_date_of_birth").input_value() == born.strftime("%d/%m/%Y")
    page.wait_for_load_state("networkidle")
    error = page.locator("[data-field-wrapper]:has(#id_guardian_consent_basis) .error-message").first
    assert "under 18" in error.inner_text()
    assert_visible_next_to(page, error)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function("window.innerWidth === 390")
    assert_visible_next_to(page, error)


# 3. Opening the attendance screen for a date creates a session


def open_register(page, site_url, cohort, day):
    page.goto(f"{site_url}/admin/skills_cohort/inspect/{cohort.pk}/")
    page.fill("#attendance-date", day.isoformat())
    page.get_by_role("button", name="Take attendance").click()
    page.wait_for_load_state("networkidle")


def test_opening_a_register_creates_no_session_until_it_is_saved(coordinator_page, site_url, running_cohort):
    from skills.models import CohortSession, Enrolment

    page = coordinator_page
    day = today()
    CohortSession.objects.filter(cohort=running_cohort, date=day).delete()
    before = {
        e.pk: e.attendance_percent for e in Enrolment.objects.with_attendance().filter(cohort=running_cohort)
    }

    open_register(page, site_url, running_cohort, day)
    assert page.get_by_role("button", name="Save attendance").is_visible()
    page.goto(f"{site_url}/admin/skills_cohort/inspect/{running_cohort.pk}/")  # she leaves without saving
    assert not CohortSession.objects.filter(cohort=running_cohort, date=day).exists()
    after = {
        e.pk: e.attendance_percent for e in Enrolment.objects.with_attendance().filter(cohort=running_cohort)
    }
    assert after == before

    open_register(page, site_url, running_cohort, day)
    page.get_by_role("button", name="Mark all present").click()
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_url(f"**/admin/skills_cohort/inspect/{running_cohort.pk}/")
    assert "Attendance saved" in page.content()
    assert CohortSession.objects.filter(cohort=running_cohort, date=day).exists()


def test_a_future_date_is_refused_with_a_clear_error(coordinator_page, site_url, running_cohort):
    from skills.models import CohortSession

    page = coordinator_page
    sessions = CohortSession.objects.filter(cohort=running_cohort).count()
    open_register(page, site_url, running_cohort, today() + datetime.timedelta(days=49))
    assert page.url.endswith(f"/admin/skills_cohort/inspect/{running_cohort.pk}/")
    assert "is in the future" in page.locator(".messages").inner_text()
    assert CohortSession.objects.filter(cohort=running_cohort).count() == sessions


def test_a_wrong_session_is_deleted_audited_and_attendance_recomputed(
    coordinator_page, site_url, running_cohort
):
    from skills import services
    from skills.models import CohortSession, Enrolment, TrackerLogEntry

    page = coordinator_page
    holiday = running_cohort.start_date + datetime.timedelta(days=1)
    while CohortSession.objects.filter(cohort=running_cohort, date=holiday).exists():
        holiday += datetime.timedelta(days=1)
    wrong, _present, _total = services.take_register(running_cohort, holiday, [])
    woman = Enrolment.objects.with_attendance().filter(cohort=running_cohort).holding_seats().first()
    dragged_down = woman.attendance_percent

    page.goto(f"{site_url}/admin/skills_cohortsession/{wrong.pk}/attendance/")
    page.get_by_role("link", name="Delete this session").click()
    page.get_by_role("button", name=re.compile("Yes, delete")).click()
    page.wait_for_url(f"**/admin/skills_cohort/inspect/{running_cohort.pk}/")

    assert not CohortSession.objects.filter(pk=wrong.pk).exists()
    recomputed = Enrolment.objects.with_attendance().get(pk=woman.pk).attendance_percent
    assert recomputed > dragged_down
    entry = TrackerLogEntry.objects.filter(action="wagtail.delete", object_id=str(wrong.pk)).get()
    assert entry.user.username == "coordinator"
    assert entry.centre_id == running_cohort.centre_id


# 4. A certificate before the course ends


def test_completion_before_the_end_date_needs_a_reason_and_the_certificate_states_no_future_date(
    coordinator_page, site_url, running_cohort
):
    from skills.certificates import certificate_content
    from skills.models import Certificate, Enrolment

    page = coordinator_page
    assert running_cohort.end_date > today()
    woman = (
        Enrolment.objects.with_attendance()
        .filter(cohort=running_cohort, status="enrolled", attendance_percent__gte=85)
        .select_related("trainee")
        .first()
    )
    page.goto(f"{site_url}/admin/skills_enrolment/{woman.pk}/complete/")
    page.get_by_label("Passed: completed").check()
    typed = today().strftime("%d/%m/%Y")  # as a coordinator writes a date
    page.fill("#id_completed_on", typed)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    woman.refresh_from_db()
    assert woman.status == "enrolled"
    assert page.locator("#id_completed_on").input_value() == typed  # kept as typed
    error = page.locator(".w-field__wrapper:has(#id_early_completion_reason) .help-critical")
    assert "give the reason" in error.inner_text()

    page.fill("#id_early_completion_reason", "Found work as a tailor in Kanpur")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/admin/skills_cohort/inspect/{running_cohort.pk}/")
    woman.refresh_from_db()
    assert (woman.status, woman.completed_on) == ("completed", today())
    assert woman.early_completion_reason == "Found work as a tailor in Kanpur"

    page.locator("tr", has_text=woman.trainee.full_name).get_by_role(
        "button", name="Issue certificate"
    ).click()
    page.wait_for_load_state("networkidle")
    certificate = Certificate.objects.get(enrolment=woman)
    content = certificate_content(certificate)
    assert content.end_date == today()  # the day she completed, not the cohort's end in 60 days
    assert content.start_date == running_cohort.start_date


# 5. Late joiners are absent from day one


def test_a_late_joiner_counts_from_her_enrolment(coordinator_page, site_url, running_cohort):
    from skills import services
    from skills.models import CohortSession, Trainee

    page = coordinator_page
    CohortSession.objects.filter(cohort=running_cohort, date=today()).delete()
    newcomer = Trainee.objects.create(
        centre=running_cohort.centre, full_name="Latejoiner Devi", date_of_birth=datetime.date(1995, 6, 1)
    )
    services.enrol([newcomer], running_cohort, on=today())  # she joins a month into the course

    open_register(page, site_url, running_cohort, today())
    page.get_by_role("button", name="Mark all present").click()
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_url(f"**/admin/skills_cohort/inspect/{running_cohort.pk}/")

    row = page.locator("table.listing tr", has_text=newcomer.full_name)
    assert "100% (1/1)" in row.inner_text()
    # The register of a day before she joined does not list her.
    earlier = CohortSession.objects.filter(cohort=running_cohort, date__lt=today()).first()
    page.goto(f"{site_url}/admin/skills_cohortsession/{earlier.pk}/attendance/")
    assert page.get_by_label("Latejoiner Devi").count() == 0
