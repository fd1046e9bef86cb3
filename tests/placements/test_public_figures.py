"""Public impact figures: no count from 1 to 4 is published and none can be worked out by subtraction;
the figures are cached and refreshed when the tracker's data changes; the block shows them on the
home page and on centre pages in English and Hindi.

The figures are those of histories built here and counted by hand (tests/placements/builders.py),
or, for Lucknow's home page, counted straight from the tracker, whichever data the session seeded."""

import collections
import datetime
import itertools
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import Locale

from core import changes
from core.formats import indian_number
from placements import public_figures, services
from placements.models import FollowUp, Placement, SelfEmployment
from placements.public_figures import (
    Hidden,
    Period,
    Scope,
    invalidate_public_figures,
    public_impact,
    since,
    suppress,
)
from skills.demo import CENTRES
from skills.importer import import_records
from skills.models import Centre, Cohort, Course, Enrolment, Trainee
from tests.conftest import rolled_back_afterwards
from tests.factories import CentreFactory
from website.blocks import ImpactFiguresBlock
from website.demo.site import seed_site
from website.models import CentrePage, HomePage

from . import builders
from . import reference_outcomes as reference
from .builders import Women

SMALL, WITHHELD = Hidden.SMALL, Hidden.WITHHELD
SAMPLE_IMPORT = Path(__file__).resolve().parents[2] / "docs" / "samples" / "import_sample.csv"


@pytest.fixture(scope="module")
def centres(django_db_setup, django_db_blocker):
    """Figuregarh and Figurenagar (builders.py) and Chhotagaon, whose 7 women trained in tailoring in
    March 2025 have no work yet; each with its centre page in English and Hindi."""
    with rolled_back_afterwards(django_db_blocker):
        chhotagaon = builders.figure_centre(
            "chhotagaon", "CHG", "Sakhi Centre, Chhotagaon", "सखी केंद्र, छोटागाँव", "Chhotagaon", "छोटागाँव"
        )
        builders.build_history(chhotagaon, [Women(7, (("tailoring", datetime.date(2025, 3, 1)),))])
        found = {
            centre.slug: centre for centre in (builders.figuregarh(), builders.figurenagar(), chhotagaon)
        }
        hindi = Locale.objects.get(language_code="hi")
        for centre in found.values():
            builders.centre_pages(centre, hindi)
        yield found


@pytest.fixture
def history(db, centres):
    return centres


@pytest.fixture(autouse=True)
def fresh_figures():
    # The cache outlives each test's rolled-back transaction: start and end on a new generation.
    public_figures.TRACKER.renew()
    yield
    public_figures.TRACKER.renew()


# suppress(), by hand


@pytest.mark.parametrize(
    ("total", "parts", "expected"),
    [
        # Nothing small: all shown, zeros too.
        (25, {"a": 5, "b": 20, "c": 0}, (25, {"a": 5, "b": 20, "c": 0})),
        (0, {"a": 0, "b": 0}, (0, {"a": 0, "b": 0})),
        # A small part would be 20 - 17: the first part of 5 or more goes too.
        (20, {"a": 3, "b": 17}, (20, {"a": SMALL, "b": WITHHELD})),
        (30, {"a": 0, "b": 2, "c": 3, "d": 25}, (30, {"a": 0, "b": SMALL, "c": SMALL, "d": WITHHELD})),
        # The first in the group's order, not the smallest: which part goes says nothing of counts.
        (40, {"a": 3, "b": 20, "c": 17}, (40, {"a": SMALL, "b": WITHHELD, "c": 17})),
        # The hidden parts add up to 8 more than the number of small ones, or more: enough.
        (9, {"a": 1, "b": 8}, (9, {"a": SMALL, "b": WITHHELD})),
        # Less (1 + 7 would give 1 and 7 again, beside what 4 + 4 gives): no part is shown.
        (8, {"a": 1, "b": 7}, (8, {"a": WITHHELD, "b": WITHHELD})),
        (8, {"a": 4, "b": 4}, (8, {"a": WITHHELD, "b": WITHHELD})),
        (12, {"a": 1, "b": 5, "c": 6}, (12, {"a": WITHHELD, "b": WITHHELD, "c": WITHHELD})),
        # A small total: nothing of it is shown, not even its zeros.
        (3, {"a": 1, "b": 2, "c": 0}, (SMALL, {"a": SMALL, "b": SMALL, "c": SMALL})),
    ],
)
def test_suppress_a_total_and_its_parts(total, parts, expected):
    assert suppress(total, parts) == expected


