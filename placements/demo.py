"""Demo employers, vacancies in every status, nominations in several states, and the outcomes
that reproduce what OSC Lucknow reports (DESIGN.md): of the women who finished training in 2024,
90 are self-employed and 12 in salaried jobs; of the 1,142 trained since 2016, 695 are in paying
work today. Deterministic and idempotent: no outcomes are added where outcomes already exist, and
employers, vacancies and nominations are each made once."""

import datetime
import random

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from skills.models import Centre, Enrolment, Trade, Trainee

from .models import (
    Employer,
    EmployerAccount,
    FollowUp,
    Nomination,
    Placement,
    SelfEmployment,
    Vacancy,
    months_after,
)

BUSINESSES = [
    ("Tailoring shop at home", 6500),
    ("Blouse and kurta stitching", 7000),
    ("Jute bag making", 5500),
    ("Small general store", 8000),
    ("Home beauty parlour", 7500),
    ("Pickle and papad making", 5000),
    ("Tiffin service", 6000),
]
JOBS = [
    ("Sewing machine operator", 11000),
    ("Sales associate", 10500),
    ("Housekeeping attendant", 12000),
    ("Front office assistant", 13000),
    ("Beautician", 11500),
]
EMPLOYERS = [
    # organisation, sector, district, contact, e-mail, status
    (
        "Awadh Garments Pvt Ltd",
        "Apparel",
        "Lucknow",
        "Rakesh Srivastava",
        "hr@awadh-garments.example",
        "approved",
    ),
    ("Gomti Retail Mart", "Retail", "Lucknow", "Neelam Kapoor", "jobs@gomti-retail.example", "approved"),
    (
        "Hotel Shan-e-Awadh",
        "Hospitality",
        "Lucknow",
        "Sameer Rizvi",
        "people@shan-e-awadh.example",
        "approved",
    ),
    (
        "Patliputra Handicrafts",
        "Handicrafts",
        "Patna",
        "Manoj Sinha",
        "contact@patliputra-crafts.example",
        "pending",
    ),
    ("Quickfix Staffing", "Staffing", "Patna", "Vikas Kumar", "info@quickfix-staffing.example", "suspended"),
]


def lucknow_trained():
    """{trainee id: first completion date} of the women Lucknow trained."""
    return dict(
        Enrolment.objects.filter(cohort__centre__slug="lucknow", status=Enrolment.Status.COMPLETED)
        .values("trainee_id")
        .annotate(first=Min("completed_on"))
        .values_list("trainee_id", "first")
    )


