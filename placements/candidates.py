"""What an employer may know about a candidate: the minimal profile, and nothing more.

A candidate's profile is her first name, the trades she completed, her valid certificates with
their public verification links, and the district of her centre. Never her surname, phone, age,
address, education, how she was referred or any safety detail: those fields are not even read."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from skills.models import Certificate, Enrolment


@dataclass(frozen=True)
class CandidateCertificate:
    number: str
    verification_url: str


@dataclass(frozen=True)
class CandidateProfile:
    """One nomination as its employer sees it."""

    nomination_id: int
    vacancy_id: int
    vacancy_title: str
    status: str
    status_label: str
    nominated_at: datetime.datetime
    first_name: str
    district: str
    trades: tuple = field(default_factory=tuple)
    certificates: tuple = field(default_factory=tuple)


def first_name(full_name):
    return full_name.split()[0] if full_name.strip() else ""


def candidate_profiles(nominations):
    """The minimal profiles of these nominations, in three queries however many there are.

    `nominations` must already be scoped to one employer (Nomination.objects.visible_to_employer)."""
    rows = list(
        nominations.select_related("vacancy", "trainee__centre").only(
            "status",
            "nominated_at",
            "vacancy__title",
            "trainee__full_name",
            "trainee__centre__district",
            "trainee__centre__district_hi",
        )
    )
    trainee_ids = {row.trainee_id for row in rows}
    trades = defaultdict(dict)
    completed = (
        Enrolment.objects.completed()
        .filter(trainee_id__in=trainee_ids)
        .select_related("cohort__course__trade")
        .only("trainee_id", "cohort__course__trade__name", "cohort__course__trade__name_hi")
        .order_by("completed_on", "pk")
    )
    for enrolment in completed:
        trade = enrolment.cohort.course.trade
        trades[enrolment.trainee_id][trade.pk] = trade.localized_name
    certificates = defaultdict(list)
    valid = (
        Certificate.objects.valid()
        .filter(enrolment__trainee_id__in=trainee_ids)
        .only("number", "verification_code", "enrolment__trainee_id")
        .select_related("enrolment")
        .order_by("issued_on", "number")
    )
    for certificate in valid:
        certificates[certificate.enrolment.trainee_id].append(
            CandidateCertificate(certificate.number, certificate.get_verification_url())
        )
    return [
        CandidateProfile(
            nomination_id=row.pk,
            vacancy_id=row.vacancy_id,
            vacancy_title=row.vacancy.title,
            status=row.status,
            status_label=row.get_status_display(),
            nominated_at=row.nominated_at,
            first_name=first_name(row.trainee.full_name),
            district=row.trainee.centre.localized_district,
            trades=tuple(trades[row.trainee_id].values()),
            certificates=tuple(certificates[row.trainee_id]),
        )
        for row in rows
    ]