def test_trades_are_hidden_in_the_order_of_their_slugs(history):
    # Jute handiwork before tailoring, whatever their counts; the 37 may be women who also did tailoring.
    assert suppress(40, {"jute-handiwork": 37, "tailoring": 3}) == (
        40,
        {"jute-handiwork": WITHHELD, "tailoring": SMALL},
    )
    figures = public_figures.compute_public_impact(Scope(centre="figuregarh"), Period.year(2024))
    assert [trade.slug for trade in figures.by_trade] == ["jute-handiwork", "retail-marketing", "tailoring"]


# suppress(), by property: a reader who knows the rules tries every breakdown that would be
# published the same way. A count is safe when she is left with two values or more.


def exact_sums(ranges, total):
    """Every tuple of counts, one from each range, that adds up to total."""
    if not ranges:
        if total == 0:
            yield ()
        return
    first, rest = ranges[0], ranges[1:]
    room = sum(max(r) for r in rest)
    for count in first:
        if 0 <= total - count <= room:
            for tail in exact_sums(rest, total - count):
                yield (count, *tail)


def breakdowns(published, exact, lowest=0):
    """Every (total, counts) that suppress() publishes as published.

    exact: the parts add up to the total; otherwise to at least it (trades). No part exceeds the
    total; a listed trade is at least 1 (lowest)."""
    shown_total, shown = published
    keys = list(shown)
    found = []
    for total in range(1, 5) if shown_total is SMALL else [shown_total]:
        ranges = [
            [count]
            if isinstance(count, int)
            else range(lowest, min(total, 4 if count is SMALL else total) + 1)
            for count in shown.values()
        ]
        if exact:
            candidates = exact_sums(ranges, total)
        else:
            candidates = (counts for counts in itertools.product(*ranges) if sum(counts) >= total)
        for counts in candidates:
            if suppress(total, dict(zip(keys, counts, strict=True))) == published:
                found.append((total, counts))
    return found


def assert_published_honestly(total, parts):
    published = suppress(total, parts)
    shown_total, shown = published
    assert not [c for c in [shown_total, *shown.values()] if isinstance(c, int) and 1 <= c <= 4]
    assert all(count == parts[key] for key, count in shown.items() if isinstance(count, int))
    assert shown_total in (total, SMALL)
    return published


def assert_two_values_for_each_hidden_count(published, found):
    shown_total, shown = published
    for index, count in enumerate(shown.values()):
        if isinstance(count, Hidden):
            values = {counts[index] for _, counts in found}
            assert len(values) >= 2, f"part {index} can only be {values} in {published}"
    if shown_total is SMALL:
        assert len({total for total, _ in found}) >= 2


counts = st.one_of(st.integers(0, 6), st.integers(0, 15))
keys = st.sampled_from(["a", "b", "c", "d"])


@settings(max_examples=300, deadline=None, database=None)
@given(st.dictionaries(keys, counts, min_size=1, max_size=4))
def test_no_small_count_is_published_or_can_be_worked_out_when_the_parts_add_up(parts):
    total = sum(parts.values())
    published = assert_published_honestly(total, parts)
    found = breakdowns(published, exact=True)
    assert (total, tuple(parts.values())) in found
    assert_two_values_for_each_hidden_count(published, found)


@st.composite
def trades_and_trained(draw):
    """Women per trade, each at least 1; the women trained are between the largest trade and the
    sum of the trades (a woman may complete more than one)."""
    trades = draw(st.dictionaries(keys, st.integers(1, 9), min_size=1, max_size=3))
    trained = draw(st.integers(max(trades.values()), sum(trades.values())))
    return trained, dict(sorted(trades.items()))