def seed_outcomes(today):
    lucknow = Centre.objects.get(slug="lucknow")
    if (
        Placement.objects.filter(trainee__centre=lucknow).exists()
        or SelfEmployment.objects.filter(trainee__centre=lucknow).exists()
    ):
        return
    rng = random.Random("sakhi-outcomes")
    trained = lucknow_trained()
    of_2024 = set(
        Enrolment.objects.filter(cohort__centre=lucknow)
        .completed_in(2024)
        .values_list("trainee_id", flat=True)
    )
    completed_on = dict(
        Enrolment.objects.filter(cohort__centre=lucknow, status=Enrolment.Status.COMPLETED)
        .order_by("completed_on")
        .values_list("trainee_id", "completed_on")
    )  # the latest completion wins: outcomes follow a woman's most recent course
    cohort_2024 = sorted(of_2024)
    others = sorted(set(trained) - of_2024)
    rng.shuffle(cohort_2024)
    rng.shuffle(others)

    self_employed_2024, salaried_2024 = cohort_2024[:90], cohort_2024[90:102]
    active_others = others[:593]
    ended_others = others[593:673]
    businesses, placements = [], []

    completed_2024 = dict(
        Enrolment.objects.filter(cohort__centre=lucknow)
        .completed_in(2024)
        .values_list("trainee_id", "completed_on")
    )

    def start_after(trainee_id):
        # The 2024 women started within weeks of their 2024 course, so they count in 2024's figures.
        finished = completed_2024.get(trainee_id) or completed_on[trainee_id]
        return min(finished + datetime.timedelta(days=rng.randint(20, 60)), today)

    def business(trainee_id, end=None):
        kind, income = rng.choice(BUSINESSES)
        businesses.append(
            SelfEmployment(
                trainee_id=trainee_id,
                kind=kind,
                monthly_income=income + rng.randint(-10, 20) * 100,
                start_date=start_after(trainee_id),
                end_date=end,
                got_toolkit=rng.random() < 0.6,
                got_loan=rng.random() < 0.3,
                in_self_help_group=rng.random() < 0.4,
            )
        )

    def job(trainee_id, end=None):
        title, pay = rng.choice(JOBS)
        placements.append(
            Placement(
                trainee_id=trainee_id,
                employer_name=rng.choice(
                    ["Chikan Craft House", "City Mall", "Hazratganj Boutique", "Royal Residency"]
                ),
                job_title=title,
                monthly_pay=pay + rng.randint(-5, 15) * 100,
                start_date=start_after(trainee_id),
                end_date=end,
            )
        )

    for trainee_id in self_employed_2024:
        business(trainee_id)
    for trainee_id in salaried_2024:
        job(trainee_id)
    for trainee_id in active_others:
        (business if rng.random() < 0.6 else job)(trainee_id)
    for trainee_id in ended_others:
        # Worked for a while, then stopped: trained, but not in paying work today.
        start = start_after(trainee_id)
        end = min(start + datetime.timedelta(days=rng.randint(60, 300)), today - datetime.timedelta(days=1))
        (business if rng.random() < 0.5 else job)(trainee_id, end=max(end, start))
    SelfEmployment.objects.bulk_create(businesses)
    Placement.objects.bulk_create(placements)
    schedule_demo_follow_ups(today, rng)


def schedule_demo_follow_ups(today, rng):
    follow_ups = []
    for field, outcomes in (
        ("placement", Placement.objects.filter(follow_ups__isnull=True)),
        ("self_employment", SelfEmployment.objects.filter(follow_ups__isnull=True)),
    ):
        for outcome in outcomes:
            for months in FollowUp.MONTHS:
                due = months_after(outcome.start_date, months)
                follow_up = FollowUp(**{field: outcome}, months=months, due_on=due)
                if due < today - datetime.timedelta(days=3):
                    stopped = outcome.end_date is not None and outcome.end_date <= due
                    follow_up.done_on = due + datetime.timedelta(days=rng.randint(0, 3))
                    follow_up.result = (
                        FollowUp.Result.STOPPED
                        if stopped
                        else rng.choice([FollowUp.Result.STILL_WORKING] * 9 + [FollowUp.Result.UNREACHABLE])
                    )
                    if follow_up.result == FollowUp.Result.STILL_WORKING:
                        follow_up.monthly_income = (
                            getattr(outcome, "monthly_pay", None) or outcome.monthly_income
                        )
                follow_ups.append(follow_up)
    FollowUp.objects.bulk_create(follow_ups, batch_size=2000)


