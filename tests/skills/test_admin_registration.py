"""One registration per admin viewset (issue 14, item 5): a record's actions (issue a certificate,
take attendance, publish a vacancy, confirm a placement...) are URLs of its model's viewset, in its
namespace; the apps' own register_admin_urls hooks add only pages that belong to no model.

And every URL of every admin viewset and chooser of skills and placements, walked from Wagtail's
registry so that a URL added later is checked too, asks the door (the model's permission policy or
the scoping rule, for_user): a user without the tracker's permissions is refused, and a
coordinator asking for another centre's record is refused."""

import datetime

import pytest
from django.urls import resolve, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.viewsets import viewsets as viewset_registry
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.utils.registry import resolve_model_string

from placements import services as placement_services
from placements.models import Placement, SelfEmployment, Vacancy, VacancyReport
from skills.models import Centre, CentreQuerySet, CentreScopedQuerySet
from skills.permissions import CertificatePermissionPolicy, ForUserPermissionPolicy
from skills.views import ActionView
from tests.conftest import rolled_back_afterwards
from tests.factories import certified_trainees
from website.demo.users import seed_users

ACTIONS = {
    "skills_cohort": ["bulk_enrol", "take_attendance", "issue_certificates"],
    "skills_enrolment": ["drop_out", "complete", "issue_certificate"],
    "skills_cohortsession": ["attendance"],
    "skills_certificate": ["download", "credential_download", "revoke", "reissue"],
    "placements_employer": ["review"],
    "placements_vacancy": ["publish", "reject"],
    "placements_nomination": ["withdraw", "confirm_hire"],
    "placements_placement": ["evidence_download"],
    "placements_followup": ["record"],
}


def own_hook_urls():
    return [
        pattern
        for hook in hooks.get_hooks("register_admin_urls")
        if hook.__module__.split(".")[0] in ("skills", "placements")
        for pattern in hook()
    ]


@pytest.mark.parametrize(
    ("namespace", "action"), [(ns, a) for ns, actions in ACTIONS.items() for a in actions]
)
def test_each_action_is_in_its_viewsets_namespace(namespace, action):
    url = reverse(f"{namespace}:{action}", args=[1])
    assert url.startswith(f"/admin/{namespace}/1/")
    assert resolve(url).namespace == namespace


def test_the_cohort_register_of_a_day_and_its_certificate_downloads():
    assert (
        reverse("skills_cohort:register", args=[1, "2024-05-02"])
        == "/admin/skills_cohort/1/attendance/2024-05-02/"
    )
    assert (
        reverse("skills_cohort:certificates_download", args=[1, "zip"])
        == "/admin/skills_cohort/1/certificates.zip"
    )


def test_no_action_of_a_record_is_registered_outside_its_viewset():
    reverse("wagtailadmin_home")  # the viewset registry fills when the admin's URLs load
    namespaces = {
        viewset.url_namespace for viewset in viewset_registry.viewsets if isinstance(viewset, ModelViewSet)
    }
    assert set(ACTIONS) <= namespaces
    for pattern in own_hook_urls():
        view_class = getattr(pattern.callback, "view_class", None)
        assert not (view_class and issubclass(view_class, ActionView)), pattern.name


# Every URL of every admin viewset of skills and placements goes through the door: a user without
# the model's permission is refused, and a coordinator asking for another centre's record is
# refused after the scoping rule (for_user) was asked.

APPS = {"skills", "placements"}
OTHER_CENTRE = "buxar"  # the coordinator's is Lucknow
ARGUMENTS = {"day": "2024-05-02", "fmt": "zip"}  # the URL arguments other than a record's pk


def viewset_urls():
    reverse("wagtailadmin_home")  # the viewset registry fills when the admin's URLs load
    urls = [
        (viewset, pattern)
        for viewset in viewset_registry.viewsets
        if isinstance(viewset, ModelViewSet | ChooserViewSet)
        and resolve_model_string(viewset.model)._meta.app_label in APPS
        for pattern in viewset.get_urlpatterns()
    ]
    assert urls, "no admin viewsets of skills and placements"
    return urls


def url_of(viewset, pattern, record):
    kwargs = {}
    for name in pattern.pattern.converters:
        if name == "pk":
            kwargs["pk"] = record.pk
        else:
            assert name in ARGUMENTS, f"{viewset.url_namespace}:{pattern.name}: what value for {name}?"
            kwargs[name] = ARGUMENTS[name]
    return reverse(f"{viewset.url_namespace}:{pattern.name}", kwargs=kwargs)


@pytest.fixture(scope="module")
def records_elsewhere(django_db_setup, django_db_blocker):
    with rolled_back_afterwards(django_db_blocker):
        seed_users()
        (woman,) = certified_trainees(1, centre_slug=OTHER_CENTRE)
        vacancy = Vacancy.objects.published().first()
        placement_services.nominate(woman, vacancy, user=None)
        started = timezone.localdate() - datetime.timedelta(days=100)
        for outcome in (
            Placement(
                trainee=woman, employer_name="Shop", job_title="Helper", monthly_pay=9000, start_date=started
            ),
            SelfEmployment(trainee=woman, kind="Tailoring", monthly_income=5000, start_date=started),
        ):
            placement_services.record_outcome(outcome)
        VacancyReport.objects.create(vacancy=vacancy, reason="Asks for a fee")
        yield


