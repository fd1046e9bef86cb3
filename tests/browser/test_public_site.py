"""The public site in a real headless Chromium: language switch, quick exit, keyboard
navigation and an axe-core scan of every page type in English and Hindi."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

NEUTRAL_URL = "https://neutral.example/"
NEWS_PATH = "/news/tailoring-graduates-lucknow/"

PAGE_TYPES = {
    "home": "/",
    "news-index": "/news/",
    "news-page": NEWS_PATH,
    "course-index": "/courses/",
    "course-page": "/courses/tailoring-lucknow/",
    "centre-index": "/centres/",
    "centre-page": "/centres/lucknow/",
    "standard-page": "/about/",
    "search-results": "/search/?q=tailoring",
}
# The search only looks at the visitor's language, and the Hindi pages are written in Hindi:
# /hi/search/?q=tailoring finds nothing, so ask for "tailoring" in Hindi to scan a results page.
HINDI_PATHS = {"/search/?q=tailoring": "/search/?q=सिलाई"}


def html_lang(page):
    return page.locator("html").get_attribute("lang")


def active_element_matches(page, selector):
    return page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector)


@pytest.fixture
def neutral_exit(context, site_url):
    """Point the quick exit at a neutral page that Playwright serves (the real target,
    a Google search, is unreachable here)."""
    from wagtail.models import Site

    from website.models import SiteSettings

    context.route(
        "https://neutral.example/**",
        lambda route: route.fulfill(
            body="<html><head><title>neutral</title></head><body>neutral</body></html>",
            content_type="text/html",
        ),
    )
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.quick_exit_url = NEUTRAL_URL
    settings.save()
    return NEUTRAL_URL


def test_home_page_loads(page, site_url):
    response = page.goto(site_url + "/")
    assert response is not None and response.status == 200
    assert page.title() == "Home | Sakhi"
    assert html_lang(page) == "en"
    hero = page.locator("main .hero h1")
    assert hero.is_visible()
    assert hero.inner_text() == "Learn a skill. Earn your own income."
    quick_exit = page.locator("#quick-exit")
    assert quick_exit.is_visible()
    assert "Quick exit" in quick_exit.inner_text()


def test_language_switch_goes_to_the_translation_and_back(page, site_url):
    page.goto(site_url + NEWS_PATH)
    assert html_lang(page) == "en"

    hindi_link = page.locator('.language-switch a[data-language="hi"]')
    assert hindi_link.inner_text() == "हिन्दी"
    hindi_link.click()
    page.wait_for_url(site_url + "/hi" + NEWS_PATH)
    assert html_lang(page) == "hi"
    assert page.locator('.language-switch a[data-language="hi"]').get_attribute("aria-current") == "true"

    page.locator('.language-switch a[data-language="en"]').click()
    page.wait_for_url(site_url + NEWS_PATH)
    assert html_lang(page) == "en"
    assert page.locator('.language-switch a[data-language="en"]').get_attribute("aria-current") == "true"


def test_quick_exit_button_is_first_in_tab_order_and_replaces_history(page, site_url, neutral_exit):
    page.goto("about:blank")
    page.goto(site_url + "/")
    sakhi_url = page.url
    assert page.locator("#quick-exit").get_attribute("href") == neutral_exit

    page.keyboard.press("Tab")
    assert active_element_matches(page, "#quick-exit"), "the quick exit must be the first tab stop"

    page.locator("#quick-exit").click()
    page.wait_for_url(neutral_exit)
    assert page.url == neutral_exit

    page.go_back()
    page.wait_for_load_state()
    assert page.url != sakhi_url, "Back must not return to the Sakhi page"
    assert not page.url.startswith(site_url)
    assert page.url == "about:blank"


def test_quick_exit_by_keyboard_space(page, site_url, neutral_exit):
    """The quick exit has role="button", so Space must work as well as Enter."""
    page.goto("about:blank")
    page.goto(site_url + "/hi/")
    assert page.locator("#quick-exit").get_attribute("role") == "button"
    page.keyboard.press("Tab")
    assert active_element_matches(page, "#quick-exit")
    page.keyboard.press("Space")
    page.wait_for_url(neutral_exit)
    page.go_back()
    page.wait_for_load_state()
    assert page.url == "about:blank"


def test_quick_exit_by_pressing_shift_three_times(page, site_url, neutral_exit):
    page.goto("about:blank")
    page.goto(site_url + NEWS_PATH)
    sakhi_url = page.url
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(neutral_exit)
    assert page.url == neutral_exit

    page.go_back()
    page.wait_for_load_state()
    assert page.url != sakhi_url
    assert page.url == "about:blank"


def test_main_navigation_works_by_keyboard_alone(page, site_url):
    page.goto(site_url + "/")
    courses_link = 'nav.main-nav[aria-label] a[href$="/courses/"]'
    assert page.locator(courses_link).count() == 1

    for _ in range(40):
        page.keyboard.press("Tab")
        if active_element_matches(page, courses_link):
            break
    else:
        pytest.fail("Tabbing never reached the Courses link in the main navigation")

    focus = page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                focusVisible: el.matches(':focus-visible'),
                outlineStyle: style.outlineStyle,
                outlineWidth: style.outlineWidth,
            };
        }"""
    )
    assert focus["focusVisible"], focus
    assert focus["outlineStyle"] != "none", focus
    assert focus["outlineWidth"] not in ("0px", ""), focus

    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "/courses/")
    assert page.locator("main h1").is_visible()


def format_violations(url, violations):
    lines = [f"{len(violations)} axe violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            target = ", ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    * {target}  {summary}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("language", ["en", "hi"])
@pytest.mark.parametrize("path", list(PAGE_TYPES.values()), ids=list(PAGE_TYPES))
def test_no_axe_violations(page, site_url, axe, path, language):
    if language == "hi":
        path = "/hi" + HINDI_PATHS.get(path, path)
    url = site_url + path
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert html_lang(page) == language
    if "/search/" in path:
        assert page.locator("main li a").count() > 0, "the search should find something"
    results = axe.run(page)
    violations = results.response["violations"]
    assert not violations, format_violations(url, violations)
