"""The whole employer journey in a real Chromium: an employer registers and confirms her e-mail,
waits for approval, a coordinator approves, the employer posts a vacancy, the coordinator publishes
it, the public sees it, the coordinator nominates a consenting trainee, the employer marks her hired
and the coordinator confirms the placement."""

import re
import time

import pytest
from django.core import mail

pytestmark = pytest.mark.browser

ORGANISATION = "Saheli Stitching Unit"


@pytest.fixture
def coordinator(another_context, site_url):
    from website.demo.users import DEMO_PASSWORD, seed_users

    seed_users()
    page = another_context.new_page()
    page.goto(f"{site_url}/admin/login/")
    page.fill("input[name=username]", "coordinator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site_url}/admin/")
    return page


def test_employer_journey(page, coordinator, site_url):
    from placements.models import Employer, Nomination, Placement, Vacancy
    from skills.models import Trainee

    # An employer registers (the form refuses anything faster than a few seconds: a bot check).
    page.goto(f"{site_url}/employers/register/")
    page.fill("#id_organisation", ORGANISATION)
    page.fill("#id_sector", "Apparel")
    page.fill("#id_district", "Lucknow")
    page.fill("#id_contact_person", "Farida Begum")
    page.fill("#id_email", "farida@saheli-stitching.example")
    page.fill("#id_phone", "9000011111")
    page.fill("#id_password1", "a-long-and-uncommon-secret")
    page.fill("#id_password2", "a-long-and-uncommon-secret")
    time.sleep(3.2)
    page.get_by_role("button", name="Register").click()
    employer = Employer.objects.get(organisation=ORGANISATION)
    assert employer.status == Employer.Status.PENDING

    # She confirms her e-mail address with the link the site sent.
    (message,) = [m for m in mail.outbox if "farida@saheli-stitching.example" in m.to]
    token = re.search(r"/employers/verify/([^/\s]+)/", message.body).group(1)
    page.goto(f"{site_url}/employers/verify/{token}/")
    page.get_by_role("button", name="Confirm my e-mail address").click()

    # Pending: the portal waits for a coordinator.
    page.goto(f"{site_url}/employers/login/")
    if page.locator("#id_password").count():
        page.fill("#id_username", "farida@saheli-stitching.example")
        page.fill("#id_password", "a-long-and-uncommon-secret")
        page.get_by_role("button", name="Log in").click()
    page.goto(f"{site_url}/employers/")
    assert "approv" in page.content().lower()

    # A coordinator approves the employer in the admin.
    coordinator.goto(f"{site_url}/admin/placements_employer/inspect/{employer.pk}/")
    coordinator.get_by_role("button", name="Approve").click()
    employer.refresh_from_db()
    assert employer.status == Employer.Status.APPROVED

    # The employer posts a vacancy and submits it for approval.
    page.goto(f"{site_url}/employers/vacancies/add/")
    page.fill("#id_title", "Machine operators for school uniforms")
    page.get_by_label("Tailoring").check()
    page.fill("#id_description", "Stitching school uniforms in a day shift, 9 to 5, with lunch.")
    page.fill("#id_district", "Lucknow")
    page.fill("#id_openings", "3")
    page.fill("#id_pay_min", "10000")
    page.fill("#id_pay_max", "12500")
    page.fill("#id_closing_date", "2099-01-31")
    page.get_by_role("button", name="Save draft").click()
    vacancy = Vacancy.objects.get(employer=employer)
    page.goto(f"{site_url}/employers/vacancies/{vacancy.pk}/submit/")
    page.get_by_role("button", name="Submit for approval").click()
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.SUBMITTED

    # The coordinator publishes it, and the public sees it on the board.
    coordinator.goto(f"{site_url}/admin/placements_vacancy/inspect/{vacancy.pk}/")
    coordinator.get_by_role("button", name="Publish").click()
    page.goto(f"{site_url}/vacancies/")
    assert "Machine operators for school uniforms" in page.content()

    # The coordinator nominates a consenting adult trainee of her centre.
    trainee = (
        Trainee.objects.filter(
            centre__slug="lucknow", consent_share_with_employers=True, date_of_birth__year__lt=2000
        )
        .exclude(nominations__isnull=False)
        .first()
    )
    # From her record: "Nominate for a job" opens the form with her already chosen.
    coordinator.goto(f"{site_url}/admin/skills_trainee/inspect/{trainee.pk}/")
    coordinator.get_by_role("link", name="Nominate for a job").click()
    coordinator.wait_for_url("**/admin/placements_nomination/new/**")
    assert coordinator.locator('input[name="trainee"]').input_value() == str(trainee.pk)
    coordinator.select_option("#id_vacancy", value=str(vacancy.pk))
    coordinator.locator("#w-editor-form button[type=submit]").first.click()
    coordinator.wait_for_load_state()
    nomination = Nomination.objects.get(vacancy=vacancy, trainee=trainee)

    # The employer sees her first name only, and marks her hired.
    page.goto(f"{site_url}/employers/candidates/")
    first_name, surname = trainee.full_name.split()[0], trainee.full_name.split()[-1]
    card = page.locator("article.candidate", has=page.locator(f"#status-{nomination.pk}")).inner_text()
    assert first_name in card and surname not in card
    page.select_option(f"#status-{nomination.pk}", value=Nomination.Status.HIRED)
    page.get_by_role("button", name="Update").click()
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.HIRED

    # The coordinator confirms the placement, pre-filled from the vacancy.
    coordinator.goto(f"{site_url}/admin/placements_nomination/inspect/{nomination.pk}/")
    coordinator.get_by_role("link", name="Confirm the placement").click()
    assert coordinator.locator("#id_job_title").input_value() == "Machine operators for school uniforms"
    assert coordinator.locator("#id_monthly_pay").input_value() == "10000"
    coordinator.get_by_role("button", name="Confirm placement").click()
    placement = Placement.objects.get(nomination=nomination)
    assert placement.trainee == trainee and placement.employer == employer
    assert placement.follow_ups.count() == 3
