"""Demo training history for the centres, since 2016, that reproduces the figures OSC Lucknow
reports publicly (DESIGN.md): 1,142 distinct women trained since 2016; in 2024, completions of
60 tailoring, 30 jute handiwork and 20 retail marketing trainees, and cohorts under way for more
tailoring, beauty and wellness, tie-and-dye, hotel management and food processing.

Deterministic (a seeded generator) and idempotent: a centre that already has trainees is left alone.
All names are invented combinations of common first names and surnames."""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from .models import AttendanceMark, Centre, Cohort, CohortSession, Course, Enrolment, Trade, Trainee

FIRST_NAMES = [
    ("Asha", "आशा"),
    ("Sunita", "सुनीता"),
    ("Rekha", "रेखा"),
    ("Pooja", "पूजा"),
    ("Anita", "अनीता"),
    ("Geeta", "गीता"),
    ("Kavita", "कविता"),
    ("Meena", "मीना"),
    ("Neha", "नेहा"),
    ("Priya", "प्रिया"),
    ("Rani", "रानी"),
    ("Savitri", "सावित्री"),
    ("Shabana", "शबाना"),
    ("Farzana", "फ़रज़ाना"),
    ("Lakshmi", "लक्ष्मी"),
    ("Radha", "राधा"),
    ("Seema", "सीमा"),
    ("Usha", "उषा"),
    ("Nirmala", "निर्मला"),
    ("Kiran", "किरण"),
    ("Sangeeta", "संगीता"),
    ("Pushpa", "पुष्पा"),
    ("Rubina", "रुबीना"),
    ("Preeti", "प्रीति"),
    ("Kshama", "क्षमा"),
    ("Tripti", "तृप्ति"),
    ("Shanti", "शांति"),
    ("Nazia", "नाज़िया"),
]
SURNAMES = [
    ("Devi", "देवी"),
    ("Kumari", "कुमारी"),
    ("Yadav", "यादव"),
    ("Verma", "वर्मा"),
    ("Khatoon", "ख़ातून"),
    ("Singh", "सिंह"),
    ("Gupta", "गुप्ता"),
    ("Prasad", "प्रसाद"),
    ("Paswan", "पासवान"),
    ("Maurya", "मौर्य"),
    ("Ansari", "अंसारी"),
    ("Nishad", "निषाद"),
    ("Mishra", "मिश्रा"),
    ("Rawat", "रावत"),
]
LADAKHI_NAMES = [("Tsering", "छेरिंग"), ("Dolma", "डोलमा"), ("Padma", "पद्मा"), ("Yangchen", "यांगचेन")]
LADAKHI_SURNAMES = [("Angmo", "आंगमो"), ("Lhamo", "ल्हामो"), ("Dolkar", "डोलकर")]

COURSES = {
    # trade slug: (title, Hindi title, days, hours)
    "tailoring": ("Tailoring and dress making", "सिलाई और पोशाक निर्माण", 90, 270),
    "jute-handiwork": ("Jute handiwork", "जूट हस्तशिल्प", 60, 180),
    "retail-marketing": ("Retail marketing", "खुदरा विपणन", 45, 150),
    "beauty-and-wellness": ("Beauty and wellness", "सौंदर्य एवं कल्याण", 75, 225),
    "tie-and-dye": ("Tie-and-dye", "बांधनी", 30, 90),
    "hotel-management": ("Hotel management: front office and housekeeping", "होटल प्रबंधन", 120, 360),
    "food-processing": ("Food processing and preservation", "खाद्य प्रसंस्करण", 60, 180),
}
TRADE_CYCLE = list(COURSES)


@dataclass
class CohortPlan:
    trade: str
    start: datetime.date
    end: datetime.date
    completions: int
    status: str = Cohort.Status.COMPLETED
    dropouts: int = 1
    not_passed: int = 1
    enrolled: int = 0  # still in training (running or open cohorts)
    repeaters: int = 0  # of the completions, women who had completed an earlier course
    with_attendance: bool = False


