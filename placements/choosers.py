"""Choosing a trainee to nominate: the trainee chooser, narrowed to those who may be nominated."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from skills import choosers


def nominable(trainees):
    """Adults who agreed to share their profile with employers (services.why_not_nominate
    checks the same for the one being nominated)."""
    return trainees.adults().consenting_to_employers()


def nominable_by(user):
    return nominable(choosers.trainees_user_may_change(user))


class NomineeScopeMixin:
    def get_trainees(self):
        return nominable_by(self.request.user)


class NomineeChooseView(NomineeScopeMixin, choosers.TraineeChooseView):
    pass


class NomineeChooseResultsView(NomineeScopeMixin, choosers.TraineeChooseResultsView):
    pass


class NomineeChosenView(choosers.TraineeChosenView):
    def get_object(self, pk):
        return get_object_or_404(nominable_by(self.request.user), pk=pk)


class NomineeChooserViewSet(choosers.TraineeChooserViewSet):
    choose_one_text = _("Choose a trainee to nominate")
    choose_view_class = NomineeChooseView
    choose_results_view_class = NomineeChooseResultsView
    chosen_view_class = NomineeChosenView


nominee_chooser = NomineeChooserViewSet("placements_nominee_chooser")
