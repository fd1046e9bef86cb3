"""Builders for tests: factory_boy for tracker models, wagtail_factories for pages."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from skills.models import Centre, Trade
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


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Image {n}")


class NewsPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"News item {n}")
    intro = "What happened at the centre."
    date = factory.Sequence(lambda n: timezone.localdate() - datetime.timedelta(days=n))
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
