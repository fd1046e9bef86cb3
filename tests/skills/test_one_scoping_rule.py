"""One scoping rule (issue 14, item 2): which centres' records a member of staff reaches is decided
by Model.objects.for_user(user, action) alone. The Wagtail permission policies, the admin lists,
exports, choosers, filters, reports and the audit trail all call it; none holds a field path of
its own.

The walk covers every registered admin viewset and chooser of skills and placements, so a list
added later is checked without anyone remembering to add it here: its model must either have the
rule (and be listed through it) or be named below as shared by every centre."""

import csv
import io

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.viewsets import viewsets as viewset_registry
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry
from wagtail.utils.registry import resolve_model_string

from placements.admin_views import follow_ups_due_this_week
from placements.models import (
    Employer,
    FollowUp,
    Nomination,
    Placement,
    SelfEmployment,
    Vacancy,
    VacancyReport,
)
from placements.report_filters import OutcomeReportFilter
from skills.filters import CohortFilterSet, EnrolmentFilterSet, TraineeFilterSet
from skills.models import (
    Centre,
    CentreQuerySet,
    CentreScopedQuerySet,
    Certificate,
    Cohort,
    CohortSession,
    Course,
    Enrolment,
    TrackerLogEntry,
    Trade,
    Trainee,
)
from skills.permissions import ForUserPermissionPolicy
from website.demo.users import seed_users

APPS = {"skills", "placements"}
# Records of the programme as a whole, not of a centre: every coordinator works with them.
SHARED = {Course, Trade, Employer, Vacancy, VacancyReport}
# The test's own statement of where each record's centre is, to check the rule against.
CENTRE_SLUG = {
    Centre: ["slug"],
    Trainee: ["centre__slug"],
    Cohort: ["centre__slug"],
    Enrolment: ["cohort__centre__slug"],
    CohortSession: ["cohort__centre__slug"],
    Certificate: ["centre__slug"],
    Nomination: ["trainee__centre__slug"],
    Placement: ["trainee__centre__slug"],
    SelfEmployment: ["trainee__centre__slug"],
    FollowUp: ["placement__trainee__centre__slug", "self_employment__trainee__centre__slug"],
}
COORDINATORS = {"coordinator": {"lucknow"}, "coordinator.patna": {"patna-1", "patna-2"}}


@pytest.fixture
def users(demo_site, django_user_model):
    seed_users()
    return {name: django_user_model.objects.get(username=name) for name in [*COORDINATORS, "officer"]}


@pytest.fixture
def rule_calls(monkeypatch):
    """Every call of for_user, as (model, action), while the test runs (the rule still applies)."""
    calls = []
    for queryset_class in (CentreScopedQuerySet, CentreQuerySet):
        original = queryset_class.for_user

        def recording(self, user, action="view", original=original):
            calls.append((self.model, action))
            return original(self, user, action)

        monkeypatch.setattr(queryset_class, "for_user", recording)
    return calls


def registered(kind):
    reverse("wagtailadmin_home")  # the registry fills when the admin's URLs load
    return [
        viewset
        for viewset in viewset_registry.viewsets
        if isinstance(viewset, kind) and resolve_model_string(viewset.model)._meta.app_label in APPS
    ]


def admin_viewsets():
    return [viewset for viewset in registered(ModelViewSet) if not isinstance(viewset, ChooserViewSet)]


def centre_slugs(queryset):
    """The slugs of the centres a queryset's records belong to, by the test's own paths."""
    slugs = set()
    for path in CENTRE_SLUG[queryset.model]:
        slugs.update(queryset.order_by().values_list(path, flat=True).distinct())
    return slugs - {None}


def listed(response):
    """Everything a list shows over all its pages."""
    context = response.context
    paginator = context.get("paginator") or context["view"].paginator
    return paginator.object_list


def test_every_personal_model_has_the_rule_and_a_policy_that_calls_it():
    models = {viewset.model for viewset in admin_viewsets()}
    assert models == SHARED | set(CENTRE_SLUG), (
        "a new admin list: give its model for_user(), or name it in SHARED"
    )
    for model in CENTRE_SLUG:
        assert hasattr(model._default_manager, "for_user"), model
        policy = policy_registry.get_by_type(model)
        assert isinstance(policy, ForUserPermissionPolicy), f"{model.__name__}: {type(policy).__name__}"
        scoping = type(policy).instances_user_has_any_permission_for
        assert scoping is ForUserPermissionPolicy.instances_user_has_any_permission_for, (
            f"{model.__name__}: its policy scopes records itself; the rule belongs on the queryset"
        )
    for model in SHARED:
        assert not hasattr(model._default_manager, "for_user"), model


