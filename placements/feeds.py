from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from core.feeds import PlainTextRssFeed
from core.formats import monthly_pay_range

from .filters import on_the_board, with_display_text

FEED_LENGTH = 50


class VacancyFeed(Feed):
    """RSS of the vacancies open now, newest first. Served at /vacancies/feed/ and /hi/vacancies/feed/:
    the feed's language (left unset) is the request's, and its links stay in that language."""

    feed_type = PlainTextRssFeed  # titles as plain text, descriptions escaped (core/feeds.py)

    def title(self):
        return _("Sakhi vacancies")

    def link(self):
        return reverse("vacancy_board")

    def description(self):
        return _(
            "Jobs for women trained at the Sakhi centres. To apply, ask at your nearest centre or call 181."
        )

    def items(self):
        return with_display_text(
            list(on_the_board().order_by(F("published_at").desc(nulls_last=True), "-pk")[:FEED_LENGTH])
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return _("%(organisation)s, %(district)s. %(pay)s. Closes on %(closing)s.") % {
            "organisation": item.employer.organisation,
            "district": item.district_name,
            "pay": monthly_pay_range(item.pay_min, item.pay_max),
            "closing": formats.date_format(item.closing_date, "j F Y"),
        }

    def item_pubdate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [trade.localized_name for trade in item.trades.all()]
