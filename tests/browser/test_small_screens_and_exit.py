"""Issue 11, items 11 and 12, in a real headless Chromium: nothing cut off or scrolling sideways
on a 390 px phone, in the admin and on the public site; the quick exit leaves no page of this
visit behind the Back button."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


# Item 12: the quick exit.


@pytest.fixture
def local_exit(site_url):
    """Point the quick exit at a page the live server serves (the real target is external)."""
    from wagtail.models import Site

    from website.models import SiteSettings

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.quick_exit_url = f"{site_url}/robots.txt"
    settings.save()
    return settings.quick_exit_url


def test_back_after_the_quick_exit_does_not_return_to_the_page_left(page, site_url, local_exit):
    page.goto("about:blank")
    page.goto(site_url + "/")
    page.locator('nav.main-nav a[href$="/courses/"]').click()
    page.wait_for_url(site_url + "/courses/")

    page.locator("#quick-exit").click()
    page.wait_for_url(local_exit)
    page.go_back()
    page.wait_for_load_state()
    assert not page.url.endswith("/courses/"), "Back must not return to the page she left"


def test_the_quick_exit_works_before_the_page_has_finished_loading(page, site_url, local_exit):
    """On a slow connection the button is drawn long before the end of the page arrives: a click
    then must already replace the page, not follow the link and leave /courses/ behind Back."""

    def first_part_only(route):
        response = route.fetch()
        html = response.text()
        route.fulfill(response=response, body=html[: html.index("</header>")])

    page.route(f"{site_url}/courses/", first_part_only)
    page.goto("about:blank")
    page.goto(site_url + "/")
    page.goto(site_url + "/courses/")
    page.locator("#quick-exit").click()
    page.wait_for_url(local_exit)
    page.go_back()
    page.wait_for_load_state()
    assert not page.url.endswith("/courses/"), "Back must not return to the page she left"
    assert page.url == site_url + "/"


# Item 11: a 390 px phone.

# What is cut or out of reach at this width: boxes of visible links and buttons that stick out of
# the viewport, text clipped inside its own button, and the page itself scrolling sideways.
# Boxes wholly off to the left are the off-canvas kind (the skip link, the admin's closed sidebar).
LAYOUT_PROBLEMS = """() => {
    const width = window.innerWidth;
    const problems = [];
    if (document.documentElement.scrollWidth > width) {
        problems.push(`page is ${document.documentElement.scrollWidth} px wide`);
    }
    const describe = (el) => `${el.tagName.toLowerCase()} "${(el.innerText || el.value || "").trim().slice(0, 40)}"`;
    for (const el of document.querySelectorAll("a[href], button, input[type=submit], .button")) {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (box.width === 0 || box.height === 0 || style.visibility === "hidden" || box.right <= 0) continue;
        if (el.closest("[hidden], .visually-hidden, .w-sr-only, [aria-hidden=true]")) continue;
        // Inside a box that scrolls sideways by design (Wagtail's breadcrumbs), an element is
        // reached by scrolling that box: then the box itself must fit the screen.
        let scroller = el.parentElement;
        while (scroller && !(["auto", "scroll"].includes(getComputedStyle(scroller).overflowX)
                             && scroller.scrollWidth > scroller.clientWidth)) {
            scroller = scroller.parentElement;
        }
        const reach = scroller && scroller !== document.documentElement && scroller !== document.body
            ? scroller.getBoundingClientRect() : box;
        if (reach.left < -1 || reach.right > width + 1) {
            problems.push(`${describe(el)} spans ${Math.round(box.left)}..${Math.round(box.right)} px`);
        }
        if (el.scrollWidth > el.clientWidth + 1 && style.overflowX !== "visible") {
            problems.push(`${describe(el)} clips its text (${el.scrollWidth} > ${el.clientWidth} px)`);
        }
    }
    return problems;
}"""

QUICK_EXIT_OVER_TITLE = """() => {
    const a = document.querySelector("#quick-exit").getBoundingClientRect();
    const b = document.querySelector(".site-header .brand").getBoundingClientRect();
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}"""


@pytest.fixture
def phone(page):
    """A page on a phone's screen, with the suite's time limits (see conftest.context)."""
    page.set_viewport_size(PHONE)
    return page


@pytest.mark.parametrize("language", ["", "/hi"])
def test_the_public_site_fits_a_phone(phone, site_url, language):
    for path in ("/", "/courses/", "/vacancies/"):
        phone.goto(f"{site_url}{language}{path}")
        assert phone.evaluate(LAYOUT_PROBLEMS) == [], f"{language}{path}"
        assert not phone.evaluate(QUICK_EXIT_OVER_TITLE), f"{language}{path}: the quick exit covers the title"


def test_the_coordinators_pages_fit_a_phone(phone, site_url):
    from skills.models import Cohort, CohortSession
    from website.demo.users import DEMO_PASSWORD, seed_users

    seed_users()
    cohort = Cohort.objects.filter(centre__slug="lucknow", status="running").first()
    session = CohortSession.objects.filter(cohort=cohort).order_by("-date").first()
    trainee = cohort.enrolments.select_related("trainee").first().trainee

    phone.goto(f"{site_url}/admin/login/")
    phone.fill("input[name=username]", "coordinator")
    phone.fill("input[name=password]", DEMO_PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{site_url}/admin/")
    for path in (
        f"/admin/skills_cohort/inspect/{cohort.pk}/",
        f"/admin/skills_cohortsession/{session.pk}/attendance/",
        f"/admin/skills_trainee/inspect/{trainee.pk}/",
    ):
        phone.goto(site_url + path)
        assert phone.evaluate(LAYOUT_PROBLEMS) == [], path
