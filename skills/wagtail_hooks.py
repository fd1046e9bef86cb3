from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import views
from .admin import TrainingViewSetGroup
from .models import Centre, Cohort, CohortSession, Enrolment, Trainee
from .permissions import CentrePermissionPolicy, CentreScopedPermissionPolicy

register_permission_policy(Centre, CentrePermissionPolicy(Centre))
register_permission_policy(Cohort, CentreScopedPermissionPolicy(Cohort, "centre"))
register_permission_policy(Trainee, CentreScopedPermissionPolicy(Trainee, "centre"))
register_permission_policy(Enrolment, CentreScopedPermissionPolicy(Enrolment, "cohort__centre"))
register_permission_policy(CohortSession, CentreScopedPermissionPolicy(CohortSession, "cohort__centre"))


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return TrainingViewSetGroup()


@hooks.register("register_admin_urls")
def register_training_action_urls():
    return [
        path("skills/attendance/<int:pk>/", views.AttendanceView.as_view(), name="skills_attendance"),
        path(
            "skills/cohort/<int:pk>/attendance/",
            views.TakeAttendanceView.as_view(),
            name="skills_take_attendance",
        ),
        path("skills/cohort/<int:pk>/enrol/", views.BulkEnrolView.as_view(), name="skills_bulk_enrol"),
        path("skills/enrolment/<int:pk>/drop/", views.DropOutView.as_view(), name="skills_drop_out"),
        path("skills/enrolment/<int:pk>/complete/", views.CompleteView.as_view(), name="skills_complete"),
    ]


@hooks.register("register_log_actions")
def register_training_log_actions(actions):
    actions.register_action("sakhi.view", _("View personal record"), _("Viewed the personal record"))
    actions.register_action("sakhi.consent", _("Consent change"), _("Recorded a consent change"))
    actions.register_action("sakhi.drop_out", _("Dropout"), _("Recorded a dropout"))
    actions.register_action("sakhi.complete", _("Completion"), _("Recorded completion"))
    actions.register_action("sakhi.attendance", _("Attendance"), _("Recorded attendance"))