def a_record_of(model):
    """One record of the model at the other centre, or any record of a model shared by all."""
    if model is Centre:
        return Centre.objects.get(slug=OTHER_CENTRE)
    queryset = model._default_manager.all()
    if isinstance(queryset, CentreScopedQuerySet):
        queryset = queryset.for_centres(Centre.objects.filter(slug=OTHER_CENTRE))
    record = queryset.first()
    assert record is not None, f"no {model.__name__} to ask for"
    return record


POLICY_QUESTIONS = (
    "user_has_permission",
    "user_has_any_permission",
    "user_has_permission_for_instance",
    "user_has_any_permission_for_instance",
    "instances_user_has_permission_for",
    "instances_user_has_any_permission_for",
)


def recorded(question, models):
    def asking(policy, *args, **kwargs):
        models.append(policy.model)
        return question(policy, *args, **kwargs)

    return asking


@pytest.fixture
def asked(monkeypatch):
    """The models whose door was asked while the test runs: their permission policy (Wagtail's
    model permissions, and ours narrowed by the rule) or the scoping rule itself (for_user)."""
    models = []
    for queryset_class in (CentreScopedQuerySet, CentreQuerySet):
        original = queryset_class.for_user

        def recording(self, user, action="view", original=original):
            models.append(self.model)
            return original(self, user, action)

        monkeypatch.setattr(queryset_class, "for_user", recording)
    for policy_class in (ModelPermissionPolicy, ForUserPermissionPolicy, CertificatePermissionPolicy):
        for name in POLICY_QUESTIONS:
            if name in vars(policy_class):
                monkeypatch.setattr(policy_class, name, recorded(vars(policy_class)[name], models))
    return models


def answer(client, url):
    """The response to a GET of the URL, following a redirect (a certificate's edit URL opens its
    inspect view) unless it is Wagtail's refusal: to the admin home."""
    response = client.get(url)
    for _hop in range(2):
        if response.status_code != 302 or response["Location"] == reverse("wagtailadmin_home"):
            break
        response = client.get(response["Location"])
    return response


def refused(response):
    """Not found, forbidden, or sent to the admin home with Wagtail's permission error."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_every_url_of_every_viewset_asks_the_door_and_refuses_a_user_without_permission(
    db, client, records_elsewhere, asked, django_user_model
):
    client.force_login(django_user_model.objects.get(username="editor"))  # the admin, no tracker
    for viewset, pattern in viewset_urls():
        url = url_of(viewset, pattern, a_record_of(viewset.model))
        asked.clear()
        response = answer(client, url)
        assert viewset.model in asked, f"{url}: neither its policy nor for_user asked"
        if isinstance(viewset, ChooserViewSet) and "pk" not in pattern.pattern.converters:
            continue  # a chooser's list answers with what the rule gives her: nobody
        assert refused(response), f"{url}: {response.status_code} for a user without permission"


def test_every_url_of_a_centres_records_asks_the_door_and_refuses_another_centres(
    db, client, records_elsewhere, asked, django_user_model
):
    client.force_login(django_user_model.objects.get(username="coordinator"))
    checked = []
    for viewset, pattern in viewset_urls():
        if not isinstance(viewset.model._default_manager.all(), CentreScopedQuerySet | CentreQuerySet):
            continue  # shared by every centre (courses, employers...): the test above
        url = url_of(viewset, pattern, a_record_of(viewset.model))
        asked.clear()
        response = answer(client, url)
        assert viewset.model in asked, f"{url}: neither its policy nor for_user asked"
        if "pk" in pattern.pattern.converters:
            assert refused(response), f"{url}: {response.status_code} for another centre's record"
        checked.append(url)
    assert checked, "no URL of a centre's records"


HOOK_ARGUMENTS = {"table": "by-year", "fmt": "csv"}


def test_every_page_of_the_apps_own_hooks_refuses_a_user_without_permission(
    db, client, records_elsewhere, django_user_model
):
    """The pages that belong to no record (the import, the outcome reports). The pages of one
    background job take its id and are the job owner's (their own tests)."""
    client.force_login(django_user_model.objects.get(username="editor"))
    pages = [pattern for pattern in own_hook_urls() if "pk" not in pattern.pattern.converters]
    assert pages, "no pages of the apps' own hooks"
    for pattern in pages:
        url = reverse(
            pattern.name, kwargs={name: HOOK_ARGUMENTS[name] for name in pattern.pattern.converters}
        )
        response = answer(client, url)
        assert refused(response), f"{url}: {response.status_code} for a user without permission"
