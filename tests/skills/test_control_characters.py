"""Admin forms clean control characters out of typed text (issue 12, item 4): a name pasted from
Word with Shift+Enter (a vertical tab) is stored with a space; multi-line text keeps its lines;
the zero-width joiner that Hindi spelling needs stays."""

import pytest
from django.urls import reverse
from wagtail.admin.viewsets import viewsets as viewset_registry

from core.forms import CleanTextMixin
from skills.admin import TrackerViewSet
from skills.models import Centre, Course
from tests.factories import TraineeFactory
from tests.forms import form_data
from website.demo.users import seed_users

HINDI_WITH_JOINER = "लक्\u200dष्मी"


@pytest.fixture
def users(db, django_user_model):
    seed_users()
    return {name: django_user_model.objects.get(username=name) for name in ("coordinator", "admin")}


def test_a_trainee_named_with_a_vertical_tab_is_stored_clean(client, users):
    trainee = TraineeFactory(centre=Centre.objects.get(slug="lucknow"), full_name="Sunita Devi")
    client.force_login(users["coordinator"])
    url = reverse("skills_trainee:edit", args=[trainee.pk])
    data = form_data(client.get(url).context["form"])
    data.update(full_name="Sunita\x0bDevi\x00", name_hi=HINDI_WITH_JOINER + "\x1f")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    trainee.refresh_from_db()
    assert trainee.full_name == "Sunita Devi"
    assert trainee.name_hi == HINDI_WITH_JOINER


def test_a_name_of_control_characters_only_is_refused(client, users):
    trainee = TraineeFactory(centre=Centre.objects.get(slug="lucknow"), full_name="Sunita Devi")
    client.force_login(users["coordinator"])
    url = reverse("skills_trainee:edit", args=[trainee.pk])
    data = form_data(client.get(url).context["form"])
    data.update(full_name="\x0b\x07")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors


def test_a_syllabus_keeps_its_lines_and_tabs(client, users):
    course = Course.objects.first()
    client.force_login(users["admin"])
    url = reverse("skills_course:edit", args=[course.pk])
    data = form_data(client.get(url).context["form"])
    data.update(
        title="Tailoring\x0b basics", syllabus="Week 1:\tcutting\x0bWeek 2:\x85stitching\r\nWeek 3\x7f"
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    course.refresh_from_db()
    assert course.title == "Tailoring basics"
    assert course.syllabus.replace("\r\n", "\n") == "Week 1:\tcutting\nWeek 2:\nstitching\nWeek 3"


def test_every_tracker_form_cleans_its_text(users):
    reverse("wagtailadmin_home")  # the registry fills when the admin's URLs load
    tracker = [viewset for viewset in viewset_registry.viewsets if isinstance(viewset, TrackerViewSet)]
    assert len(tracker) >= 15
    for viewset in tracker:
        for kwargs in (viewset.get_add_view_kwargs(), viewset.get_edit_view_kwargs()):
            assert issubclass(kwargs["form_class"], CleanTextMixin), viewset.url_namespace


def test_the_public_report_form_cleans_its_text_too(client, db):
    from placements.models import Vacancy, VacancyReport

    vacancy = Vacancy.objects.published().first()
    response = client.post(
        f"/vacancies/{vacancy.pk}/report/", {"reason": "It asks for a fee\x0bof ₹2,000\x07", "website": ""}
    )
    assert response.status_code == 302
    assert VacancyReport.objects.get(vacancy=vacancy).reason == "It asks for a fee\nof ₹2,000"
