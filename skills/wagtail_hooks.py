from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from .admin import TrainingViewSetGroup
from .choosers import trainee_chooser
from .models import (
    Centre,
    Certificate,
    Cohort,
    CohortSession,
    Course,
    Enrolment,
    TrackerLogEntry,
    Trade,
    Trainee,
)
from .permissions import CertificatePermissionPolicy, ForUserPermissionPolicy

for model in (Centre, Cohort, Trainee, Enrolment, CohortSession):
    register_permission_policy(model, ForUserPermissionPolicy(model))
register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return TrainingViewSetGroup()


@hooks.register("register_admin_viewset")
def register_trainee_chooser():
    return trainee_chooser


class AuditTrailMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("skills.view_trainee")


@hooks.register("register_reports_menu_item")
def register_audit_trail_menu_item():
    return AuditTrailMenuItem(
        _("Training audit trail"),
        reverse("wagtailadmin_reports:site_history"),
        icon_name="history",
        order=1100,
    )


@hooks.register("register_log_actions")
def register_training_log_actions(actions):
    for model in (Centre, Certificate, Cohort, CohortSession, Course, Enrolment, Trade, Trainee):
        actions.register_model(model, TrackerLogEntry)
    actions.register_action("sakhi.view", _("View personal record"), _("Viewed the personal record"))
    actions.register_action("sakhi.consent", _("Consent change"), _("Recorded a consent change"))
    actions.register_action("sakhi.drop_out", _("Dropout"), _("Recorded a dropout"))
    actions.register_action("sakhi.complete", _("Completion"), _("Recorded completion"))
    actions.register_action("sakhi.attendance", _("Attendance"), _("Recorded attendance"))
    actions.register_action("sakhi.certificate_issue", _("Certificate issued"), _("Issued the certificate"))
    actions.register_action(
        "sakhi.certificate_revoke", _("Certificate revoked"), _("Revoked the certificate")
    )
    actions.register_action(
        "sakhi.certificate_download", _("Certificate downloaded"), _("Downloaded the certificate")
    )
    actions.register_action("sakhi.export", _("Export"), _("Exported a list"))


@hooks.register("register_admin_urls")
def register_import_urls():
    from . import import_views

    return [
        path("skills/import/", import_views.ImportRecordsView.as_view(), name="skills_import"),
        path(
            "skills/import/confirm/", import_views.ImportConfirmView.as_view(), name="skills_import_confirm"
        ),
    ]


@hooks.register("register_admin_urls")
def register_job_urls():
    """The progress pages of background jobs (skills/tasks.py), and the file a job made."""
    from . import certificate_views, import_views

    return [
        path(
            "skills/certificate-jobs/<int:pk>/",
            certificate_views.CertificateJobView.as_view(),
            name="skills_certificate_job",
        ),
        path(
            "skills/certificate-jobs/<int:pk>/certificates.pdf",
            certificate_views.CertificateJobDownloadView.as_view(),
            name="skills_certificate_job_download",
        ),
        path("skills/import/jobs/<int:pk>/", import_views.ImportJobView.as_view(), name="skills_import_job"),
    ]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    from django.urls import reverse_lazy

    from . import import_views

    # Its own item next to "Training": a ViewSetGroup takes no plain menu items (see docs/import.md).
    return import_views.ImportMenuItem(
        _("Import records"),
        reverse_lazy("skills_import"),
        name="import-records",
        icon_name="upload",
        order=201,
    )


@hooks.register("register_log_actions")
def register_import_log_action(actions):
    actions.register_action("sakhi.import", _("Import"), _("Imported training records"))