def seed_employers(today):
    """The demo employers, each with its vacancies, and the nominations. Each employer is found by
    its organisation and each vacancy by employer and title, so that seeding on top of employers
    already there (the tests' baseline seeds these before any trainee exists) or a second time
    adds what is missing and nothing else."""
    employers = {}
    for organisation, sector, district, contact, email, status in EMPLOYERS:
        employers[organisation], _created = Employer.objects.get_or_create(
            organisation=organisation,
            defaults={
                "sector": sector,
                "district": district,
                "contact_person": contact,
                "email": email,
                "phone": "0522-0000000",
                "status": status,
            },
        )
    trades = {trade.slug: trade for trade in Trade.objects.all()}
    garments, retail, hotel = (employers[name] for name, *_ in EMPLOYERS[:3])
    d = datetime.timedelta
    vacancies = [
        (garments, "Sewing machine operators", ["tailoring"], 6, 10500, 13000, "full_time", today + d(days=30), "published", ""),
        (garments, "Embroidery work from home", ["tailoring"], 10, 6000, 9000, "home_based", today + d(days=45), "published", ""),
        (retail, "Sales associates for the new store", ["retail-marketing"], 4, 10000, 12000, "full_time", today + d(days=20), "published", ""),
        (hotel, "Housekeeping trainees", ["hotel-management"], 3, 9000, 11000, "apprenticeship", today + d(days=25), "submitted", ""),
        (hotel, "Front office assistant", ["hotel-management"], 1, 12000, 14000, "full_time", today + d(days=40), "draft", ""),
        (retail, "Cashier (night shift)", ["retail-marketing"], 2, 9000, 10000, "full_time", today + d(days=15), "rejected",
         "Night shifts without safe transport are not suitable; please offer day shifts or transport."),
        (garments, "Finishing and packing helpers", ["tailoring"], 5, 9000, 10500, "full_time", today - d(days=10), "published", ""),
        (retail, "Festive season helpers", ["retail-marketing"], 6, 8500, 9500, "part_time", today - d(days=60), "closed", ""),
    ]  # fmt: skip
    for (
        employer,
        title,
        trade_slugs,
        openings,
        pay_min,
        pay_max,
        job_type,
        closing,
        status,
        reason,
    ) in vacancies:
        vacancy, created = Vacancy.objects.get_or_create(
            employer=employer,
            title=title,
            defaults={
                "description": f"{title} at {employer.organisation}, {employer.district}. Training is given "
                "on the job; women who completed a Sakhi course are welcome.",
                "district": employer.district,
                "openings": openings,
                "pay_min": pay_min,
                "pay_max": pay_max,
                "job_type": job_type,
                "closing_date": closing,
                "status": status,
                "rejection_reason": reason,
                "published_at": timezone.now() if status in ("published", "closed") else None,
            },
        )
        if created:
            vacancy.trades.set([trades[slug] for slug in trade_slugs])
    seed_nominations(today)


def seed_nominations(today):
    """Nominations in several states for the open vacancies, from recent consenting completers: the
    same women and vacancies each time, each pair nominated once."""
    candidates = list(
        Trainee.objects.filter(
            centre__slug="lucknow",
            consent_share_with_employers=True,
            enrolments__status=Enrolment.Status.COMPLETED,
            enrolments__completed_on__year__gte=2025,
        )
        .filter(~Q(placements__isnull=False))
        .distinct()
        .order_by("pk")[:8]
    )
    open_vacancies = list(Vacancy.objects.published(today).order_by("pk"))
    if not candidates or not open_vacancies:
        return
    statuses = [
        Nomination.Status.NOMINATED,
        Nomination.Status.INTERVIEW,
        Nomination.Status.OFFERED,
        Nomination.Status.HIRED,
        Nomination.Status.REJECTED,
        Nomination.Status.WITHDRAWN,
        Nomination.Status.NOMINATED,
        Nomination.Status.INTERVIEW,
    ]
    for n, (trainee, status) in enumerate(zip(candidates, statuses, strict=False)):
        Nomination.objects.get_or_create(
            trainee=trainee, vacancy=open_vacancies[n % len(open_vacancies)], defaults={"status": status}
        )


def seed_employer_account(user):
    """Give the demo employer login an approved, verified employer."""
    employer = Employer.objects.get(organisation=EMPLOYERS[0][0])
    EmployerAccount.objects.get_or_create(
        user=user, defaults={"employer": employer, "email_verified_at": timezone.now()}
    )


def seed_placements(today=None):
    today = today or timezone.localdate()
    with transaction.atomic():
        seed_outcomes(today)
        seed_employers(today)
