"""The public website: Wagtail page types, site-wide settings and the translatable footer."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from core.pagination import paginate
from skills import queries as tracker

from . import chrome
from .blocks import BodyBlock, ServiceBlock
from .filters import OpenCohortFilter

NEWS_PER_PAGE = 10


def with_listing_images(queryset):
    """Fetch listing images with the pages, in the same query. Their renditions come from Wagtail's
    rendition cache (the "renditions" cache, else the default one), once each has been looked up."""
    return queryset.select_related("listing_image")


def visible(queryset):
    """The live pages the public may see. Wagtail's public() reads every view restriction (a query)
    to leave out the private sections; a site without any skips it."""
    queryset = queryset.live()
    return queryset.public() if chrome.has_view_restrictions() else queryset


class PublicPage(Page):
    """What the site's page types share: their view restrictions, checked on every request, are read
    only when the site has any (website/chrome.py knows, from the cache)."""

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        if not chrome.has_view_restrictions():
            return PageViewRestriction.objects.none()  # none() reads no database
        return super().get_view_restrictions()


class HomePage(PublicPage):
    """The front page of one language's site: what Sakhi is, helplines, news and courses."""

    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.TextField(_("hero text"), max_length=500)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("hero_text")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "website.NewsIndexPage",
        "website.CourseIndexPage",
        "website.CentreIndexPage",
        "website.StandardPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def latest_news(self, limit=3):
        news = visible(NewsPage.objects.filter(locale_id=self.locale_id))
        return with_listing_images(news.order_by("-date", "-pk"))[:limit]

    def upcoming_courses(self, limit=4):
        courses = visible(CoursePage.objects.filter(locale_id=self.locale_id))
        return courses.current_and_upcoming().select_related("trade", "centre")[:limit]

    def route(self, request, path_components):
        """Wagtail's walk down the tree, a query or two a level, done once per path and kept
        (website/chrome.py) until a page, the settings, a centre or a trade change."""
        if not path_components:
            return super().route(request, path_components)
        walked = []

        def walk():
            walked.append(super(HomePage, self).route(request, path_components))
            return walked[0]

        page = chrome.routed_page(self, path_components, walk)
        if walked:
            return walked[0]
        if page is None:
            return super().route(request, path_components)
        return page.route(request, [])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = self.latest_news()
        context["upcoming_courses"] = self.upcoming_courses()
        return context


class NewsIndexPage(RoutablePageMixin, PublicPage):
    """The news listing, paginated, filterable by tag, with an RSS feed at feed/."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["website.NewsPage"]

    class Meta:
        verbose_name = _("news index page")

    def news(self):
        return visible(NewsPage.objects.child_of(self)).order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = self.news()
        tag = request.GET.get("tag", "").strip()
        if tag:
            news = news.filter(tags__slug=tag)
        context["tag"] = tag
        # Read only if drawn: the content of an index asked for without a query is kept (base.html).
        context["news_page"] = SimpleLazyObject(
            lambda: paginate(request, with_listing_images(news), NEWS_PER_PAGE)
        )
        return context

    @path("feed/", name="feed")
    def feed(self, request):
        from .feeds import NewsFeed

        return NewsFeed(self)(request)


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("website.NewsPage", related_name="tagged_items", on_delete=models.CASCADE)


class NewsPage(PublicPage):
    """A news item: a training milestone, a placement drive, a centre event."""

    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(_("introduction"), max_length=400)
    body = StreamField(BodyBlock(), verbose_name=_("body"))
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("listing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("listing_image"), FieldPanel("tags")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["website.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news page")

    def index_url(self):
        """The URL of the news index this item is in: its own, less its slug (url_path is the
        parent's and the slug), without reading the parent."""
        return self.url[: -len(self.slug) - 1] if self.url else ""


class CoursePageQuerySet(PageQuerySet):
    def current_and_upcoming(self):
        """Courses that have not ended yet, soonest first."""
        return self.filter(end_date__gte=timezone.localdate()).order_by("start_date", "pk")


class CoursePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohorts"].queryset = tracker.announceable_cohorts()


class CoursePage(PublicPage):
    """An editor-written announcement of a course: who may join, when, where, and how.

    It links the tracker's cohorts it announces, whose dates, seats left and status show live."""

    trade = models.ForeignKey("skills.Trade", verbose_name=_("trade"), on_delete=models.PROTECT)
    centre = models.ForeignKey("skills.Centre", verbose_name=_("centre"), on_delete=models.PROTECT)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    seats = models.PositiveSmallIntegerField(_("seats"))
    intro = models.TextField(_("introduction"), max_length=400, blank=True)
    eligibility = RichTextField(_("eligibility"), features=["bold", "italic", "ul", "link"])
    how_to_join = RichTextField(
        _("how to join"),
        features=["bold", "italic", "ul", "link"],
        blank=True,
        help_text=_("Leave empty to show the standard text: visit the centre or call 181."),
    )
    cohorts = ParentalManyToManyField(
        "skills.Cohort",
        blank=True,
        verbose_name=_("cohorts announced"),
        help_text=_("The tracker's cohorts this page announces; their seats left show on the page."),
    )

    base_form_class = CoursePageForm
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("trade"), FieldPanel("centre")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("seats")]),
        FieldPanel("cohorts", widget=forms.CheckboxSelectMultiple),
        FieldPanel("intro"),
        FieldPanel("eligibility"),
        FieldPanel("how_to_join"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("eligibility")]

    objects = PageManager.from_queryset(CoursePageQuerySet)()
    shown_relations = ("trade", "centre")  # read when the page is routed, and kept with it

    parent_page_types = ["website.CourseIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("course page")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The course cannot end before it starts.")})

    def live_cohorts(self):
        return self.cohorts.open_for_enrolment().select_related("centre").order_by("start_date")


