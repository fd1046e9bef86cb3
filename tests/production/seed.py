"""The rows the production tests and the load benchmark work with, built in the topology's database
with production settings (no demo users there): the small test baseline (centres, trades, pages,
employers), thirty certified women in Lucknow of whom ten are in paying work, cohorts under way for
coordinators to take attendance in, coordinators with a known authenticator key, and employer logins
with candidates nominated to them.

Run by Topology users as `manage.py shell -c "from tests.production.seed import main; main()"`; it
prints one line of JSON with what a client needs (usernames, the password, keys, ids)."""

import datetime
import json
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from placements import services as placement_services
from placements.models import Employer, EmployerAccount, Placement, Vacancy
from skills import roles
from skills import services as skill_services
from skills.models import Centre, Cohort, Course
from tests.factories import CentreFactory, CohortFactory, TraineeFactory, certified_trainees, seed_baseline
from tests.skills.test_certificates import completed_cohort

PASSWORD = "topology-pass-2026"  # noqa: S105 - a throwaway database on 127.0.0.1
CENTRE = "lucknow"
CERTIFIED = 30
ALREADY_PLACED = 10  # "in paying work" starts at 10: a figure published whole (placements.public_figures)
REGISTER_SIZE = 10


def coordinator(number, centre):
    user = get_user_model().objects.create_user(
        f"coordinator-{number}",
        email=f"coordinator-{number}@topology.example",
        password=PASSWORD,
        first_name="Coordinator",
        last_name=str(number),
    )
    user.groups.add(Group.objects.get(name=roles.COORDINATORS))
    centre.coordinators.add(user)
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return {"username": user.username, "totp_key": device.key}


def running_cohort(centre, course):
    """A cohort under way for 30 days, with a register of ten women: one coordinator saves it."""
    start = timezone.localdate() - datetime.timedelta(days=30)
    cohort = CohortFactory(
        centre=centre, course=course, start_date=start, capacity=REGISTER_SIZE, status=Cohort.Status.OPEN
    )
    trainees = TraineeFactory.create_batch(REGISTER_SIZE, centre=centre)
    enrolments = skill_services.enrol(trainees, cohort, on=start)
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.RUNNING)
    return {
        "id": cohort.pk,
        "enrolments": [enrolment.pk for enrolment in enrolments],
        "start": start.isoformat(),
    }


def certificate_cohorts(coordinator_user, course):
    """Two completed cohorts without certificates, each at a centre of its own (so that each
    centre's numbers start at 1): one of 3 women to print, one of 40 whose job is killed midway."""
    cohorts = {}
    for kind, code, size in (("small", "TPS", 3), ("large", "TPK", 40)):
        centre = CentreFactory(slug=f"topology-{kind}", code=code, district="Lucknow", state="Uttar Pradesh")
        centre.coordinators.add(coordinator_user)
        cohorts[kind] = completed_cohort(centre, size=size, attended=(10,) * size, course=course).pk
    return cohorts


def employer_login(number, employer):
    user = get_user_model().objects.create_user(
        f"employer-{number}@topology.example", email=f"employer-{number}@topology.example", password=PASSWORD
    )
    user.groups.add(Group.objects.get(name=roles.EMPLOYERS))
    EmployerAccount.objects.create(user=user, employer=employer, email_verified_at=timezone.now())
    return {"username": user.username}


@transaction.atomic
def seed(coordinators=14, employers=10):
    seed_baseline()
    centre = Centre.objects.get(slug=CENTRE)
    course = Course.objects.filter(trade__slug="tailoring").first()
    women = certified_trainees(CERTIFIED, CENTRE)
    placed_on = timezone.localdate() - datetime.timedelta(days=30)
    for woman in women[:ALREADY_PLACED]:
        placement_services.record_outcome(
            Placement(
                trainee=woman,
                employer_name="Chikan Studio",
                job_title="Embroiderer",
                monthly_pay=9500,
                start_date=placed_on,
            )
        )
    staff = [coordinator(number, centre) for number in range(1, coordinators + 1)]
    cohorts = [running_cohort(centre, course) for _ in staff]
    employer = Employer.objects.filter(status=Employer.Status.APPROVED).order_by("pk").first()
    vacancy = (
        Vacancy.objects.filter(employer=employer, status=Vacancy.Status.PUBLISHED).order_by("pk").first()
    )
    nominator = get_user_model().objects.get(username=staff[0]["username"])
    for woman in women[ALREADY_PLACED : ALREADY_PLACED + 5]:
        placement_services.nominate(woman, vacancy, user=nominator)
    printer = get_user_model().objects.get(username=staff[1]["username"])
    return {
        "password": PASSWORD,
        "centre": CENTRE,
        "coordinators": staff,
        "cohorts": cohorts,
        "employers": [employer_login(number, employer) for number in range(1, employers + 1)],
        "certified": [woman.pk for woman in women],
        "already_placed": [woman.pk for woman in women[:ALREADY_PLACED]],
        "unplaced": [woman.pk for woman in women[ALREADY_PLACED:]],
        "vacancy": vacancy.pk,
        "certificate_cohorts": certificate_cohorts(printer, course),
        "run": secrets.token_hex(4),
    }


# Wagtail and its search queue a task for every row saved (the reference and search indexes): run
# the seed's at once, so that the worker starts with an empty queue and an employer's e-mail in the
# tests does not wait behind a thousand of them.
AT_ONCE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def main(**counts):
    with override_settings(TASKS=AT_ONCE):
        seeded = seed(**counts)
    print(json.dumps(seeded))
