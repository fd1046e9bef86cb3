"""A coordinator's working pages in a real Chromium: a list opens the working page of a record
with its actions as buttons, trainees are chosen by search, and a trainee's page is her record."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def open_from_list(page, list_url, title):
    """Click a record's title in its admin list, as a coordinator does."""
    page.goto(list_url)
    page.locator("table.listing td.title a", has_text=title).first.click()
    page.wait_for_load_state()


def test_a_cohort_opens_on_its_register_with_the_actions_as_buttons(coordinator_page, site_url):
    from skills.models import Cohort

    page = coordinator_page
    cohort = Cohort.objects.filter(centre__slug="lucknow", status="running").get()
    open_from_list(page, f"{site_url}/admin/skills_cohort/?status=running", str(cohort))

    assert page.url == f"{site_url}/admin/skills_cohort/inspect/{cohort.pk}/"
    assert page.get_by_role("button", name="Take attendance").is_visible()
    assert page.get_by_role("link", name="Enrol trainees").is_visible()
    assert page.get_by_role("heading", name="Enrolments").is_visible()
    # Edit is one click away, not under "…".
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(f"{site_url}/admin/skills_cohort/edit/{cohort.pk}/")


def test_a_submitted_vacancy_opens_with_publish_and_a_nomination_with_confirm(coordinator_page, site_url):
    from placements.models import Nomination, Vacancy

    page = coordinator_page
    vacancy = Vacancy.objects.filter(status="submitted").order_by("pk").first()
    open_from_list(page, f"{site_url}/admin/placements_vacancy/?status=submitted", vacancy.title)
    assert page.url == f"{site_url}/admin/placements_vacancy/inspect/{vacancy.pk}/"
    assert page.get_by_role("button", name="Publish").is_visible()
    assert page.get_by_role("link", name="Reject with a reason").is_visible()

    nomination = Nomination.objects.filter(
        status="hired", trainee__centre__slug="lucknow", placement__isnull=True
    ).first()
    open_from_list(
        page, f"{site_url}/admin/placements_nomination/?status=hired", nomination.trainee.full_name
    )
    assert re.search(r"/admin/placements_nomination/inspect/\d+/$", page.url)
    assert page.get_by_role("link", name="Confirm the placement").is_visible()
    page.get_by_role("link", name="Edit", exact=True).wait_for()


def test_a_trainee_opens_on_her_record(coordinator_page, site_url):
    from skills.models import Trainee

    page = coordinator_page
    trainee = Trainee.objects.filter(centre__slug="lucknow").order_by("pk").first()
    page.goto(f"{site_url}/admin/skills_trainee/?q={trainee.register_number or trainee.full_name}")
    page.locator("table.listing td.title a", has_text=trainee.full_name).first.click()
    page.wait_for_url("**/admin/skills_trainee/inspect/*/")
    assert page.get_by_role("heading", name="Enrolments").is_visible()


@pytest.fixture
def three_anitas(site_url):
    """Three women of the same name at Lucknow, told apart by register number and district."""
    import datetime

    from skills.models import Centre, Trainee

    centre = Centre.objects.get(slug="lucknow")
    return [
        Trainee.objects.create(
            centre=centre,
            full_name="Anita Devi",
            register_number=f"LKO-ANITA-{n}",
            district=district,
            date_of_birth=datetime.date(1990 + n, 5, 1),
            consent_share_with_employers=True,
        )
        for n, district in enumerate(["Lucknow", "Barabanki", "Sitapur"])
    ]


def test_enrol_by_searching_and_ticking_the_right_woman(coordinator_page, site_url, three_anitas):
    from skills.models import Cohort

    page = coordinator_page
    cohort = Cohort.objects.filter(centre__slug="lucknow", status="running").get()
    Cohort.objects.filter(pk=cohort.pk).update(capacity=cohort.capacity + 5)
    page.goto(f"{site_url}/admin/skills_cohort/inspect/{cohort.pk}/")
    page.get_by_role("link", name="Enrol trainees").click()
    page.wait_for_url(f"**/admin/skills_cohort/{cohort.pk}/enrol/")
    assert page.locator('input[name="trainees"]').count() == 25  # a page, not every woman

    page.get_by_label("Name or register number").fill("Anita Devi")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/enrol/?q=Anita+Devi")
    row = page.locator("tr", has_text="LKO-ANITA-1")
    assert "Barabanki" in row.inner_text()
    row.locator('input[name="trainees"]').check()
    page.get_by_role("button", name="Enrol the women ticked").click()
    page.wait_for_load_state()
    assert page.locator("[role=alert]").all_inner_texts() == []
    page.wait_for_url(f"**/admin/skills_cohort/inspect/{cohort.pk}/")
    enrolled = set(
        cohort.enrolments.filter(trainee__full_name="Anita Devi").values_list("trainee", flat=True)
    )
    assert three_anitas[1].pk in enrolled
    assert three_anitas[0].pk not in enrolled and three_anitas[2].pk not in enrolled


def choose_in_modal(page, search, row_text):
    chooser = page.locator("#id_trainee-chooser")
    if "blank" in chooser.get_attribute("class"):
        chooser.get_by_role("button", name=re.compile("Choose a trainee")).click()
    else:  # one is chosen: "Choose another" is under the chooser's own "…"
        chooser.get_by_role("button", name="Actions").click()
        chooser.get_by_role("button", name="Choose another trainee").click()
    modal = page.locator(".modal-dialog")
    # The modal lists women before she types; a click while the search's results replace that list
    # can land on neither. Wait for the results of what she typed, then click.
    with page.expect_response(lambda response: parse_qs(urlsplit(response.url).query).get("q") == [search]):
        modal.get_by_placeholder("Name or register number").fill(search)
    expect(modal.locator("tbody tr").filter(has_not_text=search)).to_have_count(0)  # the new list shown
    modal.locator("tr", has_text=row_text).get_by_role("link").click()
    modal.wait_for(state="hidden")


def test_nominate_from_her_record_and_choose_another_by_search(coordinator_page, site_url, three_anitas):
    from placements.models import Nomination, Vacancy

    page = coordinator_page
    anita = three_anitas[2]
    vacancy = Vacancy.objects.published().order_by("pk").first()

    # Her record shows her whole history and the next actions.
    page.goto(f"{site_url}/admin/skills_trainee/inspect/{anita.pk}/")
    for heading in ("Enrolments", "Nominations", "Jobs", "Self-employment"):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible()
    page.get_by_role("link", name="Nominate for a job").click()
    page.wait_for_url("**/admin/placements_nomination/new/**")
    assert page.locator('input[name="trainee"]').input_value() == str(anita.pk)

    # She changes her mind: another woman of the same name, chosen by register number.
    choose_in_modal(page, "LKO-ANITA", "LKO-ANITA-0")
    assert page.locator('input[name="trainee"]').input_value() == str(three_anitas[0].pk)
    page.get_by_label("Vacancy").select_option(str(vacancy.pk))
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/admin/placements_nomination/")
    assert Nomination.objects.filter(trainee=three_anitas[0], vacancy=vacancy).exists()


def test_self_employment_form_chooses_her_by_search(coordinator_page, site_url, three_anitas):
    page = coordinator_page
    page.goto(f"{site_url}/admin/placements_selfemployment/new/")
    assert page.locator('select[name="trainee"]').count() == 0
    choose_in_modal(page, "Anita Devi", "LKO-ANITA-1")
    assert page.locator('input[name="trainee"]').input_value() == str(three_anitas[1].pk)
    assert page.get_by_text("Anita Devi").first.is_visible()
