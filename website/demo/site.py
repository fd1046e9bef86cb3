"""Builds the demo page tree in English and Hindi. Idempotent: existing pages are left alone."""

import datetime
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from skills.demo import CENTRES
from skills.models import Centre, Cohort, Trade
from website.models import (
    CentreIndexPage,
    CentrePage,
    CourseIndexPage,
    CoursePage,
    FooterText,
    HomePage,
    MainMenu,
    MainMenuItem,
    NewsIndexPage,
    NewsPage,
    SiteSettings,
    StandardPage,
)

from . import content

EN, HI = 0, 1


def paragraphs(texts, lang):
    return [{"type": "paragraph", "value": f"<p>{text[lang]}</p>"} for text in texts]


def impact_figures(centre):
    """A body with one impact figures block: a centre's figures since 2016, the headings translated."""
    value = {"heading": "", "scope": "centre", "centre": centre, "period": "since", "since_year": 2016}
    return json.dumps([{"type": "impact_figures", "value": value}])


def publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_child(parent, model, slug, **fields):
    """The child of parent with this slug, created and published if missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    return existing or publish_child(parent, model(slug=slug, **fields))


def ensure_translation(page, locale, **fields):
    """The page's translation into locale, copied, filled in and published if missing."""
    existing = page.get_translation_or_none(locale)
    if existing:
        return existing.specific
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


def ensure_home(hindi):
    """The English home page at the top of the tree, as the default site's root.

    Wagtail's migrations leave a plain "Welcome" page as the site root; it is replaced."""
    english = Locale.get_default()
    placeholders = Page.objects.filter(
        depth=2, locale=english, content_type=ContentType.objects.get_for_model(Page)
    )
    home = HomePage.objects.filter(depth=2, locale=english).first()
    if home is None:
        for placeholder in placeholders:
            placeholder.slug = f"welcome-placeholder-{placeholder.pk}"
            placeholder.save(update_fields=["slug"])
        home = publish_child(
            Page.get_first_root_node(),
            HomePage(
                slug="home",
                title=content.HOME["title"][EN],
                hero_title=content.HOME["hero_title"][EN],
                hero_text=content.HOME["hero_text"][EN],
                # Lucknow, not all centres: beside the centre pages, a total over all centres would
                # let a hidden small count of one centre be worked out by subtraction.
                body=impact_figures("lucknow"),
            ),
        )
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    if site.root_page_id != home.pk:
        base_url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site.hostname = base_url.hostname
        site.port = base_url.port or (443 if base_url.scheme == "https" else 80)
        site.root_page = home
        site.site_name = "Sakhi"
        site.save()
    for placeholder in placeholders:
        placeholder.delete()
    ensure_translation(
        home,
        hindi,
        title=content.HOME["title"][HI],
        hero_title=content.HOME["hero_title"][HI],
        hero_text=content.HOME["hero_text"][HI],
    )
    return home


def ensure_index(home, hindi, model, slug):
    texts = content.INDEXES[slug]
    index = ensure_child(home, model, slug, title=texts["title"][EN], intro=texts["intro"][EN])
    ensure_translation(index, hindi, title=texts["title"][HI], intro=texts["intro"][HI])
    return index


def seed_news(index, hindi):
    today = timezone.localdate()
    for item in content.NEWS:

        def body(lang, item=item):
            blocks = paragraphs(item["body"], lang)
            if "quote" in item:
                blocks.append({"type": "quote", "value": {"text": item["quote"][lang], "attribution": ""}})
            return json.dumps(blocks)

        page = NewsPage.objects.child_of(index).filter(slug=item["slug"]).first()
        if page is None:
            page = NewsPage(
                slug=item["slug"],
                title=item["title"][EN],
                date=today - datetime.timedelta(days=item["days_ago"]),
                intro=item["intro"][EN],
                body=body(EN),
            )
            index.add_child(instance=page)
            page.tags.add(*(tag[EN] for tag in item["tags"]))
            page.save_revision().publish()
        if page.get_translation_or_none(hindi) is None:
            translated = ensure_translation(
                page, hindi, title=item["title"][HI], intro=item["intro"][HI], body=body(HI)
            )
            # A translation has its own tags (copied in English): the Hindi page's are Hindi words.
            translated.tags.set([tag[HI] for tag in item["tags"]])
            translated.save_revision().publish()