@settings(max_examples=300, deadline=None, database=None)
@given(trades_and_trained())
def test_no_small_count_is_published_or_can_be_worked_out_from_trades(case):
    trained, trades = case
    published = assert_published_honestly(trained, trades)
    if published[0] is SMALL:
        return  # the trades are then not listed, and any number of them could make 1 to 4 women
    found = breakdowns(published, exact=False, lowest=1)
    assert (trained, tuple(trades.values())) in found
    assert_two_values_for_each_hidden_count(published, found)
    # She cannot tell whether any woman did two trades: reading that none did must not help either.
    if as_if_none_overlap := breakdowns(published, exact=True, lowest=1):
        assert_two_values_for_each_hidden_count(published, as_if_none_overlap)


@pytest.mark.parametrize(
    ("parts", "largest", "overlap"), [(2, 30, False), (3, 14, False), (2, 16, True), (3, 9, True)]
)
def test_every_small_breakdown_is_safe(parts, largest, overlap):
    """Exhaustively, up to a size: each hidden count has two values or more among the breakdowns
    published alike."""
    alike = collections.defaultdict(list)
    for counts in itertools.product(range(1 if overlap else 0, largest + 1), repeat=parts):
        for total in range(max(counts), sum(counts) + 1) if overlap else [sum(counts)]:
            shown_total, shown = suppress(total, dict(zip("abcd", counts, strict=False)))
            if not (overlap and shown_total is SMALL):  # trades under a small total are not listed
                alike[shown_total, tuple(shown.values())].append((total, counts))
    for (shown_total, shown), group in alike.items():
        if isinstance(shown_total, int) and shown_total > largest:
            continue  # breakdowns with a part above the largest tried may be published alike
        assert_two_values_for_each_hidden_count((shown_total, dict(enumerate(shown))), group)


@settings(max_examples=300, deadline=None, database=None)
@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 5000), min_size=1, max_size=7))
def test_large_figures_hide_only_what_the_rules_say(parts):
    total = sum(parts.values())
    shown_total, shown = suppress(total, parts)
    assert not [c for c in [shown_total, *shown.values()] if isinstance(c, int) and 1 <= c <= 4]
    small = [key for key, count in parts.items() if 1 <= count <= 4]
    withheld = [key for key, count in shown.items() if count is WITHHELD]
    if shown_total is SMALL or not small:
        assert not withheld
    elif len(withheld) < len(parts):  # rule 3: the first part of 5 or more, whatever the others
        assert withheld == [next(key for key, count in parts.items() if count >= 5)]


# The figures of histories counted by hand


def test_figuregarh_since_2016_and_in_2024_are_the_figures_counted_by_hand(history):
    figures = public_impact(Scope(centre="figuregarh"), since(2016))
    assert (figures.trained.value, figures.in_paying_work.value) == (49, 25)
    assert (figures.salaried.value, figures.self_employed.value) == (10, 15)
    assert figures.place == "Sakhi Centre, Figuregarh" and figures.place_hi == "सखी केंद्र, फ़िगरगढ़"
    assert figures.trained.display == "49"

    year = public_impact(Scope(centre="figuregarh"), Period.year(2024))
    assert (year.trained.value, year.self_employed.value, year.salaried.value) == (24, 9, 5)
    trades = {trade.slug: trade.women.value for trade in year.by_trade}
    assert trades == {"tailoring": 13, "jute-handiwork": 6, "retail-marketing": 6}
    assert year.report_date == datetime.date(2024, 12, 31)
    assert not year.has_hidden


def test_a_state_adds_up_its_centres_with_thousands_grouped(history):
    figures = public_impact(Scope(state="Figure Pradesh"), since(2016))
    assert (figures.place, figures.place_hi) == ("Figure Pradesh", "फ़िगर प्रदेश")
    # Figuregarh 49 and 25, Figurenagar 1,200 and 700, Chhotagaon 7 and none.
    assert (figures.trained.display, figures.in_paying_work.display) == ("1,256", "725")
    assert public_impact(Scope(district="Figurenagar"), since(2016)).trained.display == "1,200"


def test_indian_digit_grouping():
    grouped = [public_figures.Figure(n).display for n in (0, 5, 999, 1142, 123456, 12345678)]
    assert grouped == ["0", "5", "999", "1,142", "1,23,456", "1,23,45,678"]


def test_a_scope_without_centres_is_not_found(db):
    assert not public_impact(Scope(district="Nowhere"), since(2016)).found
    everywhere = public_impact(Scope(), since(2016))
    assert everywhere.found and everywhere.place == ""


