"""What the public website may show of the outcome figures: placements.outcomes, with small counts hidden.

The figures are those of placements.outcomes.figures, never computed again here. Two groups are
published, each a total and its parts:
- women trained, and the women who completed a course in each trade (a woman may complete more
  than one trade, so the trades add up to at least the total, and not always to it exactly);
- women in paying work (of those trained), and its two parts: salaried and self-employed.
The placement rate and the average income are not published: beside hidden counts, a rate would
give one back (rate × trained).

suppress() hides counts by these rules (docs/outcomes.md, "Public figures and small counts"):
1. A total from 1 to 4 reads "fewer than 5", and so does each of its parts, zeros included (true
   of zero too); the trades are then not listed at all.
2. Otherwise a group with no part from 1 to 4 is shown whole, zeros included.
3. A group with parts from 1 to 4 shows its total, and each of those parts reads "fewer than 5".
   So that none can be worked out by subtraction, one more part is hidden: the first part of 5
   or more in the group's order (which never depends on the counts), reading "not shown". That
   is all, provided the hidden parts add up to at least 8 more than the number of small parts
   (the total less the parts still shown, which anyone can work out).
4. Otherwise, none of the group's parts is shown: they all read "not shown", and the trades are
   not listed.
Rule 3 leaves each small part two values at least (1 or 2, the rest in the part not shown) and
the part not shown two (the small parts all 1, or one of them 2). Its margin of 8 also gives each
breakdown that rule 4 hides a double: 4 + 4 = 8 is published like 1 + 7.

Every choice the rules make depends only on what is published: where the small counts are, the
counts shown and the totals. So a reader who knows the rules learns nothing more from them, unlike
the usual "hide the next smallest part, again until nothing can be worked out", whose choice says
that the hidden part is the smallest and whose repeats say that the hidden parts once added up to
a sum that pinned them. tests/placements/test_public_figures.py checks the guarantee by trying
every breakdown that would be published alike. Totals are always shown, except one from 1 to 4,
so the tie between the two groups (in paying work is at most trained) cannot pin a hidden count.

Not covered: figures in other blocks, for another scope or period. A district's figures beside
all but one of its centres' figures give the last by subtraction; so do "since 2016" and "since
2017" side by side. Editors should not place such blocks together (docs/outcomes.md).

Figures are cached per scope, period and report date, under a generation token (core/generations.py)
that invalidate_public_figures() replaces whenever the tracker's data changes (placements.apps
connects it to the models' signals; bulk writes call it themselves)."""

import datetime
import enum
import hashlib
from dataclasses import dataclass

from django.dispatch import Signal
from django.utils import timezone

from core import generations
from core.formats import indian_number
from skills.models import Centre, Trade, in_active_language

from .outcomes import Period, Scope, figures

__all__ = [
    "Hidden",
    "Period",
    "PublicFigures",
    "Scope",
    "figures_invalidated",
    "invalidate_public_figures",
    "public_impact",
    "suppress",
]

SMALL_BELOW = 5  # counts from 1 to SMALL_BELOW - 1 are never published
HIDDEN_MARGIN = 8  # rule 3: the hidden parts add up to at least this more than the small ones
CACHE_PREFIX = "sakhi:public-figures:v1"
TRACKER = generations.Generation(f"{CACHE_PREFIX}:generation")
# A backstop, not the way figures refresh: with a cache per process (Django's default), a change
# clears only the cache of the process that saw it; the others catch up within this time.
CACHE_TIMEOUT = 15 * 60


class Hidden(enum.Enum):
    SMALL = "small"  # "fewer than 5": 1 to 4 (0 to 4 under a total of 1 to 4)
    WITHHELD = "withheld"  # "not shown", so that a count from 1 to 4 cannot be worked out


def is_small(count):
    return 1 <= count < SMALL_BELOW


def suppress(total, parts):
    """(shown total, {part: shown count}) for a total and its parts: each an int or a Hidden.

    The parts come in an order that does not depend on their counts, and add up to the total or,
    when they overlap (trades), to more. The rules are in the module's docstring."""
    if is_small(total):
        return Hidden.SMALL, dict.fromkeys(parts, Hidden.SMALL)
    small = [key for key, count in parts.items() if is_small(count)]
    if not small:
        return total, dict(parts)
    large = [key for key, count in parts.items() if count >= SMALL_BELOW]
    if large:
        withheld = large[0]
        shown = {key: count for key, count in parts.items() if key != withheld and key not in small}
        if total - sum(shown.values()) >= len(small) + HIDDEN_MARGIN:
            hidden = dict.fromkeys(small, Hidden.SMALL) | {withheld: Hidden.WITHHELD}
            return total, {key: hidden.get(key, count) for key, count in parts.items()}
    return total, dict.fromkeys(parts, Hidden.WITHHELD)


@dataclass(frozen=True)
class Figure:
    """One published count: a number, or hidden."""

    value: int | Hidden

    @property
    def is_small(self):
        return self.value is Hidden.SMALL

    @property
    def is_withheld(self):
        return self.value is Hidden.WITHHELD

    @property
    def is_hidden(self):
        return isinstance(self.value, Hidden)

    @property
    def display(self):
        """The number with Indian digit grouping (1,23,456), as Indian public reports write it."""
        return indian_number(self.value)


@dataclass(frozen=True)
class TradeFigure:
    slug: str
    name: str
    name_hi: str
    women: Figure

    @property
    def localized_name(self):
        return in_active_language(self.name, self.name_hi)


