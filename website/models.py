"""The public website: Wagtail page types, site-wide settings and the translatable footer."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
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
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, PageManager, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from core.pagination import paginate
from skills import queries as tracker

from .blocks import BodyBlock, ServiceBlock
from .filters import OpenCohortFilter

LISTING_IMAGE_SPEC = "fill-480x270"
NEWS_PER_PAGE = 10


def with_listing_images(queryset):
    """Fetch listing images and their renditions in two queries, however long the list."""
    images = get_image_model().objects.prefetch_renditions(LISTING_IMAGE_SPEC)
    return queryset.prefetch_related(Prefetch("listing_image", queryset=images))


class HomePage(Page):
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
        news = NewsPage.objects.live().public().filter(locale_id=self.locale_id)
        return with_listing_images(news.order_by("-date", "-pk"))[:limit]

    def upcoming_courses(self, limit=4):
        courses = CoursePage.objects.live().public().filter(locale_id=self.locale_id)
        return courses.current_and_upcoming().select_related("trade", "centre")[:limit]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = self.latest_news()
        context["upcoming_courses"] = self.upcoming_courses()
        return context


class NewsIndexPage(RoutablePageMixin, Page):
    """The news listing, paginated, filterable by tag, with an RSS feed at feed/."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["website.NewsPage"]

    class Meta:
        verbose_name = _("news index page")

    def news(self):
        return NewsPage.objects.child_of(self).live().public().order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = self.news()
        tag = request.GET.get("tag", "").strip()
        if tag:
            news = news.filter(tags__slug=tag)
        context["tag"] = tag
        context["news_page"] = paginate(request, with_listing_images(news), NEWS_PER_PAGE)
        return context

    @path("feed/", name="feed")
    def feed(self, request):
        from .feeds import NewsFeed

        return NewsFeed(self)(request)


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("website.NewsPage", related_name="tagged_items", on_delete=models.CASCADE)


class NewsPage(Page):
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


class CoursePageQuerySet(PageQuerySet):
    def current_and_upcoming(self):
        """Courses that have not ended yet, soonest first."""
        return self.filter(end_date__gte=timezone.localdate()).order_by("start_date", "pk")


class CoursePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohorts"].queryset = tracker.announceable_cohorts()


class CoursePage(Page):
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


class CourseIndexPage(Page):
    """The course finder: open and upcoming cohorts with filters, and the announcements."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["website.CoursePage"]

    class Meta:
        verbose_name = _("course index page")

    def courses(self):
        return (
            CoursePage.objects.child_of(self)
            .live()
            .public()
            .current_and_upcoming()
            .select_related("trade", "centre")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        courses = list(self.courses())
        cohort_filter = OpenCohortFilter(request.GET or None, queryset=tracker.open_cohorts())
        cohorts = list(cohort_filter.qs)
        announced_by = dict(
            CoursePage.cohorts.through.objects.filter(
                coursepage__in=[c.pk for c in courses], cohort__in=[c.pk for c in cohorts]
            ).values_list("cohort_id", "coursepage_id")
        )
        pages = {course.pk: course for course in courses}
        context.update(
            courses=courses,
            cohort_filter=cohort_filter,
            cohorts=[(cohort, pages.get(announced_by.get(cohort.pk))) for cohort in cohorts],
        )
        return context


class CentreIndexPage(Page):
    """The list of centres."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["website.CentrePage"]

    class Meta:
        verbose_name = _("centre index page")

    def centres(self):
        return (
            CentrePage.objects.child_of(self)
            .live()
            .public()
            .select_related("centre")
            .order_by("centre__state", "centre__district", "title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["centres"] = self.centres()
        return context


class CentrePage(Page):
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

    class Meta:
        verbose_name = _("centre page")

    def upcoming_courses(self):
        return (
            CoursePage.objects.live()
            .public()
            .filter(locale_id=self.locale_id, centre_id=self.centre_id)
            .current_and_upcoming()
            .select_related("trade", "centre")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["upcoming_courses"] = self.upcoming_courses()
        return context


class StandardPage(Page):
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
