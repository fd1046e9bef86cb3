"""Admin views for certificates: issue one or a whole cohort, download, revoke, reissue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import certificates, credentials, tasks
from .forms import RevokeForm
from .models import Certificate, CertificateJob, Cohort, Enrolment, JobStatus
from .storage import private_file_response
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


class IssueCohortCertificatesView(ActionView, View):
    """Issue every eligible enrolment of a cohort in one click: a background job (skills/tasks.py)
    whose progress page lists, once it is done, what was issued, what was not and why, and offers
    the lot as one PDF."""

    model = Cohort

    def post(self, request, *args, **kwargs):
        try:
            certificates.require_neutral_address()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(cohort_url(self.object.pk))
        job = tasks.start_certificate_job(self.object, request.user)
        return redirect(job.get_absolute_url())

    def get(self, request, *args, **kwargs):
        raise PermissionDenied


def certificate_jobs(request):
    """The certificate jobs of the cohorts the user may see."""
    return CertificateJob.objects.filter(cohort__in=scoped_queryset(request, Cohort, "view"))


class CertificateJobView(WagtailAdminTemplateMixin, TemplateView):
    """A cohort's certificate job: how far it has got, then what was issued and the PDF."""

    template_name = "skills/certificate_job.html"
    header_icon = "doc-full"

    def dispatch(self, request, pk):
        self.job = get_object_or_404(
            certificate_jobs(request).select_related("cohort__course", "cohort__centre"), pk=pk
        )
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Certificates for %(cohort)s") % {"cohort": self.job.cohort}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("skills_cohort:index"), "label": _("Cohorts")},
            {"url": cohort_url(self.job.cohort_id), "label": str(self.job.cohort)},
            {"url": "", "label": _("Certificates")},
        ]

    def get_context_data(self, **kwargs):
        job = self.job
        items = list(
            job.items.select_related("enrolment__trainee", "certificate__enrolment__trainee").order_by(
                "enrolment__trainee__full_name", "enrolment_id"
            )
        )
        return super().get_context_data(
            job=job,
            object=job.cohort,
            settled=len(items),
            issued=[item.certificate for item in items if item.certificate_id],
            skipped=[item for item in items if not item.certificate_id],
            stalled=not job.finished and job.updated_at < tasks.stalled_since(),
            **kwargs,
        )


class CertificateJobDownloadView(View):
    """The PDF a certificate job made, for printing; every certificate in it is in the audit trail
    as downloaded. A certificate revoked since is never handed out again in it."""

    def get(self, request, pk):
        job = get_object_or_404(certificate_jobs(request), pk=pk, status=JobStatus.DONE)
        printed = scoped_queryset(request, Certificate, "view").filter(pk__in=job.certificates_in_file)
        if not job.file or printed.count() != len(job.certificates_in_file):
            raise Http404
        if printed.filter(revoked_at__isnull=False).exists():
            messages.error(
                request,
                _(
                    "A certificate in this PDF has been revoked since; download the cohort's valid "
                    "certificates instead."
                ),
            )
            return redirect(job.get_absolute_url())
        return private_file_response(
            request,
            list(printed),
            job.file,
            action="sakhi.certificate_download",
            filename=f"certificates-{job.cohort.centre.code}-{job.cohort_id}.pdf",
            content_type="application/pdf",
            data={"file": "cohort PDF", "job": job.pk},
        )


COHORT_DOWNLOADS = {"pdf": "application/pdf", "zip": "application/zip"}


class CohortCertificatesDownloadView(View):
    """All valid certificates of a cohort: one combined PDF for printing, or a zip of PDFs."""

    def get(self, request, pk, fmt):
        if fmt not in COHORT_DOWNLOADS:
            raise Http404
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
        from .certificate_pdf import build_zip, render_combined

        if fmt == "pdf":
            made = render_combined([certificates.certificate_content(c) for c in issued])
        else:
            made = build_zip([(f"{c.number}.pdf", read_pdf(c)) for c in issued])
        return private_file_response(
            request,
            issued,
            made,
            action="sakhi.certificate_download",
            filename=f"certificates-{cohort.centre.code}-{cohort.pk}.{fmt}",
            content_type=COHORT_DOWNLOADS[fmt],
        )


def read_pdf(certificate):
    with certificate.pdf.open("rb") as stored:
        return stored.read()


class CertificateDownloadView(View):
    """The frozen PDF of one certificate, the same bytes every time."""

    def get(self, request, pk):
        certificate = get_object_or_404(scoped_queryset(request, Certificate, "view"), pk=pk)
        return private_file_response(
            request,
            certificate,
            certificate.pdf,
            action="sakhi.certificate_download",
            filename=f"{certificate.number}.pdf",
        )


class CertificateCredentialDownloadView(View):
    """The signed credential of one certificate (skills/credentials.py), for the trainee to keep,
    put in a wallet or send to an employer. Scoped and audited like the PDF."""

    def get(self, request, pk):
        certificate = get_object_or_404(scoped_queryset(request, Certificate, "view"), pk=pk)
        if not certificate.credential:  # issued before credentials were signed
            raise Http404
        return private_file_response(
            request,
            certificate,
            certificate.credential.encode(),
            action="sakhi.certificate_download",
            filename=f"{certificate.number}.jwt",
            content_type=credentials.JWT_MEDIA_TYPE,
            data={"file": "credential"},
        )


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