def seed_courses(index, hindi):
    """One announcement per trade, each linked to the tracker's open cohort it announces."""
    today = timezone.localdate()
    trades = {trade.slug: trade for trade in Trade.objects.all()}
    centres = {centre.slug: centre for centre in Centre.objects.all()}
    for trade, centre, starts_in, length, seats, title_en, title_hi in content.COURSE_ANNOUNCEMENTS:
        slug = f"{trade}-{centre}"
        if CoursePage.objects.child_of(index).filter(slug=slug).exists():
            page = CoursePage.objects.child_of(index).get(slug=slug)
        else:
            cohort = (
                Cohort.objects.open_for_enrolment()
                .filter(course__trade__slug=trade, centre__slug=centre, start_date__gt=today)
                .order_by("start_date")
                .first()
            )
            start = cohort.start_date if cohort else today + datetime.timedelta(days=starts_in)
            page = publish_child(
                index,
                CoursePage(
                    slug=slug,
                    title=title_en,
                    trade=trades[trade],
                    centre=centres[centre],
                    start_date=start,
                    end_date=cohort.end_date if cohort else start + datetime.timedelta(days=length),
                    seats=cohort.capacity if cohort else seats,
                    intro=content.COURSE_INTRO[EN],
                    eligibility=content.COURSE_ELIGIBILITY[EN],
                    cohorts=[cohort] if cohort else [],
                ),
            )
        ensure_translation(
            page,
            hindi,
            title=title_hi,
            intro=content.COURSE_INTRO[HI],
            eligibility=content.COURSE_ELIGIBILITY[HI],
        )


def seed_centre_pages(index, hindi):
    centres = {centre.slug: centre for centre in Centre.objects.all()}

    def services(lang):
        return json.dumps(
            [
                {"type": "service", "value": {"name": name[lang], "description": text[lang]}}
                for name, text in content.SERVICES
            ]
        )

    for data in CENTRES:
        page = ensure_child(
            index,
            CentrePage,
            data["slug"],
            title=data["name"][EN],
            centre=centres[data["slug"]],
            intro=content.CENTRE_INTRO[EN],
            services=services(EN),
            body=impact_figures(data["slug"]),
        )
        ensure_translation(
            page, hindi, title=data["name"][HI], intro=content.CENTRE_INTRO[HI], services=services(HI)
        )


def seed_standard_pages(home, hindi):
    pages = []
    for data in content.STANDARD_PAGES:
        page = ensure_child(
            home,
            StandardPage,
            data["slug"],
            title=data["title"][EN],
            intro=data["intro"][EN],
            body=json.dumps(paragraphs(data["body"], EN)),
        )
        ensure_translation(
            page,
            hindi,
            title=data["title"][HI],
            intro=data["intro"][HI],
            body=json.dumps(paragraphs(data["body"], HI)),
        )
        pages.append((page, data["in_menu"]))
    return pages


def seed_settings(site, menu_pages, hindi):
    SiteSettings.for_site(site)
    menu = MainMenu.for_site(site)
    if not menu.items.exists():
        for order, page in enumerate(menu_pages):
            MainMenuItem.objects.create(menu=menu, link_page=page, sort_order=order)
    english = Locale.get_default()
    footer = FooterText.objects.filter(locale=english).first()
    if footer is None:
        footer = FooterText.objects.create(locale=english, body=content.FOOTER[EN])
    if not FooterText.objects.filter(translation_key=footer.translation_key, locale=hindi).exists():
        FooterText.objects.create(
            locale=hindi, translation_key=footer.translation_key, body=content.FOOTER[HI]
        )


def seed_site():
    hindi, _ = Locale.objects.get_or_create(language_code="hi")
    Locale.objects.get_or_create(language_code="en")
    home = ensure_home(hindi)
    news = ensure_index(home, hindi, NewsIndexPage, "news")
    courses = ensure_index(home, hindi, CourseIndexPage, "courses")
    centres = ensure_index(home, hindi, CentreIndexPage, "centres")
    seed_news(news, hindi)
    seed_courses(courses, hindi)
    seed_centre_pages(centres, hindi)
    standard = seed_standard_pages(home, hindi)
    menu_pages = [news, courses, centres] + [page for page, in_menu in standard if in_menu]
    seed_settings(Site.objects.get(is_default_site=True), menu_pages, hindi)
    return home
