"""One scoping rule (issue 14, item 2): which centres' records a member of staff reaches is decided
by Model.objects.for_user(user, action) alone. The Wagtail permission policies, the admin lists,
exports, choosers, filters, reports and the audit trail all call it; none holds a field path of
its own.

The models come from the app registry and the lists from the admin's registry, so a model or a
list added later is checked without anyone remembering to add it here: every model of skills and
placements with a path to Centre (found by walking its foreign keys) must have the rule, along one
of those paths, or be named below as reached only through another record; every admin list and
chooser of them must go through it. The records are built here (tests.factories) at the
coordinators' centres and at one that is neither's, and every check fails if it has nothing to
check."""

import csv
import datetime
import io

import pytest
from django.apps import apps
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.viewsets import viewsets as viewset_registry
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry
from wagtail.utils.registry import resolve_model_string

from placements import services as placement_services
from placements.admin_views import follow_ups_due_this_week
from placements.models import FollowUp, Placement, SelfEmployment, Vacancy
from placements.report_filters import OutcomeReportFilter
from skills.filters import CohortFilterSet, EnrolmentFilterSet, TraineeFilterSet
from skills.models import Centre, CentreQuerySet, CentreScopedQuerySet, TrackerLogEntry
from skills.permissions import ForUserPermissionPolicy
from tests.conftest import rolled_back_afterwards
from tests.factories import certified_trainees
from website.demo.users import seed_users

APPS = {"skills", "placements"}
# Records with a centre that no member of staff reaches by themselves: each is read only through the
# record it belongs to, under that record's rule (a mark through its session's register, an item of
# a certificate job through its job), or summed by a report's Scope (the outcome summaries).
REACHED_THROUGH_ANOTHER = {
    "skills.AttendanceMark",
    "skills.CertificateJobItem",
    "placements.TrainedWoman",
    "placements.TrainedWomanTrade",
    "placements.WorkSpell",
}
COORDINATORS = {"coordinator": {"lucknow"}, "coordinator.patna": {"patna-1", "patna-2"}}
# Where the test builds records: the coordinators' centres, and one that is none of theirs.
CENTRES_WITH_RECORDS = ("lucknow", "patna-1", "patna-2", "buxar")


def nonempty(items, what):
    """The items, if there are any: a check that iterates over nothing proves nothing."""
    items = list(items)
    assert items, f"nothing to check: {what}"
    return items


def paths_to_centre(model, through=()):
    """Every chain of foreign keys from the model to Centre, as lookups ("cohort__centre"); the
    test's own reading of the models, to check each queryset's rule against. "" for Centre itself."""
    if model is Centre:
        return [""]
    if len(through) > 4:
        return []
    paths = []
    for field in model._meta.get_fields():
        target = field.related_model
        if not (field.concrete and (field.many_to_one or field.one_to_one)) or target is None:
            continue
        if target in through or target is model:
            continue
        for rest in paths_to_centre(target, (*through, model)):
            paths.append(f"{field.name}__{rest}" if rest else field.name)
    return paths


def has_the_rule(model):
    return isinstance(model._default_manager.all(), CentreScopedQuerySet | CentreQuerySet)


def personal_models():
    """Every model of skills and placements that belongs to a centre: a path to Centre, or the
    rule on its queryset."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in APPS and (paths_to_centre(model) or has_the_rule(model))
    ]


def ruled_models():
    return [model for model in personal_models() if has_the_rule(model)]


def build_records_of(slug):
    """A centre's records of every kind the admin lists: a cohort with its session, two certified
    women, a nomination, a job and a business (with their follow-ups, the first one due)."""
    women = certified_trainees(2, centre_slug=slug)
    placement_services.nominate(women[0], Vacancy.objects.published().first(), user=None)
    started = timezone.localdate() - datetime.timedelta(days=100)
    placement_services.record_outcome(
        Placement(
            trainee=women[0], employer_name="Shop", job_title="Helper", monthly_pay=9000, start_date=started
        )
    )
    placement_services.record_outcome(
        SelfEmployment(trainee=women[1], kind="Tailoring", monthly_income=5000, start_date=started)
    )


@pytest.fixture(scope="module")
def records(django_db_setup, django_db_blocker):
    with rolled_back_afterwards(django_db_blocker):
        seed_users()
        for slug in CENTRES_WITH_RECORDS:
            build_records_of(slug)
        yield


@pytest.fixture
def users(db, records, django_user_model):
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
    return nonempty(
        (
            viewset
            for viewset in viewset_registry.viewsets
            if isinstance(viewset, kind) and resolve_model_string(viewset.model)._meta.app_label in APPS
        ),
        f"registered {kind.__name__}s",
    )


def admin_viewsets():
    return nonempty(
        (viewset for viewset in registered(ModelViewSet) if not isinstance(viewset, ChooserViewSet)),
        "admin viewsets",
    )


def centre_slugs(queryset):
    """The slugs of the centres a queryset's records belong to, along every path the test finds."""
    slugs = set()
    for path in nonempty(paths_to_centre(queryset.model), f"paths of {queryset.model.__name__}"):
        slugs.update(
            queryset.order_by().values_list(f"{path}__slug" if path else "slug", flat=True).distinct()
        )
    return slugs - {None}


