"""What other apps (the website, placements) may read from the tracker.

Only aggregate or non-personal data leaves through here: cohorts, courses, trades, centres."""

from django.db.models.functions import TruncMonth

from .models import Centre, Cohort, Trade


def open_cohorts():
    """Cohorts the public may join: planned or open, not yet ended, soonest first."""
    return (
        Cohort.objects.upcoming_or_open()
        .select_related("course__trade", "centre")
        .order_by("start_date", "pk")
    )


def announceable_cohorts():
    """Cohorts an editor may link from a course announcement."""
    return Cohort.objects.open_for_enrolment().select_related("course", "centre").order_by("start_date", "pk")


def trades():
    return Trade.objects.order_by("name")


def districts():
    return Centre.objects.active().order_by("district").values_list("district", flat=True).distinct()


def centre_district_names():
    """{district: Hindi spelling} for the active centres."""
    return dict(Centre.objects.active().values_list("district", "district_hi"))


def open_cohort_months():
    return (
        open_cohorts()
        .annotate(month=TruncMonth("start_date"))
        .order_by("month")
        .values_list("month", flat=True)
        .distinct()
    )
