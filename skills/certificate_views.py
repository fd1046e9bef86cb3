"""Admin views for certificates: issue one or a whole cohort, download, revoke, reissue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View
from wagtail.log_actions import log

from . import certificates, credentials
from .forms import RevokeForm
from .models import Certificate, Cohort, Enrolment
from .views import ActionView, ScopedInspectView, scoped_queryset


def cohort_url(cohort_id):
    return reverse("skills_cohort:inspect", args=[cohort_id])


class IssueCertificateView(ActionView, View):
    """Issue the certificate of one enrolment (POST from the cohort's register)."""

    model = Enrolment

    def post(self, request, *args, **kwargs):
        try:
            certificate = certificates.issue_certificate(self.object, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Certificate %(number)s issued.") % {"number": certificate.number})
        return redirect(cohort_url(self.object.cohort_id))

    def get(self, request, *args, **kwargs):
        raise PermissionDenied


class IssueCohortCertificatesView(ActionView, TemplateView):
    """Issue every eligible enrolment of a cohort in one click; list what was not issued and why."""

    model = Cohort
    template_name = "skills/certificates_issued.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return _("Certificates for %(cohort)s") % {"cohort": self.object}

    def post(self, request, *args, **kwargs):
        try:
            issued, skipped = certificates.issue_for_cohort(self.object, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(cohort_url(self.object.pk))
        context = self.get_context_data(issued=issued, skipped=skipped)
        return self.render_to_response(context)

    def get(self, request, *args, **kwargs):
        raise PermissionDenied


class CohortCertificatesDownloadView(View):
    """All valid certificates of a cohort: one combined PDF for printing, or a zip of PDFs."""

    def get(self, request, pk, fmt):
        cohort = get_object_or_404(scoped_queryset(request, Cohort, "view"), pk=pk)
        issued = list(
            Certificate.objects.valid()
            .filter(enrolment__cohort=cohort)
            .select_related(
                "enrolment__trainee",
                "enrolment__cohort__course__trade",
                "centre",
                "enrolment__cohort__centre",
            )
            .order_by("number")
        )
        if not issued:
            messages.error(request, _("No certificates have been issued for this cohort yet."))
            return redirect(cohort_url(cohort.pk))
        for certificate in issued:
            log(instance=certificate, action="sakhi.certificate_download", user=request.user)
        from .certificate_pdf import build_zip, render_combined

        name = f"certificates-{cohort.centre.code}-{cohort.pk}"
        if fmt == "pdf":
            contents = [certificates.certificate_content(c) for c in issued]
            response = HttpResponse(render_combined(contents), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
            return response
        files = [(f"{c.number}.pdf", read_pdf(c)) for c in issued]
        response = HttpResponse(build_zip(files), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
        return response


def read_pdf(certificate):
    with certificate.pdf.open("rb") as stored:
        return stored.read()


class CertificateDownloadView(View):
    """The frozen PDF of one certificate, the same bytes every time."""

    def get(self, request, pk):
        certificate = get_object_or_404(scoped_queryset(request, Certificate, "view"), pk=pk)
        log(instance=certificate, action="sakhi.certificate_download", user=request.user)
        response = FileResponse(certificate.pdf.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class CertificateCredentialDownloadView(View):
    """The signed credential of one certificate (skills/credentials.py), for the trainee to keep,
    put in a wallet or send to an employer. Scoped and audited like the PDF."""

    def get(self, request, pk):
        certificate = get_object_or_404(scoped_queryset(request, Certificate, "view"), pk=pk)
        if not certificate.credential:  # issued before credentials were signed
            raise Http404
        log(
            instance=certificate,
            action="sakhi.certificate_download",
            user=request.user,
            data={"file": "credential"},
        )
        response = HttpResponse(certificate.credential, content_type=credentials.JWT_MEDIA_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{certificate.number}.jwt"'
        response["Cache-Control"] = "private, no-store"
        return response


class RevokeCertificateView(ActionView, FormView):
    model = Certificate
    form_class = RevokeForm
    template_name = "skills/action_form.html"

    def get_page_title(self):
        return _("Revoke certificate %(number)s") % {"number": self.object.number}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = _("A revoked certificate shows as revoked to anyone who checks its code, at once.")
        context["submit_label"] = _("Revoke")
        return context

    def form_valid(self, form):
        try:
            certificates.revoke(self.object, form.cleaned_data["reason"], user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Certificate %(number)s revoked.") % {"number": self.object.number})
        return redirect(reverse("skills_certificate:inspect", args=[self.object.pk]))


class ReissueCertificateView(ActionView, View):
    model = Certificate

    def post(self, request, *args, **kwargs):
        try:
            new = certificates.reissue(self.object, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("skills_certificate:inspect", args=[self.object.pk]))
        messages.success(
            request,
            _("Certificate %(old)s revoked as reissued; the new one is %(new)s.")
            % {"old": self.object.number, "new": new.number},
        )
        return redirect(reverse("skills_certificate:inspect", args=[new.pk]))

    def get(self, request, *args, **kwargs):
        raise PermissionDenied


class CertificateInspectView(ScopedInspectView):
    header_buttons = []  # no Edit: a certificate is never edited (revoke or reissue it instead)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        policy = scoped_queryset(self.request, Certificate, "change")
        context["can_change"] = policy.filter(pk=self.object.pk).exists()
        context["verification_url"] = certificates.absolute_verification_url(self.object)
        return context


class CertificateEditRedirectView(View):
    """A certificate is never edited: its life is issue, revoke, reissue."""

    template_name = None

    def dispatch(self, request, pk, **kwargs):
        return redirect(reverse("skills_certificate:inspect", args=[pk]))

    @classmethod
    def as_view(cls, **initkwargs):
        return super().as_view()