class CourseIndexPage(PublicPage):
    """The course finder: open and upcoming cohorts with filters, and the announcements."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["website.CoursePage"]

    class Meta:
        verbose_name = _("course index page")

    def courses(self):
        return (
            visible(CoursePage.objects.child_of(self))
            .current_and_upcoming()
            .select_related("trade", "centre")
        )

    def course_finder(self, request):
        """The announcements, the filter and the open cohorts it finds, each with its announcement."""
        courses = list(self.courses())
        pages = {course.pk: course for course in courses}
        # Which of these announcements names each cohort, read with the cohorts (one query).
        announcements = CoursePage.cohorts.through.objects.filter(coursepage__in=list(pages))
        cohorts_with_page = tracker.open_cohorts().annotate(
            announced_by=Subquery(
                announcements.filter(cohort=OuterRef("pk")).order_by("pk").values("coursepage_id")[:1]
            )
        )
        cohort_filter = OpenCohortFilter(request.GET or None, queryset=cohorts_with_page)
        cohorts = [(cohort, pages.get(cohort.announced_by)) for cohort in cohort_filter.qs]
        return {"courses": courses, "cohort_filter": cohort_filter, "cohorts": cohorts}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only if drawn: the finder asked for without a query is kept (base.html).
        context["finder"] = SimpleLazyObject(lambda: self.course_finder(request))
        return context


class CentreIndexPage(PublicPage):
    """The list of centres."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["website.CentrePage"]

    class Meta:
        verbose_name = _("centre index page")

    def centres(self):
        return (
            visible(CentrePage.objects.child_of(self))
            .select_related("centre")
            .order_by("centre__state", "centre__district", "title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["centres"] = self.centres()
        return context


class CentrePage(PublicPage):
    """A centre's public page: where it is, what it offers, how to reach it."""

    centre = models.ForeignKey("skills.Centre", verbose_name=_("centre"), on_delete=models.PROTECT)
    intro = models.TextField(_("introduction"), max_length=500, blank=True)
    services = StreamField([("service", ServiceBlock())], blank=True, verbose_name=_("services"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("centre"),
        FieldPanel("intro"),
        FieldPanel("services"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["website.CentreIndexPage"]
    subpage_types = []
    shown_relations = ("centre",)  # read when the page is routed, and kept with it

    class Meta:
        verbose_name = _("centre page")

    def upcoming_courses(self):
        return (
            visible(CoursePage.objects.filter(locale_id=self.locale_id, centre_id=self.centre_id))
            .current_and_upcoming()
            .select_related("trade", "centre")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["upcoming_courses"] = self.upcoming_courses()
        return context


class StandardPage(PublicPage):
    """A plain page: about us, privacy, accessibility, terms, browsing safely."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["website.HomePage", "website.StandardPage"]
    subpage_types = ["website.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="warning")
class SiteSettings(BaseSiteSetting):
    """Helplines and the quick-exit target, shown on every public page."""

    women_helpline = models.CharField(_("women helpline"), max_length=20, default="181")
    emergency_number = models.CharField(_("emergency number"), max_length=20, default="112")
    quick_exit_url = models.URLField(
        _("quick exit target"),
        default="https://www.google.com/search?q=weather",
        help_text=_("A neutral site that the quick exit button opens instead of this one."),
    )

    panels = [
        FieldRowPanel([FieldPanel("women_helpline"), FieldPanel("emergency_number")]),
        FieldPanel("quick_exit_url"),
    ]

    class Meta:
        verbose_name = _("site settings")


@register_setting(icon="list-ul")
class MainMenu(ClusterableModel, BaseSiteSetting):
    """The main navigation. Each item links a page; the Hindi site shows its translation."""

    panels = [InlinePanel("items", label=_("Menu items"))]

    class Meta:
        verbose_name = _("main menu")


class MainMenuItem(Orderable):
    menu = ParentalKey(MainMenu, related_name="items", on_delete=models.CASCADE)
    link_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("link_page")]

    def __str__(self):
        return self.link_page.title


@register_snippet
class FooterText(TranslatableMixin, models.Model):
    """The footer's text, one per language."""

    body = RichTextField(features=["bold", "italic", "link"], verbose_name=_("body"))

    panels = [FieldPanel("body")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("footer text")
        verbose_name_plural = _("footer texts")

    def __str__(self):
        return str(_("Footer text ({locale})")).format(locale=self.locale)