# The block on the pages


def impact_block(response):
    assert response.status_code == 200
    found = re.search(r'<section class="impact-figures">.*?</section>', response.content.decode(), re.S)
    assert found, "no impact figures block"
    return found.group(0)


def figure(block, label):
    found = re.search(rf"<dt>{label}[^<]*</dt>\s*<dd>(.*?)</dd>", block, re.S)
    assert found, label
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


@pytest.fixture
def lucknow_history(db):
    """Lucknow, whose figures the home page shows, with the women of the Figuregarh plan added to
    whatever history the session seeded; the figures expected, counted straight from the tracker."""
    builders.build_history(Centre.objects.get(slug="lucknow"), builders.FIGUREGARH)
    return reference.figures(Scope(centre="lucknow"), since(2016))


def test_the_home_page_shows_lucknow_in_english(client, lucknow_history):
    block = impact_block(client.get("/"))
    assert "Sakhi One Stop Centre, Lucknow" in block
    assert "since 2016" in block
    assert figure(block, "Women trained") == indian_number(lucknow_history.trained)
    assert figure(block, "Of them, in paying work on") == indian_number(lucknow_history.in_paying_work)
    assert "<caption>" in block and '<th scope="row">Tailoring</th>' in block


def test_the_hindi_home_page_shows_lucknow_in_hindi(client, lucknow_history):
    block = impact_block(client.get("/hi/"))
    assert "सखी वन स्टॉप सेंटर, लखनऊ" in block
    assert '<th scope="row">सिलाई</th>' in block  # tailoring
    numbers = re.findall(r"<dd>([\d,]+)</dd>", block)
    assert numbers[:2] == [
        indian_number(lucknow_history.trained),
        indian_number(lucknow_history.in_paying_work),
    ]


@pytest.mark.parametrize(
    ("slug", "trained"), [("figuregarh", "49"), ("figurenagar", "1,200"), ("chhotagaon", "7")]
)
def test_each_centre_page_shows_its_own_centre(client, history, slug, trained):
    centre = history[slug]
    for prefix, name in (("", centre.name), ("/hi", centre.name_hi)):
        block = impact_block(client.get(f"{prefix}/centres/{slug}/"))
        assert name in block
        assert f"<dd>{trained}</dd>" in block


@pytest.mark.parametrize("slug", [centre["slug"] for centre in CENTRES])
def test_each_site_centre_page_shows_its_own_centre(client, db, slug):
    figures = public_impact(Scope(centre=slug), since(2016))
    centre = Centre.objects.get(slug=slug)
    for prefix, name in (("", centre.name), ("/hi", centre.name_hi)):
        block = impact_block(client.get(f"{prefix}/centres/{slug}/"))
        assert name in block
        assert f"<dd>{figures.trained.display}</dd>" in block


def test_a_centre_with_small_counts_shows_fewer_than_5(client, history):
    assert figure(impact_block(client.get("/centres/chhotagaon/")), "Of them, in paying work on") == "0"
    woman = builders.trained_women(history["chhotagaon"]).first()
    start = timezone.localdate() - datetime.timedelta(days=30)
    services.record_outcome(
        Placement(
            trainee=woman,
            employer_name="Chhota Bakery",
            job_title="Baker",
            monthly_pay=9000,
            start_date=start,
        )
    )

    block = impact_block(client.get("/centres/chhotagaon/"))
    assert figure(block, "Women trained") == "7"
    assert figure(block, "Of them, in paying work on") == "fewer than 5"
    assert figure(block, "Salaried jobs") == "fewer than 5"
    assert figure(block, "Self-employed") == "fewer than 5"  # a zero beside a small total says too much
    assert "impact-figures-note" in block
    hindi = impact_block(client.get("/hi/centres/chhotagaon/"))
    assert hindi.count('<dd><span class="impact-figures-hidden">5 से कम</span></dd>') == 3