def lucknow_plan(today):
    """The Lucknow cohorts. Completions: 782 (2016-2023) + 110 (2024) + 262 (2025-26), of which 12
    are second courses of women already counted: 1,142 distinct women trained."""
    plans = []
    yearly = {2016: 64, 2017: 92, 2018: 110, 2019: 118, 2020: 58, 2021: 86, 2022: 124, 2023: 130}
    trade_index = 0
    for year, total in yearly.items():
        size, month = 26, 1
        while total > 0:
            n = min(size, total)
            trade = TRADE_CYCLE[trade_index % len(TRADE_CYCLE)]
            trade_index += 1
            length = datetime.timedelta(days=COURSES[trade][2])
            start = min(
                datetime.date(year, month, 5), datetime.date(year, 12, 20) - length
            )  # ends within the year
            plans.append(CohortPlan(trade, start, start + length, n))
            total -= n
            month = month % 9 + 2
    d = datetime.date
    plans += [
        # 2024: 60 tailoring, 30 jute handiwork, 20 retail marketing completed in the year.
        CohortPlan("tailoring", d(2024, 1, 8), d(2024, 4, 6), 30, dropouts=2, with_attendance=True),
        CohortPlan("jute-handiwork", d(2024, 2, 5), d(2024, 4, 5), 30, dropouts=1, with_attendance=True),
        CohortPlan("tailoring", d(2024, 7, 1), d(2024, 9, 28), 30, dropouts=3, with_attendance=True),
        CohortPlan("retail-marketing", d(2024, 8, 5), d(2024, 9, 18), 20, dropouts=2, with_attendance=True),
        # Under way in 2024, completed in 2025.
        CohortPlan("tailoring", d(2024, 10, 7), d(2025, 1, 4), 25, with_attendance=True),
        CohortPlan("hotel-management", d(2024, 9, 2), d(2025, 1, 15), 15, with_attendance=True),
        CohortPlan("beauty-and-wellness", d(2024, 11, 4), d(2025, 1, 17), 20, with_attendance=True),
        CohortPlan("tie-and-dye", d(2024, 12, 2), d(2025, 1, 10), 20, with_attendance=True),
        CohortPlan("food-processing", d(2024, 11, 18), d(2025, 1, 31), 20, with_attendance=True),
        # 2025 and 2026.
        CohortPlan("tailoring", d(2025, 3, 3), d(2025, 5, 31), 28, repeaters=4),
        CohortPlan("jute-handiwork", d(2025, 7, 7), d(2025, 9, 5), 22, repeaters=3),
        CohortPlan("beauty-and-wellness", d(2026, 1, 12), d(2026, 3, 27), 25, repeaters=3),
        CohortPlan("retail-marketing", d(2026, 2, 2), d(2026, 3, 18), 30),
        CohortPlan("tailoring", d(2026, 4, 6), d(2026, 7, 4), 30, repeaters=2),
        CohortPlan("food-processing", d(2026, 7, 6), d(2026, 9, 4), 27),
        # Still in training today, and one open for enrolment.
        CohortPlan(
            "tailoring",
            today - datetime.timedelta(days=30),
            today + datetime.timedelta(days=60),
            0,
            status=Cohort.Status.RUNNING,
            dropouts=1,
            not_passed=0,
            enrolled=24,
            with_attendance=True,
        ),
        CohortPlan(
            "hotel-management",
            today + datetime.timedelta(days=35),
            today + datetime.timedelta(days=155),
            0,
            status=Cohort.Status.OPEN,
            dropouts=0,
            not_passed=0,
            enrolled=8,
        ),
        CohortPlan(
            "tailoring",
            today + datetime.timedelta(days=14),
            today + datetime.timedelta(days=104),
            0,
            status=Cohort.Status.OPEN,
            dropouts=0,
            not_passed=0,
            enrolled=12,
        ),
        CohortPlan(
            "jute-handiwork",
            today + datetime.timedelta(days=21),
            today + datetime.timedelta(days=81),
            0,
            status=Cohort.Status.PLANNED,
            dropouts=0,
            not_passed=0,
            enrolled=0,
        ),
    ]
    return plans


