"""The public "report this vacancy" form. It asks nothing about the person reporting."""

import logging

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextMixin
from core.mail import send_email
from skills.roles import COORDINATORS

from .models import VacancyReport

logger = logging.getLogger(__name__)


def coordinator_addresses():
    return list(
        get_user_model()
        .objects.filter(groups__name=COORDINATORS, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


class VacancyReportForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this vacancy?"),
        help_text=_(
            "For example: it asks for money, the pay or the work is not as described, or it seems unsafe. "
            "Please do not write your name or phone number."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # A trap for robots: hidden from people (and screen readers), so only robots fill it in.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def is_from_a_robot(self):
        return bool(self.cleaned_data.get("website"))

    def save(self, request, vacancy):
        """Record the report and tell the coordinators; a mail failure never loses the report."""
        report = VacancyReport.objects.create(vacancy=vacancy, reason=self.cleaned_data["reason"])
        self.tell_coordinators(request, report)
        return report

    def tell_coordinators(self, request, report):
        recipients = coordinator_addresses()
        if not recipients:
            logger.warning("No coordinator has an e-mail address to hear of vacancy report %s.", report.pk)
            return
        vacancy = report.vacancy
        # Coordinators read the site's default language, whichever language the report came in.
        with translation.override(settings.LANGUAGE_CODE):
            subject = gettext("Vacancy reported: %(title)s") % {"title": " ".join(vacancy.title.split())}
            body = gettext(
                "Someone reported a vacancy on the public board.\n\n"
                "Vacancy: %(title)s, %(organisation)s, %(district)s\n"
                "Public page: %(url)s\n\n"
                "What is wrong, in their words:\n%(reason)s\n\n"
                "Please check the vacancy and resolve the report in the admin: %(admin)s"
            ) % {
                "title": vacancy.title,
                "organisation": vacancy.employer.organisation,
                "district": vacancy.district,
                "url": request.build_absolute_uri(vacancy.get_absolute_url()),
                "reason": report.reason,
                "admin": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_home"),
            }
        # A background task: a mail server that refuses fails the task (logged by class only,
        # core/mail.py), never the report, which the admin list shows anyway.
        send_email(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
