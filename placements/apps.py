from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Placements")

    def ready(self):
        from skills.models import Centre, Cohort, Course, Enrolment, TrackerLogEntry, Trade, Trainee

        from . import public_figures, summaries
        from .models import FollowUp, Placement, SelfEmployment

        # Every record a public figure counts or groups by: a change to any refreshes them (a
        # trainee's home centre decides whose figures she is in).
        for model in (Enrolment, Placement, SelfEmployment, FollowUp, Cohort, Course, Centre, Trade, Trainee):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    public_figures.tracker_changed,
                    sender=model,
                    dispatch_uid=f"public_figures_{name}_{model._meta.label_lower}",
                )
        post_save.connect(
            public_figures.import_logged, sender=TrackerLogEntry, dispatch_uid="public_figures_import"
        )

        # The reporting summaries of the women whose records change (placements.summaries).
        for model in (Enrolment, Placement, SelfEmployment):
            pre_save.connect(
                summaries.remember_trainee,
                sender=model,
                dispatch_uid=f"summaries_before_{model._meta.label_lower}",
            )
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    summaries.outcome_or_enrolment_changed,
                    sender=model,
                    dispatch_uid=f"summaries_{name}_{model._meta.label_lower}",
                )
        post_save.connect(summaries.trainee_saved, sender=Trainee, dispatch_uid="summaries_trainee")
        post_save.connect(summaries.cohort_saved, sender=Cohort, dispatch_uid="summaries_cohort")
        post_save.connect(summaries.course_saved, sender=Course, dispatch_uid="summaries_course")
        post_save.connect(summaries.import_logged, sender=TrackerLogEntry, dispatch_uid="summaries_import")
        post_migrate.connect(summaries.build_if_missing, sender=self, dispatch_uid="summaries_after_migrate")
