from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Placements")

    def ready(self):
        from skills.models import Centre, Cohort, Course, Enrolment, TrackerLogEntry, Trade

        from . import public_figures
        from .models import FollowUp, Placement, SelfEmployment

        # Every record a public figure counts or groups by: a change to any refreshes them.
        for model in (Enrolment, Placement, SelfEmployment, FollowUp, Cohort, Course, Centre, Trade):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    public_figures.tracker_changed,
                    sender=model,
                    dispatch_uid=f"public_figures_{name}_{model._meta.label_lower}",
                )
        post_save.connect(
            public_figures.import_logged, sender=TrackerLogEntry, dispatch_uid="public_figures_import"
        )
