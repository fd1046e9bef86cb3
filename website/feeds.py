from django.contrib.syndication.views import Feed
from django.utils.translation import gettext as _

from core.feeds import PlainTextRssFeed


class NewsFeed(Feed):
    """RSS for one language's news index."""

    feed_type = PlainTextRssFeed  # titles as plain text, descriptions escaped (core/feeds.py)

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page
        self.language = index_page.locale.language_code

    def title(self):
        return _("Sakhi news")

    def link(self):
        return self.index_page.url

    def description(self):
        return self.index_page.intro or _("News from the Sakhi training centres")

    def items(self):
        return self.index_page.news()[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at
