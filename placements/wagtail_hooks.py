from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import policy_registry, register_permission_policy

from skills.models import TrackerLogEntry, Trainee
from skills.permissions import ForUserPermissionPolicy
from skills.roles import is_coordinator

from . import admin_views
from .admin import PlacementsViewSetGroup
from .choosers import nominable, nominee_chooser
from .models import FollowUp, Nomination, Placement, SelfEmployment

for model in (Nomination, Placement, SelfEmployment, FollowUp):
    register_permission_policy(model, ForUserPermissionPolicy(model))


@hooks.register("register_admin_viewset")
def register_placements_viewsets():
    return PlacementsViewSetGroup()


@hooks.register("register_admin_viewset")
def register_nominee_chooser():
    return nominee_chooser


class FollowUpsDuePanel(Component):
    name = "follow_ups_due"
    order = 50
    template_name = "placements/follow_ups_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {"follow_ups": admin_views.follow_ups_due_this_week(self.user), "today": timezone.localdate()}


class TraineeOutcomesSection(Component):
    """Her nominations, jobs, businesses and follow-ups on her record, with the next actions."""

    template_name = "placements/trainee_record.html"

    def __init__(self, trainee, user, can_change):
        self.trainee = trainee
        self.user = user
        self.can_change = can_change

    def may_add(self, model):
        return self.can_change and policy_registry.get_by_type(model).user_has_permission(self.user, "add")

    @cached_property
    def actions(self):
        """Links for the action bar at the top of her record."""
        trainee = self.trainee.pk
        actions = []
        # The chooser offers only who may be nominated: don't offer the action for anyone else.
        if self.may_add(Nomination) and nominable(Trainee.objects.filter(pk=trainee)).exists():
            actions.append(
                {
                    "label": _("Nominate for a job"),
                    "url": reverse("placements_nomination:add") + f"?trainee={trainee}",
                }
            )
        if self.may_add(Placement):
            actions.append(
                {
                    "label": _("Record a job"),
                    "url": reverse("placements_placement:add") + f"?trainee={trainee}",
                }
            )
        if self.may_add(SelfEmployment):
            actions.append(
                {
                    "label": _("Record self-employment"),
                    "url": reverse("placements_selfemployment:add") + f"?trainee={trainee}",
                }
            )
        return actions

    def get_context_data(self, parent_context):
        follow_ups = FollowUp.objects.order_by("due_on", "months")
        return {
            "trainee": self.trainee,
            "nominations": self.trainee.nominations.select_related("vacancy__employer"),
            "placements": self.trainee.placements.select_related("employer").prefetch_related(
                Prefetch("follow_ups", follow_ups)
            ),
            "self_employments": self.trainee.self_employments.prefetch_related(
                Prefetch("follow_ups", follow_ups)
            ),
            "can_record_follow_up": self.can_change
            and policy_registry.get_by_type(FollowUp).user_has_permission(self.user, "change"),
        }


@hooks.register("sakhi_trainee_record")
def add_trainee_outcomes(trainee, request, can_change):
    return TraineeOutcomesSection(trainee, request.user, can_change)


@hooks.register("construct_homepage_panels")
def add_follow_ups_panel(request, panels):
    if is_coordinator(request.user) or request.user.is_superuser:
        panels.append(FollowUpsDuePanel(request.user))


@hooks.register("register_log_actions")
def register_placements_log_actions(actions):
    for model in (Nomination, Placement, SelfEmployment, FollowUp):
        actions.register_model(model, TrackerLogEntry)
    for action, label in [
        ("sakhi.employer_approved", _("Employer approved")),
        ("sakhi.employer_suspended", _("Employer suspended")),
        ("sakhi.vacancy_publish", _("Vacancy published")),
        ("sakhi.vacancy_reject", _("Vacancy rejected")),
        ("sakhi.nominate", _("Nominated")),
        ("sakhi.nomination_status", _("Nomination status")),
        ("sakhi.follow_up", _("Follow-up recorded")),
    ]:
        actions.register_action(action, label, label)


@hooks.register("register_admin_urls")
def register_outcome_report_urls():
    from . import report_views

    return [
        path("reports/outcomes/", report_views.OutcomeReportView.as_view(), name="placements_outcome_report"),
        path(
            "reports/outcomes/annual-report.pdf",
            report_views.OutcomeReportPDFView.as_view(),
            name="placements_outcome_report_pdf",
        ),
        path(
            "reports/outcomes/<slug:table>.<str:fmt>",
            report_views.OutcomeReportExportView.as_view(),
            name="placements_outcome_report_export",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_outcome_report_menu_item():
    from django.urls import reverse_lazy

    from . import report_views

    return report_views.OutcomeReportMenuItem(
        _("Outcome reports"),
        reverse_lazy("placements_outcome_report"),
        name="outcome-reports",
        icon_name="table",
        order=1000,
    )