def listed(response):
    """Everything a list shows over all its pages."""
    context = response.context
    paginator = context.get("paginator") or context["view"].paginator
    return paginator.object_list


def test_every_model_of_a_centre_has_the_rule_on_a_path_to_its_centre():
    for model in nonempty(personal_models(), "models of a centre"):
        label = model._meta.label
        if label in REACHED_THROUGH_ANOTHER:
            assert not has_the_rule(model), f"{label} has the rule: take it out of REACHED_THROUGH_ANOTHER"
            continue
        assert has_the_rule(model), f"{label} belongs to a centre: give its queryset for_user()"
        queryset = model._default_manager.all()
        if isinstance(queryset, CentreScopedQuerySet) and (
            type(queryset).for_centres is CentreScopedQuerySet.for_centres
        ):
            path = queryset.centre_path
            assert path in paths_to_centre(model), f"{label}: centre_path {path!r} does not lead to Centre"
    assert {model._meta.label for model in personal_models()} >= REACHED_THROUGH_ANOTHER, (
        "REACHED_THROUGH_ANOTHER names a model that no longer belongs to a centre"
    )


def test_every_admin_list_is_shared_or_has_the_rule_and_a_policy_that_calls_it():
    ruled = set(ruled_models())
    for viewset in admin_viewsets():
        model = viewset.model
        assert model._meta.label not in REACHED_THROUGH_ANOTHER, f"{viewset.name} lists {model.__name__}"
        if not paths_to_centre(model):
            # Records of the programme as a whole (courses, trades, employers...): every
            # coordinator works with them.
            assert not hasattr(model._default_manager, "for_user"), model
            continue
        assert model in ruled, f"{viewset.name}: {model.__name__} has a centre but no for_user()"
        policy = policy_registry.get_by_type(model)
        assert isinstance(policy, ForUserPermissionPolicy), f"{model.__name__}: {type(policy).__name__}"
        scoping = type(policy).instances_user_has_any_permission_for
        assert scoping is ForUserPermissionPolicy.instances_user_has_any_permission_for, (
            f"{model.__name__}: its policy scopes records itself; the rule belongs on the queryset"
        )


def test_every_viewset_uses_its_models_policy():
    for viewset in admin_viewsets():
        assert viewset.permission_policy is policy_registry.get_by_type(viewset.model), viewset.name


@pytest.mark.parametrize("username", list(COORDINATORS))
def test_every_admin_list_and_export_goes_through_the_rule_and_keeps_to_her_centres(
    client, users, rule_calls, username
):
    client.force_login(users[username])
    own = COORDINATORS[username]
    ruled = set(ruled_models())
    checked = set()
    for viewset in admin_viewsets():
        if viewset.model not in ruled:
            continue
        model, where = viewset.model, f"{username} {viewset.url_namespace}"
        everywhere = centre_slugs(model._default_manager.all())
        assert everywhere - own, f"{where}: no records of other centres to keep from her"
        rule_calls.clear()
        response = client.get(reverse(viewset.get_url_name("index")))
        assert response.status_code == 200, f"{where}: {response.status_code}"
        assert any(called is model for called, _action in rule_calls), f"{where}: for_user not called"
        records = listed(response)
        assert records.exists(), f"{where}: lists nothing of her own"
        assert centre_slugs(records) <= own, f"{where} shows {centre_slugs(records) - own}"
        checked.add(model)
        if isinstance(viewset.list_export, list | tuple) and viewset.list_export:
            rule_calls.clear()
            export = client.get(reverse(viewset.get_url_name("index")), {"export": "csv"})
            assert export.status_code == 200, f"{where} export: {export.status_code}"
            assert any(called is model for called, _action in rule_calls), f"{where} export: no for_user"
            text = b"".join(export.streaming_content).decode("utf-8")
            rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]
            assert len(rows) == records.count(), f"{where} export: {len(rows)} of {records.count()} rows"
    assert set(nonempty(checked, "admin lists of a centre's records")) >= {Centre, FollowUp}


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
            assert records.exists(), f"{where} {view} offers nobody"
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
    due = follow_ups_due_this_week(user)
    assert centre_slugs(FollowUp.objects.all()) - own, "no follow-ups of other centres to keep from her"
    assert due.exists() and centre_slugs(due) <= own
    assert (FollowUp, "change") in rule_calls

    rule_calls.clear()
    entries = TrackerLogEntry.objects.viewable_by_user(user)
    visible = set(entries.order_by().values_list("centre__slug", flat=True).distinct())
    assert visible and visible <= own
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
    for model in nonempty(ruled_models(), "models with the rule"):
        reached = model._default_manager.all().for_user(user, action)
        assert centre_slugs(reached) <= expected, model