def test_every_viewset_uses_its_models_policy():
    for viewset in admin_viewsets():
        assert viewset.permission_policy is policy_registry.get_by_type(viewset.model), viewset.name


@pytest.mark.parametrize("username", list(COORDINATORS))
def test_every_admin_list_and_export_goes_through_the_rule_and_keeps_to_her_centres(
    client, users, rule_calls, username
):
    client.force_login(users[username])
    own = COORDINATORS[username]
    seen = set()
    for viewset in admin_viewsets():
        if viewset.model in SHARED:
            continue
        model, where = viewset.model, f"{username} {viewset.url_namespace}"
        rule_calls.clear()
        response = client.get(reverse(viewset.get_url_name("index")))
        assert response.status_code == 200, f"{where}: {response.status_code}"
        assert any(called is model for called, _action in rule_calls), f"{where}: for_user not called"
        records = listed(response)
        assert centre_slugs(records) <= own, f"{where} shows {centre_slugs(records) - own}"
        if records.exists():
            seen.add(model)
        if isinstance(viewset.list_export, list | tuple) and viewset.list_export:
            rule_calls.clear()
            export = client.get(reverse(viewset.get_url_name("index")), {"export": "csv"})
            assert export.status_code == 200, f"{where} export: {export.status_code}"
            assert any(called is model for called, _action in rule_calls), f"{where} export: no for_user"
            text = b"".join(export.streaming_content).decode("utf-8")
            rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]
            assert len(rows) == records.count(), f"{where} export: {len(rows)} of {records.count()} rows"
    # The demo data gives each coordinator records in every list but sessions and follow-ups.
    assert seen >= {Centre, Trainee, Cohort, Enrolment}, (
        f"{username}: nothing listed in {set(CENTRE_SLUG) - seen}"
    )


@pytest.mark.parametrize("username", list(COORDINATORS))
def test_the_choosers_go_through_the_rule_and_keep_to_her_centres(client, users, rule_calls, username):
    client.force_login(users[username])
    own = COORDINATORS[username]
    for viewset in registered(ChooserViewSet):
        where = f"{username} {viewset.name}"
        for view in ("choose", "choose_results"):
            rule_calls.clear()
            response = client.get(reverse(viewset.get_url_name(view)))
            assert response.status_code == 200, f"{where} {view}: {response.status_code}"
            assert (viewset.model, ["change"]) in rule_calls, f"{where} {view}: {rule_calls}"
            records = response.context["view"].get_object_list()
            assert centre_slugs(records) <= own, f"{where} {view} offers {centre_slugs(records) - own}"


@pytest.mark.parametrize("username", list(COORDINATORS))
def test_filters_reports_follow_ups_and_audit_trail_keep_to_her_centres(users, rule_calls, username):
    user, own = users[username], COORDINATORS[username]
    request = RequestFactory().get("/")
    request.user = user
    for filterset_class in (CohortFilterSet, TraineeFilterSet, EnrolmentFilterSet):
        rule_calls.clear()
        centres = filterset_class(request=request).filters["centre"].queryset
        assert set(centres.values_list("slug", flat=True)) == own, filterset_class.__name__
        assert (Centre, "view") in rule_calls, filterset_class.__name__

    rule_calls.clear()
    report = OutcomeReportFilter(None, user=user)
    assert {centre["slug"] for centre in report.centres} == own
    assert (Centre, "view") in rule_calls

    rule_calls.clear()
    assert centre_slugs(follow_ups_due_this_week(user)) <= own
    assert (FollowUp, "change") in rule_calls

    rule_calls.clear()
    entries = TrackerLogEntry.objects.viewable_by_user(user)
    visible = set(entries.order_by().values_list("centre__slug", flat=True).distinct())
    assert visible <= own
    assert (TrackerLogEntry, "view") in rule_calls


EVERY_CENTRE = None


@pytest.mark.parametrize(
    ("username", "action", "centres"),
    [
        ("officer", "view", EVERY_CENTRE),
        ("officer", "change", set()),
        ("officer", ["view", "change"], set()),
        ("coordinator", "view", {"lucknow"}),
        ("coordinator", "change", {"lucknow"}),
        ("coordinator.patna", ["view"], {"patna-1", "patna-2"}),
    ],
)
def test_the_rule_reading_and_changing(users, username, action, centres):
    """State officers read every centre and change none; coordinators read and change their own."""
    user = users[username]
    expected = set(Centre.objects.values_list("slug", flat=True)) if centres is EVERY_CENTRE else centres
    assert set(Centre.objects.for_user(user, action).values_list("slug", flat=True)) == expected
    for model in CENTRE_SLUG:
        assert centre_slugs(model._default_manager.for_user(user, action)) <= expected, model