def small_plan(today, seed, trades):
    """A smaller history for the other centres: a few cohorts a year since the centre opened."""
    rng = random.Random(seed)
    plans = []
    for year in range(2018, today.year):
        trade = rng.choice(trades)
        start = datetime.date(year, rng.randint(1, 8), 1)
        plans.append(
            CohortPlan(trade, start, start + datetime.timedelta(days=COURSES[trade][2]), rng.randint(8, 18))
        )
    trade = trades[0]
    plans.append(
        CohortPlan(
            trade,
            today + datetime.timedelta(days=10),
            today + datetime.timedelta(days=10 + COURSES[trade][2]),
            0,
            status=Cohort.Status.OPEN,
            dropouts=0,
            not_passed=0,
            enrolled=rng.randint(5, 15),
        )
    )
    return plans


class HistoryBuilder:
    def __init__(self, centre, seed):
        self.centre = centre
        self.rng = random.Random(seed)
        self.serial = 0
        self.completers = []  # trainees who completed, for repeat enrolments
        ladakh = centre.state == "Ladakh"
        self.first_names = LADAKHI_NAMES if ladakh else FIRST_NAMES
        self.surnames = LADAKHI_SURNAMES if ladakh else SURNAMES

    def new_trainee(self, enrolled_on):
        self.serial += 1
        (first, first_hi), (last, last_hi) = self.rng.choice(self.first_names), self.rng.choice(self.surnames)
        age = self.rng.randint(18, 45)
        born = enrolled_on - datetime.timedelta(days=age * 365 + self.rng.randint(30, 330))
        consents = self.rng.random() < 0.75
        stamp = timezone.make_aware(datetime.datetime.combine(enrolled_on, datetime.time(11)))
        return Trainee(
            centre=self.centre,
            register_number=f"{self.centre.code}-{enrolled_on.year}-{self.serial:04d}",
            full_name=f"{first} {last}",
            name_hi=f"{first_hi} {last_hi}",
            date_of_birth=born,
            district=self.centre.district,
            education=self.rng.choice(Trainee.Education.values),
            referred_by=self.rng.choice(Trainee.Referral.values),
            consent_share_with_employers=consents,
            consent_share_recorded_at=stamp if consents else None,
            consent_follow_up=consents or self.rng.random() < 0.5,
            consent_follow_up_recorded_at=stamp,
        )

    def build(self, plans, courses):
        for plan in plans:
            course = courses[plan.trade]
            capacity = max(30, plan.completions + plan.not_passed + plan.enrolled)
            cohort = Cohort.objects.create(
                course=course,
                centre=self.centre,
                start_date=plan.start,
                end_date=plan.end,
                capacity=capacity,
                status=plan.status,
                schedule="Mon–Fri, 10:00–13:00",
                venue=f"{self.centre.district} centre training hall",
                trainer="Centre trainer",
                funding="Mission Shakti",
            )
            enrolled_on = plan.start - datetime.timedelta(days=7)
            repeaters = [
                self.completers.pop(self.rng.randrange(len(self.completers))) for _ in range(plan.repeaters)
            ]
            fresh = plan.completions - len(repeaters) + plan.dropouts + plan.not_passed + plan.enrolled
            trainees = Trainee.objects.bulk_create([self.new_trainee(enrolled_on) for _ in range(fresh)])
            people = repeaters + trainees
            statuses = (
                [Enrolment.Status.COMPLETED] * plan.completions
                + [Enrolment.Status.DROPPED] * plan.dropouts
                + [Enrolment.Status.NOT_PASSED] * plan.not_passed
                + [Enrolment.Status.ENROLLED] * plan.enrolled
            )
            enrolments = []
            for trainee, status in zip(people, statuses, strict=True):
                enrolments.append(
                    Enrolment(
                        trainee=trainee,
                        cohort=cohort,
                        status=status,
                        enrolled_on=enrolled_on,
                        completed_on=plan.end if status == Enrolment.Status.COMPLETED else None,
                        dropped_on=plan.start + datetime.timedelta(days=20)
                        if status == Enrolment.Status.DROPPED
                        else None,
                        dropout_reason="Moved away with family" if status == Enrolment.Status.DROPPED else "",
                        assessment_result=self.rng.choice(["A", "B", "B", "C"])
                        if status == Enrolment.Status.COMPLETED
                        else "",
                    )
                )
                if status == Enrolment.Status.COMPLETED and trainee not in repeaters:
                    self.completers.append(trainee)
            Enrolment.objects.bulk_create(enrolments)
            Cohort.objects.filter(pk=cohort.pk).update(seats_taken=len(enrolments) - plan.dropouts)
            if plan.with_attendance:
                self.take_attendance(cohort, Enrolment.objects.filter(cohort=cohort))

    def take_attendance(self, cohort, enrolments):
        """Registers for every weekday taught so far; completers attend at least 85% of days."""
        last_day = min(cohort.end_date, timezone.localdate())
        days = [
            cohort.start_date + datetime.timedelta(days=n)
            for n in range((last_day - cohort.start_date).days + 1)
            if (cohort.start_date + datetime.timedelta(days=n)).weekday() < 5
        ][::2]  # every other weekday keeps the demo database small
        sessions = CohortSession.objects.bulk_create(CohortSession(cohort=cohort, date=day) for day in days)
        marks = []
        for enrolment in enrolments:
            rate = {Enrolment.Status.COMPLETED: 0.93, Enrolment.Status.NOT_PASSED: 0.6}.get(
                enrolment.status, 0.85
            )
            for session in sessions:
                if enrolment.dropped_on and session.date > enrolment.dropped_on:
                    continue
                present = self.rng.random() < rate
                marks.append(AttendanceMark(session=session, enrolment=enrolment, present=present))
        AttendanceMark.objects.bulk_create(marks, batch_size=2000)


