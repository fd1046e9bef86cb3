"""The "Placements" menu of the Wagtail admin."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup

from skills.admin import TrackerViewSet
from skills.choosers import trainee_chooser
from skills.forms import CentreScopedForm

from . import admin_views
from .models import Employer, FollowUp, Nomination, Placement, SelfEmployment, Vacancy, VacancyReport


class EmployerViewSet(TrackerViewSet):
    model = Employer
    icon = "site"
    list_display = ["organisation", "sector", "district", "status", "registered_at"]
    list_filter = ["status", "district"]
    list_export = ["organisation", "sector", "district", "contact_person", "email", "phone", "status"]
    search_fields = ["organisation", "district", "sector"]
    inspect_template_name = "placements/employer_inspect.html"
    form_fields = ["organisation", "sector", "district", "contact_person", "email", "phone"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/review/", admin_views.ReviewEmployerView.as_view(), name="review"),
        ]


class VacancyViewSet(TrackerViewSet):
    model = Vacancy
    title_opens_inspect = True
    icon = "tasks"
    # effective_status: a published vacancy past its closing date reads "Closed", as on the portal.
    list_display = ["title", "employer", "district", "effective_status", "closing_date"]
    list_select_related = ["employer"]
    list_filter = ["status", "job_type", "district"]
    list_export = [
        "title",
        "employer",
        "district",
        "openings",
        "pay_min",
        "pay_max",
        "job_type",
        "status",
        "closing_date",
    ]
    search_fields = ["title", "employer__organisation", "district"]
    inspect_template_name = "placements/vacancy_inspect.html"
    inspect_view_fields = [
        "title",
        "employer",
        "trades",
        "description",
        "district",
        "openings",
        "pay_min",
        "pay_max",
        "job_type",
        "closing_date",
        "effective_status",
        "rejection_reason",
        "created_at",
        "published_at",
    ]
    form_fields = [
        "title",
        "trades",
        "description",
        "district",
        "openings",
        "pay_min",
        "pay_max",
        "job_type",
        "closing_date",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/publish/", admin_views.PublishVacancyView.as_view(), name="publish"),
            path("<int:pk>/reject/", admin_views.RejectVacancyView.as_view(), name="reject"),
        ]


class NominationViewSet(TrackerViewSet):
    model = Nomination
    title_opens_inspect = True
    icon = "user"
    list_display = ["trainee", "vacancy", "status", "nominated_at"]
    list_select_related = ["trainee", "vacancy__employer"]
    list_filter = ["status"]
    list_export = ["trainee", "vacancy", "status", "nominated_at"]
    search_fields = ["trainee__full_name", "vacancy__title"]
    inspect_template_name = "placements/nomination_inspect.html"
    add_view_class = admin_views.NominationCreateView
    form_fields = ["trainee", "vacancy"]

    def get_form_class(self, for_update=False):
        return admin_views.NominationCreateForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/withdraw/", admin_views.WithdrawNominationView.as_view(), name="withdraw"),
            path("<int:pk>/hire/", admin_views.ConfirmHireView.as_view(), name="confirm_hire"),
        ]


class PlacementViewSet(TrackerViewSet):
    model = Placement
    icon = "pick"
    list_display = ["trainee", "job_title", "employer_display", "monthly_pay", "start_date", "end_date"]
    list_select_related = ["trainee", "employer"]
    list_filter = ["start_date", "end_date"]
    list_export = ["trainee", "job_title", "employer_display", "monthly_pay", "start_date", "end_date"]
    search_fields = ["trainee__full_name", "job_title", "employer_name", "employer__organisation"]
    add_view_class = admin_views.OutcomeCreateView
    edit_view_class = admin_views.OutcomeEditView
    delete_view_class = admin_views.OutcomeDeleteView
    inspect_template_name = "placements/placement_inspect.html"
    inspect_view_fields = [
        "trainee",
        "employer_display",
        "job_title",
        "monthly_pay",
        "start_date",
        "end_date",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("trainee", widget=trainee_chooser.widget_class),
            FieldRowPanel([FieldPanel("employer"), FieldPanel("employer_name")]),
            FieldRowPanel([FieldPanel("job_title"), FieldPanel("monthly_pay")]),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            FieldPanel("evidence"),
        ],
        base_form_class=CentreScopedForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/evidence/", admin_views.EvidenceDownloadView.as_view(), name="evidence_download"),
        ]


class SelfEmploymentViewSet(TrackerViewSet):
    model = SelfEmployment
    icon = "home"
    list_display = ["trainee", "kind", "monthly_income", "start_date", "end_date"]
    list_select_related = ["trainee"]
    list_filter = ["start_date", "got_toolkit", "got_loan", "in_self_help_group"]
    list_export = [
        "trainee",
        "kind",
        "monthly_income",
        "start_date",
        "end_date",
        "got_toolkit",
        "got_loan",
        "in_self_help_group",
    ]
    search_fields = ["trainee__full_name", "kind"]
    add_view_class = admin_views.OutcomeCreateView
    edit_view_class = admin_views.OutcomeEditView
    delete_view_class = admin_views.OutcomeDeleteView
    edit_handler = ObjectList(
        [
            FieldPanel("trainee", widget=trainee_chooser.widget_class),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("monthly_income")]),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            FieldRowPanel(
                [FieldPanel("got_toolkit"), FieldPanel("got_loan"), FieldPanel("in_self_help_group")]
            ),
        ],
        base_form_class=CentreScopedForm,
    )


class FollowUpViewSet(TrackerViewSet):
    model = FollowUp
    icon = "date"
    list_display = ["due_on", "months", "outcome", "result", "done_on"]
    list_select_related = ["placement__trainee", "self_employment__trainee"]
    list_filter = ["result", "months", "due_on"]
    list_export = ["due_on", "months", "result", "done_on", "monthly_income"]
    search_fields = ["placement__trainee__full_name", "self_employment__trainee__full_name"]
    inspect_template_name = "placements/follow_up_inspect.html"
    form_fields = ["due_on"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/record/", admin_views.RecordFollowUpView.as_view(), name="record"),
        ]


class VacancyReportViewSet(TrackerViewSet):
    model = VacancyReport
    icon = "warning"
    list_display = ["vacancy", "reported_at", "resolved"]
    list_select_related = ["vacancy"]
    list_filter = ["resolved"]
    search_fields = ["vacancy__title", "reason"]
    form_fields = ["resolved"]


class PlacementsViewSetGroup(ViewSetGroup):
    menu_label = _("Placements")
    menu_icon = "pick"
    menu_order = 210
    items = (
        EmployerViewSet("placements_employer"),
        VacancyViewSet("placements_vacancy"),
        NominationViewSet("placements_nomination"),
        PlacementViewSet("placements_placement"),
        SelfEmploymentViewSet("placements_selfemployment"),
        FollowUpViewSet("placements_followup"),
        VacancyReportViewSet("placements_vacancyreport"),
    )
