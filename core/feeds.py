"""RSS that feed readers cannot mistake for markup.

Titles and descriptions in RSS are read as HTML by many readers, and ours are typed by people
(employers type vacancy titles and organisation names): `<img src=x onerror=…>` in a title would
run in the reader. So every feed sends titles and categories as plain text (tags and angle
brackets removed) and descriptions as escaped text (shown as typed, never interpreted), and
neither carries control characters, which XML cannot hold."""

from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape, strip_tags

from .text import clean_text


def plain_text(value):
    """One line of text with no markup left in it for a reader to render."""
    if value is None:
        return value
    text = strip_tags(clean_text(str(value), multiline=False))
    return text.replace("<", "").replace(">", "").strip()


def escaped_text(value):
    """Text a reader shows as typed: `<` arrives as `&lt;` and is displayed, not parsed."""
    if value is None:
        return value
    return escape(clean_text(str(value)))


class PlainTextRssFeed(Rss201rev2Feed):
    """Set as a Feed's `feed_type`: cleans the feed's and each item's texts, whatever the Feed
    class hands over."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed.update(
            title=plain_text(self.feed["title"]),
            description=escaped_text(self.feed["description"]),
            categories=[plain_text(category) for category in self.feed["categories"]],
        )

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        item = self.items[-1]
        item.update(
            title=plain_text(item["title"]),
            description=escaped_text(item["description"]),
            categories=[plain_text(category) for category in item["categories"] or ()],
        )
