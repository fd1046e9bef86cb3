"""The "Training" menu of the Wagtail admin: one viewset per tracker model."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from core.forms import with_clean_text

from . import certificate_views, views
from .filters import CohortFilterSet, CourseFilterSet, EnrolmentFilterSet, TraineeFilterSet
from .forms import CentreScopedForm, EnrolmentCreateForm
from .models import (
    Centre,
    Certificate,
    Cohort,
    CohortSession,
    Course,
    Enrolment,
    EnrolmentQuerySet,
    Trade,
    Trainee,
    TraineeQuerySet,
)


def percent(value):
    return "–" if value is None else f"{value:.0f}%"


class AttendanceColumn(Column):
    def get_value(self, instance):
        return percent(instance.attendance_percent)


class TrackerViewSet(ModelViewSet):
    """Tracker defaults: ORM search, inspect views, exports, and views scoped by centre."""

    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = views.ScopedIndexView
    add_view_class = views.ScopedCreateView
    edit_view_class = views.ScopedEditView
    delete_view_class = views.ScopedDeleteView
    inspect_view_class = views.ScopedInspectView
    history_view_class = views.ScopedHistoryView
    usage_view_class = views.ScopedUsageView
    list_select_related = ()
    # True where the inspect view is where the work is done (see ScopedIndexView).
    title_opens_inspect = False
    # The queryset method that adds a list's computed columns, and the filter that must narrow
    # the list before it may be sorted by them, with why (see ScopedIndexView).
    row_annotation = None
    computed_sort_filter = None
    computed_sort_note = ""

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            list_select_related=self.list_select_related,
            title_opens_inspect=self.title_opens_inspect,
            row_annotation=self.row_annotation,
            computed_sort_filter=self.computed_sort_filter,
            computed_sort_note=self.computed_sort_note,
            **kwargs,
        )

    # Every tracker form, however a viewset builds it (panels, form_fields, its own class),
    # cleans control characters out of typed text before it validates (core.forms).
    def get_add_view_kwargs(self, **kwargs):
        view_kwargs = super().get_add_view_kwargs(**kwargs)
        return {**view_kwargs, "form_class": with_clean_text(view_kwargs["form_class"])}

    def get_edit_view_kwargs(self, **kwargs):
        view_kwargs = super().get_edit_view_kwargs(**kwargs)
        return {**view_kwargs, "form_class": with_clean_text(view_kwargs["form_class"])}


class CentreViewSet(TrackerViewSet):
    model = Centre
    icon = "home"
    list_display = ["name", "code", "district", "state", "active"]
    list_filter = ["state", "active"]
    list_export = ["name", "code", "district", "state", "phone", "opened_on", "active"]
    search_fields = ["name", "district", "state", "code"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_hi")]),
        FieldRowPanel([FieldPanel("slug"), FieldPanel("code")]),
        FieldRowPanel([FieldPanel("district"), FieldPanel("district_hi")]),
        FieldRowPanel([FieldPanel("state"), FieldPanel("state_hi")]),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("opened_on"), FieldPanel("active")]),
        FieldPanel("coordinators"),
    ]


class TradeViewSet(TrackerViewSet):
    model = Trade
    icon = "tag"
    list_display = ["name", "name_hi", "sector"]
    list_export = ["name", "name_hi", "sector"]
    search_fields = ["name", "name_hi", "sector"]
    form_fields = ["name", "name_hi", "slug", "sector"]


class CourseViewSet(TrackerViewSet):
    model = Course
    icon = "doc-full"
    list_display = ["title", "trade", "duration_days", "hours", "min_attendance_percent"]
    list_select_related = ["trade"]
    filterset_class = CourseFilterSet
    list_export = ["title", "title_hi", "trade", "duration_days", "hours", "min_attendance_percent"]
    search_fields = ["title", "title_hi"]
    edit_view_class = views.CourseEditView
    form_fields = [
        "trade",
        "title",
        "title_hi",
        "duration_days",
        "hours",
        "min_attendance_percent",
        "eligibility",
        "syllabus",
    ]


class CohortViewSet(TrackerViewSet):
    model = Cohort
    title_opens_inspect = True
    icon = "group"
    list_display = ["__str__", "centre", "start_date", "end_date", "status", "capacity", "seats_taken"]
    list_select_related = ["course", "centre"]
    filterset_class = CohortFilterSet
    list_export = [
        "id",
        "course",
        "course.trade",
        "centre",
        "start_date",
        "end_date",
        "status",
        "capacity",
        "seats_taken",
        "trainer",
        "venue",
        "funding",
    ]
    search_fields = ["course__title", "centre__name", "trainer", "venue"]
    inspect_view_class = views.CohortInspectView
    edit_view_class = views.CohortEditView
    inspect_template_name = "skills/cohort_inspect.html"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("course"), FieldPanel("centre")]),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("capacity")]),
            FieldRowPanel([FieldPanel("status"), FieldPanel("schedule")]),
            FieldRowPanel([FieldPanel("venue"), FieldPanel("trainer"), FieldPanel("funding")]),
        ],
        base_form_class=CentreScopedForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/enrol/", views.BulkEnrolView.as_view(), name="bulk_enrol"),
            path("<int:pk>/attendance/", views.TakeAttendanceView.as_view(), name="take_attendance"),
            path("<int:pk>/attendance/<str:day>/", views.NewRegisterView.as_view(), name="register"),
            path(
                "<int:pk>/certificates/",
                certificate_views.IssueCohortCertificatesView.as_view(),
                name="issue_certificates",
            ),
            path(
                "<int:pk>/certificates.<str:fmt>",
                certificate_views.CohortCertificatesDownloadView.as_view(),
                name="certificates_download",
            ),
        ]


class TraineeViewSet(TrackerViewSet):
    model = Trainee
    title_opens_inspect = True
    icon = "user"
    list_display = ["full_name", "centre", "district", "consent_share_with_employers", "consent_follow_up"]
    list_select_related = ["centre"]
    filterset_class = TraineeFilterSet
    list_export = [
        "id",
        "register_number",
        "full_name",
        "name_hi",
        "centre",
        "district",
        "education",
        "consent_share_with_employers",
        "consent_follow_up",
    ]
    search_fields = list(TraineeQuerySet.search_fields)
    index_view_class = views.TraineeIndexView
    add_view_class = views.TraineeCreateView
    edit_view_class = views.TraineeEditView
    inspect_view_class = views.TraineeInspectView
    inspect_template_name = "skills/trainee_inspect.html"
    inspect_view_fields = [
        "full_name",
        "name_hi",
        "centre",
        "register_number",
        "date_of_birth",
        "district",
        "education",
        "referred_by",
        "consent_share_with_employers",
        "consent_share_recorded_at",
        "consent_share_recorded_by",
        "consent_follow_up",
        "consent_follow_up_recorded_at",
        "consent_follow_up_recorded_by",
        "do_not_contact",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("full_name"), FieldPanel("name_hi")]),
            FieldRowPanel([FieldPanel("centre"), FieldPanel("register_number")]),
            FieldRowPanel([FieldPanel("date_of_birth"), FieldPanel("district")]),
            FieldRowPanel([FieldPanel("phone"), FieldPanel("education"), FieldPanel("referred_by")]),
            FieldPanel("guardian_consent_basis"),
            MultiFieldPanel(
                [
                    FieldPanel("do_not_contact"),
                    FieldRowPanel([FieldPanel("safe_phone"), FieldPanel("safe_time_to_call")]),
                ],
                heading=_("Safety when contacting her"),
            ),
            MultiFieldPanel(
                [FieldPanel("consent_share_with_employers"), FieldPanel("consent_follow_up")],
                heading=_("Consent (ask her; both stay off unless she agrees)"),
            ),
        ],
        base_form_class=CentreScopedForm,
    )


class EnrolmentViewSet(TrackerViewSet):
    model = Enrolment
    icon = "list-ul"
    list_display = [
        "trainee",
        "cohort",
        "status",
        "enrolled_on",
        "completed_on",
        AttendanceColumn("attendance_percent", label=_("Attendance"), sort_key="attendance_percent"),
    ]
    list_select_related = ["trainee", "cohort__course", "cohort__centre"]
    filterset_class = EnrolmentFilterSet
    list_export = [
        "id",
        "trainee",
        "cohort",
        "status",
        "enrolled_on",
        "dropped_on",
        "dropout_reason",
        "completed_on",
        "assessment_result",
        "attendance_percent",
    ]
    search_fields = list(EnrolmentQuerySet.search_fields)
    add_view_class = views.EnrolmentCreateView
    delete_view_class = views.EnrolmentDeleteView
    row_annotation = "with_attendance"
    computed_sort_filter = "cohort"
    computed_sort_note = _("open one cohort's enrolments to sort by it")
    form_class = EnrolmentCreateForm
    # Status changes only through the dropout and completion actions, which keep the seat count.
    panels = [FieldPanel("enrolled_on"), FieldPanel("assessment_result")]

    def get_form_class(self, for_update=False):
        if not for_update:
            return EnrolmentCreateForm
        return super().get_form_class(for_update=True)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/drop/", views.DropOutView.as_view(), name="drop_out"),
            path("<int:pk>/complete/", views.CompleteView.as_view(), name="complete"),
            path(
                "<int:pk>/certificate/",
                certificate_views.IssueCertificateView.as_view(),
                name="issue_certificate",
            ),
        ]


class CohortSessionViewSet(TrackerViewSet):
    model = CohortSession
    icon = "date"
    menu_label = _("Sessions")
    list_display = ["date", "cohort", "topic"]
    list_select_related = ["cohort__course", "cohort__centre"]
    list_export = ["date", "cohort", "topic"]
    search_fields = ["cohort__course__title", "topic"]
    delete_view_class = views.SessionDeleteView
    edit_handler = ObjectList(
        [FieldPanel("cohort"), FieldPanel("date"), FieldPanel("topic")], base_form_class=CentreScopedForm
    )

    def get_urlpatterns(self):
        # The register of a session already taken (a new day's is the cohort's "register").
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
        ]


class CertificateViewSet(TrackerViewSet):
    """Certificates are issued, revoked and reissued through actions, never edited."""

    model = Certificate
    icon = "doc-full"
    list_display = ["number", "enrolment", "issued_on", "is_valid"]
    list_select_related = ["enrolment__trainee", "enrolment__cohort__course", "enrolment__cohort__centre"]
    list_filter = ["centre", "year"]
    list_export = ["number", "enrolment", "issued_on", "revoked_at", "revoked_reason"]
    search_fields = ["number", "verification_code"]
    inspect_view_class = certificate_views.CertificateInspectView
    inspect_template_name = "skills/certificate_inspect.html"
    edit_view_class = certificate_views.CertificateEditRedirectView
    form_fields = ["revoked_reason"]  # never shown: editing redirects to the inspect view

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/download/", certificate_views.CertificateDownloadView.as_view(), name="download"),
            path(
                "<int:pk>/credential/",
                certificate_views.CertificateCredentialDownloadView.as_view(),
                name="credential_download",
            ),
            path("<int:pk>/revoke/", certificate_views.RevokeCertificateView.as_view(), name="revoke"),
            path("<int:pk>/reissue/", certificate_views.ReissueCertificateView.as_view(), name="reissue"),
        ]


class TrainingViewSetGroup(ViewSetGroup):
    menu_label = _("Training")
    menu_icon = "group"
    menu_order = 200
    items = (
        TraineeViewSet("skills_trainee"),
        CohortViewSet("skills_cohort"),
        EnrolmentViewSet("skills_enrolment"),
        CohortSessionViewSet("skills_cohortsession"),
        CertificateViewSet("skills_certificate"),
        CourseViewSet("skills_course"),
        TradeViewSet("skills_trade"),
        CentreViewSet("skills_centre"),
    )