def completed_enrolment(centre_slug, completed_on, trade="tailoring"):
    centre = Centre.objects.get(slug=centre_slug)
    woman = Trainee.objects.create(
        centre=centre, full_name="Dolma Angmo", date_of_birth=datetime.date(1995, 5, 5)
    )
    start = completed_on - datetime.timedelta(days=60)
    cohort = Cohort.objects.create(
        course=Course.objects.filter(trade__slug=trade).first(),
        centre=centre,
        start_date=start,
        end_date=completed_on,
        capacity=30,
        seats_taken=1,
    )
    enrolment = Enrolment.objects.create(
        trainee=woman,
        cohort=cohort,
        status=Enrolment.Status.COMPLETED,
        enrolled_on=start,
        completed_on=completed_on,
    )
    changes.changed(changes.ENROLMENTS, [woman.pk])  # written past the services: say so
    return enrolment


def test_a_new_completion_changes_the_figure_on_the_next_page_load(client, history):
    assert figure(impact_block(client.get("/centres/chhotagaon/")), "Women trained") == "7"
    completed_enrolment("chhotagaon", timezone.localdate() - datetime.timedelta(days=1))
    assert figure(impact_block(client.get("/centres/chhotagaon/")), "Women trained") == "8"


@pytest.mark.parametrize(
    ("trades", "trained"),
    [(["tailoring", "tailoring"], "fewer than 5"), (["tailoring"] * 4 + ["jute-handiwork"] * 4, "8")],
)
def test_a_small_group_shows_no_breakdown_by_trade(db, trades, trained):
    CentreFactory(slug="chhota", code="CHH", district="Chhota", state="Testland")
    for trade in trades:
        completed_enrolment("chhota", datetime.date(2025, 3, 1), trade)
    figures = public_impact(Scope(centre="chhota"), since(2016))
    assert figures.by_trade == () and figures.trades_hidden
    html = ImpactFiguresBlock().render(block_value(centre="chhota"))
    assert figure(html, "Women trained") == trained
    assert "<table" not in html and "The numbers by trade are not shown" in html


# Caching


FIRST_RENDER_QUERIES = 10  # a fixed handful (7 today), however many centres, trades or women


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_block_is_flat_once_cached_and_bounded_at_first(client, history):
    url = "/centres/figuregarh/"
    client.get(url)  # warm the per-process caches and the figures
    warm = query_count(client, url)
    assert query_count(client, url) == warm
    invalidate_public_figures()
    cold = query_count(client, url)
    assert 0 < cold - warm <= FIRST_RENDER_QUERIES


def test_cached_figures_cost_no_query(db, django_assert_num_queries, django_assert_max_num_queries):
    with django_assert_max_num_queries(FIRST_RENDER_QUERIES):
        first = public_impact(Scope(state="Bihar"), since(2016))
    with django_assert_num_queries(0):
        assert public_impact(Scope(state="Bihar"), since(2016)) == first


def generation():
    return cache.get(public_figures.TRACKER.key)


def record_self_employment():
    start = timezone.localdate() - datetime.timedelta(days=10)
    return services.record_outcome(
        SelfEmployment(
            trainee=builders.trained_women(Centre.objects.get(slug="figuregarh")).first(),
            kind="Tiffin service",
            monthly_income=5000,
            start_date=start,
        )
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda: completed_enrolment("figuregarh", timezone.localdate()),
        lambda: Enrolment.objects.filter(cohort__centre__slug="chhotagaon").first().delete(),
        record_self_employment,
        lambda: Centre.objects.get(slug="figurenagar").save(),
    ],
    ids=["completion", "deleted enrolment", "self-employment", "centre"],
)
def test_a_change_to_the_tracker_refreshes_the_figures(history, change):
    cached = public_impact(Scope(state="Figure Pradesh"), since(2016))
    before = generation()
    change()
    assert generation() != before
    assert public_impact(Scope(state="Figure Pradesh"), since(2016)) is not cached


def test_a_follow_up_refreshes_the_figures(history):
    follow_up = record_self_employment().follow_ups.get(months=3)
    before = generation()
    services.record_follow_up(follow_up, result=FollowUp.Result.STILL_WORKING, monthly_income=5500)
    assert generation() != before


def test_the_figures_follow_a_change(history):
    scope, period = Scope(centre="figuregarh"), since(2016)
    assert public_impact(scope, period).trained.value == 49
    completed_enrolment("figuregarh", timezone.localdate())
    assert public_impact(scope, period).trained.value == 50


