from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Placements")

    def ready(self):
        from skills.models import Centre, Cohort, Course, Enrolment, TrackerLogEntry, Trade, Trainee

        from . import public_figures, summaries
        from .models import FollowUp, Placement, SelfEmployment

        # Every record a public figure counts or groups by: a change to any makes the cached figures
        # stale (a trainee's home centre decides whose figures she is in). A decoupled reaction, so
        # signals; bulk writes call invalidate_public_figures() themselves.
        # The impact block's lists of centres are kept under the centres' own token.
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(public_figures.centres_changed, sender=Centre, dispatch_uid=f"centre_lists_{name}")
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

        # The reporting summaries are refreshed by explicit calls (placements.summaries): here only
        # the changes skills announces (core.changes), and the build after migrate.
        summaries.connect()
        post_migrate.connect(summaries.build_if_missing, sender=self, dispatch_uid="summaries_after_migrate")