def seed_tracker(today=None):
    """Courses for the seven trades and each demo centre's history, where it has none yet."""
    today = today or timezone.localdate()
    trades = {trade.slug: trade for trade in Trade.objects.all()}
    courses = {}
    for slug, (title, title_hi, days, hours) in COURSES.items():
        courses[slug], _ = Course.objects.get_or_create(
            trade=trades[slug],
            title=title,
            defaults={"title_hi": title_hi, "duration_days": days, "hours": hours},
        )
    plans = {
        "lucknow": lucknow_plan(today),
        "patna-1": small_plan(today, 1, ["retail-marketing", "tailoring", "beauty-and-wellness"]),
        "patna-2": small_plan(today, 2, ["tie-and-dye", "tailoring"]),
        "buxar": small_plan(today, 3, ["beauty-and-wellness", "jute-handiwork"]),
        "leh": small_plan(today, 4, ["food-processing", "tailoring"]),
    }
    for slug, centre_plans in plans.items():
        centre = Centre.objects.get(slug=slug)
        if centre.trainees.exists():
            continue
        with transaction.atomic():
            HistoryBuilder(centre, seed=f"sakhi-{slug}").build(centre_plans, courses)


def trained_count(centre):
    """Distinct women with a completed enrolment at the centre (for the demo's own check)."""
    return (
        Trainee.objects.filter(centre=centre)
        .annotate(completions=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.COMPLETED)))
        .filter(completions__gt=0)
        .count()
    )


def seed_certificates():
    """Certificates for the completed Lucknow cohorts that took attendance, issued a week after
    each cohort ended. Enrolments already holding a valid certificate are left alone."""
    from .certificates import issue_for_cohort

    cohorts = Cohort.objects.filter(
        centre__slug="lucknow", status=Cohort.Status.COMPLETED, sessions__isnull=False
    ).distinct()
    for cohort in cohorts.order_by("end_date", "pk"):
        issue_for_cohort(cohort, on=cohort.end_date + datetime.timedelta(days=7))