def trained_since_2016(centre_slug):
    """The women of a centre trained since 2016, counted straight from the enrolments."""
    return (
        Enrolment.objects.filter(
            trainee__centre__slug=centre_slug,
            status=Enrolment.Status.COMPLETED,
            completed_on__range=(datetime.date(2016, 1, 1), timezone.localdate()),
        )
        .values("trainee")
        .distinct()
        .count()
    )


def test_the_historical_import_refreshes_the_figures_though_it_writes_in_bulk(lucknow_history):
    trained = public_impact(Scope(centre="lucknow"), since(2016)).trained.value
    assert trained == trained_since_2016("lucknow")
    assert import_records(SAMPLE_IMPORT.read_bytes()).problems == []
    after = public_impact(Scope(centre="lucknow"), since(2016)).trained.value
    assert after == trained_since_2016("lucknow") > trained


def test_invalidation_repeats_when_the_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invalidate_public_figures()
        during = generation()
    assert public_figures.TRACKER.renew in callbacks
    assert generation() != during


def test_an_evicted_generation_starts_afresh(db):
    figures = public_impact(Scope(centre="buxar"), since(2016))
    cache.delete(public_figures.TRACKER.key)
    assert public_impact(Scope(centre="buxar"), since(2016)) is not figures


# The block itself


def block_value(**fields):
    value = {"heading": "", "scope": "centre", "centre": "lucknow", "period": "since", "since_year": 2016}
    return ImpactFiguresBlock().to_python({**value, **fields})


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"centre": ""}, "centre"),
        ({"scope": "district"}, "district"),
        ({"scope": "state"}, "state"),
        ({"since_year": None}, "since_year"),
        ({"since_year": timezone.localdate().year + 1}, "since_year"),
    ],
)
def test_the_block_asks_for_what_its_scope_and_period_need(db, fields, field_in_error):
    with pytest.raises(StructBlockValidationError) as error:
        ImpactFiguresBlock().clean(block_value(**fields))
    assert field_in_error in error.value.block_errors


def test_the_block_accepts_each_scope(db):
    block = ImpactFiguresBlock()
    for fields in [
        {},
        {"scope": "district", "district": "Patna"},
        {"scope": "state", "state": "Bihar"},
        {"scope": "all"},
    ]:
        block.clean(block_value(**fields))


def test_the_block_periods(db):
    year = timezone.localdate().year
    assert block_value(period="this_year").period() == Period.year(year)
    assert block_value(period="last_year").period() == Period.year(year - 1)
    assert block_value(since_year=2020).period().start == datetime.date(2020, 1, 1)


def test_the_block_renders_a_district_a_state_and_all_centres(db):
    block = ImpactFiguresBlock()
    patna = block.render(block_value(scope="district", district="Patna", heading="Patna district"))
    assert "<h2>Patna district</h2>" in patna and "<dl" in patna
    assert "Bihar" in block.render(block_value(scope="state", state="Bihar", period="last_year"))
    everywhere = block.render(block_value(scope="all"))
    assert "All centres" in everywhere and "<h2>Our impact</h2>" in everywhere


def test_the_block_renders_nothing_without_a_centre(db):
    block = ImpactFiguresBlock()
    assert block.render(block_value(centre="")).strip() == ""
    assert block.render(block_value(centre="closed-long-ago")).strip() == ""


# The site's pages


def test_the_site_pages_carry_the_block_and_seeding_the_site_again_changes_nothing(db, hindi):
    """The page tree that every seed builds (seed_site): Lucknow's figures on the home pages, each
    centre's on its page, in both languages."""
    for home in HomePage.objects.all():
        (block,) = home.body
        assert (block.block_type, block.value["centre"]) == ("impact_figures", "lucknow")
    for page in CentrePage.objects.select_related("centre"):
        (block,) = page.body
        assert (block.block_type, block.value["centre"]) == ("impact_figures", page.centre.slug)
    site_centres = [centre["slug"] for centre in CENTRES]
    assert CentrePage.objects.filter(locale=hindi, centre__slug__in=site_centres).count() == len(CENTRES)
    bodies = sorted((page.pk, page.body.raw_data[0]["value"]["centre"]) for page in CentrePage.objects.all())
    seed_site()
    assert (
        sorted((page.pk, page.body.raw_data[0]["value"]["centre"]) for page in CentrePage.objects.all())
        == bodies
    )
