"""An employer sees a candidate only while she consents AND is an adult, on every portal door.

A coordinator may correct a date of birth after the nomination: from then on the employer must lose
her everywhere (candidate list, vacancy page, home counts, status page, status update)."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from placements import services
from placements.models import Nomination
from skills.models import Trainee, adult_if_born_by
from tests.placements.test_portal import make_employer, make_vacancy, shareable_trainees

# Read when each test runs: a module-level date goes stale across midnight (India time).
today = timezone.localdate


@pytest.fixture(autouse=True)
def english(db):
    cache.clear()
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    account = make_employer("Gomti Weavers")
    vacancy = make_vacancy(account.employer, "Tailor")
    trainee = shareable_trainees(1)[0]
    Trainee.objects.filter(pk=trainee.pk).update(full_name="Zarina Quraishi")
    nomination = Nomination.objects.create(vacancy=vacancy, trainee=trainee)
    return {"account": account, "vacancy": vacancy, "trainee": trainee, "nomination": nomination}


def corrected_to_16(trainee):
    """The coordinator's correction: she was born 16 years ago."""
    Trainee.objects.filter(pk=trainee.pk).update(
        date_of_birth=today() - datetime.timedelta(days=16 * 365 + 30)
    )


def test_a_candidate_corrected_to_under_18_disappears_from_every_employer_door(client, world):
    nomination, vacancy = world["nomination"], world["vacancy"]
    client.force_login(world["account"].user)
    status_url = reverse("employer_candidate_status", args=[nomination.pk])
    assert "Zarina" in client.get(reverse("employer_candidates")).content.decode()
    assert client.get(status_url).status_code == 200

    corrected_to_16(world["trainee"])

    assert "Zarina" not in client.get(reverse("employer_candidates")).content.decode()
    assert "Zarina" not in client.get(reverse("employer_vacancy", args=[vacancy.pk])).content.decode()
    assert [v.candidate_count for v in client.get(reverse("employer_home")).context["vacancies"]] == [0]
    assert client.get(status_url).status_code == 404
    assert client.post(status_url, {"status": "hired"}).status_code == 404
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.NOMINATED
    with pytest.raises(PermissionDenied):
        services.update_nomination_by_employer(
            nomination, Nomination.Status.HIRED, employer=world["account"].employer
        )


def test_the_employer_rule_is_one_queryset_needing_consent_and_age(world):
    employer = world["account"].employer
    assert list(Nomination.objects.visible_to_employer(employer)) == [world["nomination"]]
    corrected_to_16(world["trainee"])
    assert not Nomination.objects.visible_to_employer(employer).exists()


@pytest.mark.parametrize(
    ("today", "last_adult_birthday"),
    [
        (datetime.date(2026, 12, 2), datetime.date(2008, 12, 2)),
        # 29 February: born on 28 February 18 years before is adult; there is no 29th that year.
        (datetime.date(2028, 2, 29), datetime.date(2010, 2, 28)),
    ],
)
def test_adult_cut_off_matches_age(today, last_adult_birthday):
    assert adult_if_born_by(today) == last_adult_birthday
    born = Trainee(date_of_birth=last_adult_birthday)
    assert born.age_on(today) == 18
    assert Trainee(date_of_birth=last_adult_birthday + datetime.timedelta(days=1)).age_on(today) == 17
