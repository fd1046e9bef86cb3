"""The action screens that moved into their viewsets' namespaces, requested as a coordinator does:
revoking a certificate (a form) and withdrawing a nomination (a button), and refused for a record
of another centre."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from placements import services
from placements.models import Nomination, Vacancy
from skills.models import Certificate
from tests.factories import certified_trainees
from website.demo.users import seed_users


@pytest.fixture
def coordinator(client):
    seed_users()
    client.force_login(get_user_model().objects.get(username="coordinator"))  # Lucknow
    return client


@pytest.fixture
def lucknow_certificate(db):
    (trainee,) = certified_trainees(1)
    return Certificate.objects.get(enrolment__trainee=trainee)


@pytest.mark.django_db
def test_a_coordinator_revokes_a_certificate_from_its_page(coordinator, lucknow_certificate):
    url = reverse("skills_certificate:revoke", args=[lucknow_certificate.pk])
    assert url == f"/admin/skills_certificate/{lucknow_certificate.pk}/revoke/"
    assert url in coordinator.get(reverse("skills_certificate:inspect", args=[lucknow_certificate.pk])).text

    assert coordinator.get(url).status_code == 200
    refused = coordinator.post(url, {"reason": "   "})
    assert refused.status_code == 200
    response = coordinator.post(url, {"reason": "Issued to the wrong woman"})

    assert response.status_code == 302
    lucknow_certificate.refresh_from_db()
    assert lucknow_certificate.revoked_reason == "Issued to the wrong woman"


@pytest.mark.django_db
def test_another_centres_coordinator_cannot_revoke(client, lucknow_certificate):
    seed_users()
    client.force_login(get_user_model().objects.get(username="coordinator.patna"))

    response = client.post(
        reverse("skills_certificate:revoke", args=[lucknow_certificate.pk]), {"reason": "Not mine"}
    )

    assert response.status_code in (403, 404)
    lucknow_certificate.refresh_from_db()
    assert lucknow_certificate.revoked_at is None


@pytest.mark.django_db
def test_a_coordinator_withdraws_a_nomination_by_its_button(coordinator, lucknow_certificate):
    trainee = lucknow_certificate.enrolment.trainee
    vacancy = Vacancy.objects.published().first()
    user = get_user_model().objects.get(username="coordinator")
    nomination = services.nominate(trainee, vacancy, user=user)
    url = reverse("placements_nomination:withdraw", args=[nomination.pk])
    assert url in coordinator.get(reverse("placements_nomination:inspect", args=[nomination.pk])).text

    coordinator.get(url)  # a button, never a link: opening the address changes nothing
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.NOMINATED
    response = coordinator.post(url)

    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.WITHDRAWN
