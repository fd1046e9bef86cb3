"""Builders for tests: factory_boy for tracker models, wagtail_factories for pages."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from placements.demo import seed_employers
from skills import services
from skills.certificates import issue_for_cohort
from skills.demo import seed_centres_and_trades
from skills.demo_tracker import COURSES
from skills.models import Centre, Cohort, CohortSession, Course, Trade, Trainee
from website.demo.content import COURSE_ANNOUNCEMENTS
from website.demo.site import seed_site
from website.models import CentrePage, CoursePage, NewsPage


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Sakhi Centre {n}")
    slug = factory.Sequence(lambda n: f"centre-{n}")
    code = factory.Sequence(lambda n: "C" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))
    district = factory.Sequence(lambda n: f"District {n}")
    state = "Bihar"


class TradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trade
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Trade {n}")
    slug = factory.Sequence(lambda n: f"trade-{n}")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ("trade", "title")

    trade = factory.SubFactory(TradeFactory)
    title = factory.Sequence(lambda n: f"Course {n}")
    duration_days = 90
    hours = 270


class TraineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainee

    centre = factory.SubFactory(CentreFactory)
    full_name = factory.Sequence(lambda n: f"Trainee {n}")
    date_of_birth = datetime.date(1995, 6, 15)
    district = factory.LazyAttribute(lambda o: o.centre.district)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    course = factory.SubFactory(CourseFactory)
    centre = factory.SubFactory(CentreFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=90))
    capacity = 20
    status = Cohort.Status.OPEN


def certified_trainees(count, centre_slug="lucknow", trade_slug="tailoring"):
    """Consenting adult women of a cohort that ended ten days ago, each with a valid certificate:
    the candidates an employer may be shown."""
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=100), today - datetime.timedelta(days=10)
    centre = Centre.objects.get(slug=centre_slug)
    cohort = CohortFactory(
        centre=centre,
        course=Course.objects.filter(trade__slug=trade_slug).first(),
        start_date=start,
        end_date=end,
        capacity=count,
    )
    trainees = TraineeFactory.create_batch(
        count,
        centre=centre,
        consent_share_with_employers=True,
        consent_share_recorded_at=timezone.now(),
        consent_follow_up=True,
        consent_follow_up_recorded_at=timezone.now(),
    )
    enrolments = services.enrol(trainees, cohort, on=start)
    session = CohortSession.objects.create(cohort=cohort, date=start + datetime.timedelta(days=1))
    services.record_attendance(session, [enrolment.pk for enrolment in enrolments])
    for enrolment in enrolments:
        services.complete(enrolment, passed=True, result="A", on=end)
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.COMPLETED)
    issue_for_cohort(cohort, on=end + datetime.timedelta(days=7))
    return trainees


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Image {n}")


class NewsPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"News item {n}")
    intro = "What happened at the centre."
    # Today, not a date counted back by a sequence: the sequence runs across the whole session, so
    # the same test's news would be the newest or months old depending on the tests before it.
    date = factory.LazyFunction(timezone.localdate)
    body = '[{"type": "paragraph", "value": "<p>Body text.</p>"}]'
    listing_image = factory.SubFactory(ImageFactory)


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Course {n}")
    trade = factory.SubFactory(TradeFactory)
    centre = factory.SubFactory(CentreFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=60))
    seats = 20
    eligibility = "<p>Women aged 18 or over.</p>"


class CentrePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CentrePage

    title = factory.Sequence(lambda n: f"Centre page {n}")
    centre = factory.SubFactory(CentreFactory)


def seed_baseline():
    """What most tests read, built in seconds: the five demo centres and seven trades (tests name
    them: "lucknow", "patna-1"), a course per trade, the open cohorts that the course pages announce
    (and one under way), the demo employers and their vacancies, and the page tree in both
    languages. No trainees: a test makes the few it needs. Like the demo seed, no users either
    (tests call website.demo.users.seed_users). The full demo history is for the tests that ask
    for demo_site or are marked demo_data."""
    today = timezone.localdate()
    seed_centres_and_trades()
    trades = {trade.slug: trade for trade in Trade.objects.all()}
    courses = {
        slug: CourseFactory(
            trade=trades[slug], title=title, title_hi=title_hi, duration_days=days, hours=hours
        )
        for slug, (title, title_hi, days, hours) in COURSES.items()
    }
    centres = {centre.slug: centre for centre in Centre.objects.all()}
    if not Cohort.objects.exists():
        # The cohorts the course announcements name (the site links them), and one under way.
        for trade, centre, starts_in, length, seats, *_titles in COURSE_ANNOUNCEMENTS:
            start = today + datetime.timedelta(days=starts_in)
            CohortFactory(
                course=courses[trade],
                centre=centres[centre],
                start_date=start,
                end_date=start + datetime.timedelta(days=length),
                capacity=seats,
            )
        CohortFactory(course=courses["tailoring"], centre=centres["lucknow"], status=Cohort.Status.RUNNING)
    seed_employers(today)
    return seed_site()