@dataclass(frozen=True)
class PublicFigures:
    """The figures of one scope and period as the public website shows them."""

    found: bool  # whether the scope names any centre
    place: str  # the centre, district or state in English; "" for all centres
    place_hi: str
    start: datetime.date
    report_date: datetime.date
    trained: Figure
    in_paying_work: Figure
    salaried: Figure
    self_employed: Figure
    by_trade: tuple[TradeFigure, ...]
    trades_hidden: bool  # the women by trade are not shown at all (rules 1 and 4)

    @property
    def localized_place(self):
        return in_active_language(self.place, self.place_hi)

    @property
    def has_hidden(self):
        counts = [self.trained, self.in_paying_work, self.salaried, self.self_employed]
        counts += [trade.women for trade in self.by_trade]
        return self.trades_hidden or any(count.is_hidden for count in counts)


def since(year):
    """From the start of a year to today."""
    return Period.years(year, max(year, timezone.localdate().year))


def compute_public_impact(scope, period):
    place = place_names(scope)
    result = figures(scope, period)
    trades_in_order = dict(sorted(result.completed_by_trade.items()))  # by slug, not by count
    trained, by_trade = suppress(result.trained, trades_in_order)
    in_paying_work, split = suppress(
        result.in_paying_work, {"salaried": result.salaried, "self_employed": result.self_employed}
    )
    trades = ()
    if trained is not Hidden.SMALL and any(count is not Hidden.WITHHELD for count in by_trade.values()):
        names = (
            Trade.objects.filter(slug__in=by_trade).order_by("name").values_list("slug", "name", "name_hi")
        )
        trades = tuple(
            TradeFigure(slug, name, name_hi, Figure(by_trade[slug])) for slug, name, name_hi in names
        )
    return PublicFigures(
        found=place is not None,
        place=place[0] if place else "",
        place_hi=place[1] if place else "",
        start=period.start,
        report_date=period.report_date,
        trained=Figure(trained),
        in_paying_work=Figure(in_paying_work),
        salaried=Figure(split["salaried"]),
        self_employed=Figure(split["self_employed"]),
        by_trade=trades,
        trades_hidden=bool(by_trade) and not trades,
    )


def place_names(scope):
    """(English, Hindi) name of the scope's centre, district or state; None if it has no centre."""
    fields = ("name", "name_hi")
    if scope.district:
        fields = ("district", "district_hi")
    if scope.state:
        fields = ("state", "state_hi")
    row = scope.centres().values_list(*fields).first()
    if row is None:
        return None
    return row if scope.centre or scope.district or scope.state else ("", "")


def public_impact(scope, period):
    """PublicFigures for a scope and period, from the cache while the tracker's data is unchanged."""
    which = hashlib.sha256(repr(scope).encode()).hexdigest()[:16]
    return generations.cached(
        TRACKER,
        CACHE_PREFIX,
        which,
        lambda: compute_public_impact(scope, period),
        period.start,
        period.end,
        period.report_date,
        timeout=CACHE_TIMEOUT,
    )


# Sent by invalidate_public_figures(), after the figures' own renewal on commit is arranged: the
# website purges the pages that show them (website/page_cache.py), once they would read fresh figures.
figures_invalidated = Signal()


def invalidate_public_figures():
    """Make every cached figure stale: now, and again when the current transaction commits, so that a
    page rendered in between, before the change could be seen, is not kept either."""
    TRACKER.invalidate()
    figures_invalidated.send(sender=invalidate_public_figures)


def tracker_changed(sender, **kwargs):
    """Signal receiver for the records the figures count (placements.apps connects it)."""
    invalidate_public_figures()


def import_logged(sender, instance, created, **kwargs):
    """The historical import writes with bulk_create, which sends no signals; it logs each centre."""
    if created and instance.action == "sakhi.import":
        invalidate_public_figures()


def cached(name, build, *parts):
    """build(), kept while the tracker's data is unchanged, and read once a request: the figures' own
    token keeps the lists of centres, districts and trades that public pages show (their filters,
    the impact block's choices)."""
    return generations.cached(TRACKER, CACHE_PREFIX, f"list:{name}", build, *parts, timeout=CACHE_TIMEOUT)


# The impact block's choices. Wagtail reads them to load every page with the block (ChoiceBlock's
# to_python), so they come from the cache, under a token of their own that only a change to a centre
# replaces (centres_changed, connected in PlacementsConfig.ready): an enrolment or an outcome, which makes the
# figures stale, leaves the list of centres as it was.
CENTRES = generations.Generation(f"{CACHE_PREFIX}:centres")


def centres_changed(sender, **kwargs):
    CENTRES.invalidate()


def centre_list(name, build):
    return generations.cached(CENTRES, CACHE_PREFIX, f"list:{name}", build, timeout=CACHE_TIMEOUT)


def centre_choices():
    return centre_list(
        "centre-choices", lambda: list(Centre.objects.order_by("name").values_list("slug", "name"))
    )


def district_choices():
    def build():
        districts = Centre.objects.order_by("district").values_list("district", flat=True).distinct()
        return [(district, district) for district in districts]

    return centre_list("district-choices", build)


def state_choices():
    def build():
        states = Centre.objects.order_by("state").values_list("state", flat=True).distinct()
        return [(state, state) for state in states]

    return centre_list("state-choices", build)
