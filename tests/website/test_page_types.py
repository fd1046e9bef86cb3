"""Every page type: renders, is editable, lives only under its allowed parents, and a missing
required field gives the editor a validation error instead of a server error."""

import datetime

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from skills.models import Centre, Trade
from website.models import (
    CentreIndexPage,
    CentrePage,
    CourseIndexPage,
    CoursePage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)

PAGE_TYPES = [
    HomePage,
    NewsIndexPage,
    NewsPage,
    CourseIndexPage,
    CoursePage,
    CentreIndexPage,
    CentrePage,
    StandardPage,
]


def english(model, **filters):
    return model.objects.get(locale__language_code="en", **filters)


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_sits_at_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage, {NewsIndexPage, CourseIndexPage, CentreIndexPage, StandardPage}
        )

    def test_news(self):
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsPage, set())
        self.assertCanNotCreateAt(HomePage, NewsPage)
        self.assertCanNotCreateAt(CourseIndexPage, NewsPage)

    def test_courses(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertCanCreateAt(CourseIndexPage, CoursePage)
        self.assertCanNotCreateAt(NewsIndexPage, CoursePage)

    def test_centres(self):
        self.assertAllowedParentPageTypes(CentreIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(CentrePage, {CentreIndexPage})
        self.assertCanNotCreateAt(HomePage, CentrePage)

    def test_standard_pages_nest(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(NewsPage, StandardPage)


class PageRenderingTests(WagtailPageTestCase):
    def test_every_page_type_renders_in_both_languages(self):
        for model in PAGE_TYPES:
            pages = model.objects.live()
            self.assertEqual(
                {p.locale.language_code for p in pages}, {"en", "hi"}, f"{model.__name__} in both languages"
            )
            for page in pages:
                with self.subTest(page=page.url):
                    self.assertPageIsRenderable(page)

    def test_every_page_type_opens_in_the_admin_editor(self):
        # Wagtail renders StreamFields client-side, so the edit form cannot be re-posted from
        # its HTML (assertPageIsEditable); posting is covered by AdminCreationTests below.
        self.login()
        for model in PAGE_TYPES:
            for page in model.objects.all():
                with self.subTest(page=page.url):
                    response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
                    self.assertEqual(response.status_code, 200)

    def test_news_index_paginates_and_filters_by_tag(self):
        index = english(NewsIndexPage)
        response = self.client.get(index.url, {"tag": "placements"})
        titles = [item.title for item in response.context["news_page"]]
        self.assertEqual(
            sorted(titles),
            sorted(
                english(NewsIndexPage).news().filter(tags__slug="placements").values_list("title", flat=True)
            ),
        )
        self.assertTrue(titles)
        # A page number out of range shows the last page rather than an error.
        self.assertEqual(self.client.get(index.url, {"page": "999"}).status_code, 200)
        self.assertEqual(self.client.get(index.url, {"page": "x"}).status_code, 200)

    def test_course_index_hides_courses_that_have_ended(self):
        course = english(CoursePage, slug="tailoring-lucknow")
        course.start_date = datetime.date(2020, 1, 1)
        course.end_date = datetime.date(2020, 3, 1)
        course.save_revision().publish()
        response = self.client.get(english(CourseIndexPage).url)
        self.assertNotIn(course.pk, [c.pk for c in response.context["finder"]["courses"]])
        self.assertNotIn(course.pk, [c.pk for c in english(HomePage).upcoming_courses()])

    def test_centre_page_shows_its_centre_and_services(self):
        page = english(CentrePage, slug="lucknow")
        body = self.client.get(page.url).content.decode()
        self.assertIn(page.centre.phone, body)
        self.assertIn("Short stay", body)
        self.assertIn("Tailoring, morning batch", body)


class AdminCreationTests(WagtailPageTestCase):
    def setUp(self):
        self.login()
        self.home = english(HomePage)

    def add_url(self, model, parent):
        return reverse(
            "wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk]
        )

    def assertRequiredFieldError(self, model, parent, data, field):
        # Wagtail lets a draft be saved incomplete; publishing must name the missing field.
        response = self.client.post(self.add_url(model, parent), {**data, "action-publish": "action-publish"})
        self.assertEqual(response.status_code, 200, response.get("Location"))
        self.assertIn(field, response.context["form"].errors)
        self.assertFalse(model.objects.filter(slug=data.get("slug", "")).exists())

    def test_news_page_created_through_the_admin(self):
        data = nested_form_data(
            {
                "title": "Graduation day in Buxar",
                "slug": "graduation-day-buxar",
                "date": "2026-01-15",
                "intro": "Twenty trainees received certificates.",
                "body": streamfield([("paragraph", rich_text("<p>A happy day.</p>"))]),
                "tags": "training",
            }
        )
        self.assertCanCreate(english(NewsIndexPage), NewsPage, data)
        page = english(NewsPage, slug="graduation-day-buxar")
        self.assertTrue(page.live)
        self.assertEqual(self.client.get(page.url).status_code, 200)
        # The Hindi tree stays in step: an alias appears until an editor translates it.
        alias = NewsPage.objects.get(slug="graduation-day-buxar", locale__language_code="hi")
        self.assertEqual(alias.alias_of_id, page.pk)
        self.assertEqual(self.client.get("/hi/news/graduation-day-buxar/").status_code, 200)

    def test_news_page_without_intro_is_a_validation_error(self):
        data = nested_form_data(
            {
                "title": "No intro",
                "slug": "no-intro",
                "date": "2026-01-15",
                "intro": "",
                "body": streamfield([("paragraph", rich_text("<p>Text</p>"))]),
            }
        )
        self.assertRequiredFieldError(NewsPage, english(NewsIndexPage), data, "intro")

    def test_course_page_created_and_dates_checked(self):
        trade = Trade.objects.get(slug="tailoring")
        centre = Centre.objects.get(slug="buxar")
        valid = {
            "title": "Tailoring, evening batch",
            "slug": "tailoring-evening-buxar",
            "trade": trade.pk,
            "centre": centre.pk,
            "start_date": "2027-01-10",
            "end_date": "2027-04-10",
            "seats": "25",
            "intro": "",
            "eligibility": rich_text("<p>Women aged 18 or over.</p>"),
            "how_to_join": rich_text(""),
        }
        self.assertCanCreate(english(CourseIndexPage), CoursePage, nested_form_data(dict(valid)))

        backwards = dict(valid, slug="backwards", start_date="2027-04-10", end_date="2027-01-10")
        self.assertRequiredFieldError(
            CoursePage, english(CourseIndexPage), nested_form_data(backwards), "end_date"
        )
        no_trade = dict(valid, slug="no-trade", trade="")
        self.assertRequiredFieldError(
            CoursePage, english(CourseIndexPage), nested_form_data(no_trade), "trade"
        )

    def test_centre_page_requires_a_centre(self):
        data = nested_form_data(
            {
                "title": "A centre",
                "slug": "a-centre",
                "centre": "",
                "intro": "",
                "services": streamfield([]),
                "body": streamfield([]),
            }
        )
        self.assertRequiredFieldError(CentrePage, english(CentreIndexPage), data, "centre")

    def test_standard_page_requires_a_body(self):
        data = nested_form_data({"title": "Empty", "slug": "empty", "intro": "", "body": streamfield([])})
        self.assertRequiredFieldError(StandardPage, self.home, data, "body")
        data = nested_form_data(
            {
                "title": "Contact",
                "slug": "contact",
                "intro": "",
                "body": streamfield([("heading", {"text": "Write to us", "level": "h2"})]),
            }
        )
        self.assertCanCreate(self.home, StandardPage, data)

    def test_index_pages_require_a_title(self):
        for model in (NewsIndexPage, CourseIndexPage, CentreIndexPage):
            with self.subTest(model=model.__name__):
                data = {"title": "", "slug": f"x-{model._meta.model_name}", "intro": ""}
                self.assertRequiredFieldError(model, self.home, data, "title")

    def test_home_page_requires_a_hero(self):
        root = Page.get_first_root_node()
        data = nested_form_data(
            {
                "title": "Another home",
                "slug": "another-home",
                "hero_title": "",
                "hero_text": "",
                "body": streamfield([]),
            }
        )
        self.assertRequiredFieldError(HomePage, root, data, "hero_title")
