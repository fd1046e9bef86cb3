"""Admin views of the historical import: upload a CSV file, preview what it would do, confirm.

Between preview and confirm the uploaded file waits in private storage (storages["private"],
shared by every app server and task worker), named by a random token that only the session
knows: no personal data travels in a URL or sits in the session table. Confirm takes it, and an
upload clears files that abandoned previews left for a day.

A file of more rows than SAKHI_IMPORT_TASK_ROWS is imported by the task worker (skills/tasks.py):
confirm leads to a progress page, then to the same result, all of it or nothing."""

import datetime
import re
import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.uploads import CSV, checked_upload

from . import tasks
from .importer import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, Problem, import_records, user_can_import
from .models import ImportJob, JobStatus, private_storage

SESSION_KEY = "sakhi_import_upload"
TOKEN = re.compile(r"[0-9a-f]{32}")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
SHOWN_PROBLEMS = 500
ABANDONED_AFTER = datetime.timedelta(days=1)


def upload_name(token):
    return f"{tasks.UPLOAD_FOLDER}/{token}.csv"


def clear_abandoned_uploads():
    """Files of previews never confirmed, a day old; not those an unfinished import job reads."""
    storage = private_storage()
    try:
        _folders, names = storage.listdir(tasks.UPLOAD_FOLDER)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - ABANDONED_AFTER
    in_use = set(ImportJob.objects.unfinished().values_list("upload", flat=True))
    for name in names:
        path = f"{tasks.UPLOAD_FOLDER}/{name}"
        if path not in in_use and storage.get_modified_time(path) < cutoff:
            storage.delete(path)


def keep_upload(request, data, name, rows):
    """Hold the uploaded bytes until the user confirms; the session keeps only the token."""
    discard_upload(request)
    clear_abandoned_uploads()
    token = secrets.token_hex(16)
    stored = private_storage().save(upload_name(token), ContentFile(data))
    if stored != upload_name(token):  # a name taken already: never read someone else's file
        private_storage().delete(stored)
        raise RuntimeError("the upload's random name was taken")
    request.session[SESSION_KEY] = {"token": token, "name": name, "rows": rows}


def pending_upload(request):
    """The storage name of the file waiting for confirmation, its file name and rows, if there is one."""
    pending = request.session.get(SESSION_KEY) or {}
    token = pending.get("token", "")
    if not TOKEN.fullmatch(token) or not private_storage().exists(upload_name(token)):
        return None, "", 0
    return upload_name(token), pending.get("name", ""), pending.get("rows", 0)


def discard_upload(request):
    stored, _name, _rows = pending_upload(request)
    if stored is not None:
        private_storage().delete(stored)
    request.session.pop(SESSION_KEY, None)


def import_counts_message(name, result):
    # Counts as "label: number", so that one row or one trainee reads right in both languages.
    return _(
        "Imported %(name)s. Rows: %(rows)d. Created: trainees %(trainees)d, cohorts %(cohorts)d, "
        "enrolments %(enrolments)d. Already in the tracker: %(unchanged)d."
    ) % {
        "rows": result.rows,
        "name": name,
        "trainees": result.created_trainees,
        "cohorts": result.created_cohorts,
        "enrolments": result.created_enrolments,
        "unchanged": result.unchanged,
    }


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy('UTF-8 (in Excel: "CSV UTF-8"), with a first line naming the columns.'),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is larger than %(size)d MB; import it in parts, or with the import_records command."
                )
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        # The one check every upload passes (core.uploads): a .csv name, and not a spreadsheet,
        # PDF, image or program saved under one.
        return checked_upload(file, kinds=[CSV], max_bytes=MAX_UPLOAD_BYTES)


class ImportRecordsView(WagtailAdminTemplateMixin, FormView):
    """Upload, then a preview of the counts and every problem: a dry run as the user."""

    form_class = ImportUploadForm
    template_name = "skills/import_upload.html"
    preview_template_name = "skills/import_preview.html"
    page_title = gettext_lazy("Import records")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not user_can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("skills_trainee:index"), "label": _("Trainees")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            required_columns=REQUIRED_COLUMNS, optional_columns=OPTIONAL_COLUMNS, **kwargs
        )

    def render_preview(self, result, name, form=None):
        context = self.get_context_data(
            form=form or self.get_form_class()(),
            result=result,
            file_name=name,
            problems=result.problems[:SHOWN_PROBLEMS],
            hidden_problems=max(len(result.problems) - SHOWN_PROBLEMS, 0),
        )
        return TemplateResponse(self.request, self.preview_template_name, context)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        data = upload.read()
        result = import_records(data, user=self.request.user, dry_run=True)
        if result.ok:
            keep_upload(self.request, data, upload.name, result.rows)
        else:
            discard_upload(self.request)
        return self.render_preview(result, upload.name)


class ImportConfirmView(ImportRecordsView):
    """The real import of the file previewed: all of it, or nothing if anything changed meanwhile.
    A large file goes to the task worker, and she follows it on its progress page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        stored, name, rows = pending_upload(request)
        if stored is None:
            messages.error(request, _("There is no previewed file to import; upload it again."))
            return redirect("skills_import")
        if rows > tasks.import_task_rows():
            request.session.pop(SESSION_KEY, None)  # the job holds the file now
            job = tasks.start_import_job(stored, name, rows, request.user)
            return redirect(job.get_absolute_url())
        with private_storage().open(stored, "rb") as file:
            data = file.read()
        discard_upload(request)
        result = import_records(data, user=request.user)
        if not result.ok:
            return self.render_preview(result, name)
        messages.success(request, import_counts_message(name, result))
        return redirect("skills_trainee:index")


class ImportJobView(WagtailAdminTemplateMixin, TemplateView):
    """A large import's progress page; when it ends, its result: the counts, or every problem
    (and then nothing was written)."""

    template_name = "skills/import_job.html"
    page_title = gettext_lazy("Import records")
    header_icon = "upload"

    def dispatch(self, request, pk):
        self.job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
        return super().dispatch(request, pk)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("skills_import"), "label": _("Import records")},
            {"url": "", "label": self.job.file_name},
        ]

    def get_context_data(self, **kwargs):
        job = self.job
        problems = [Problem(*problem) for problem in job.problems]
        return super().get_context_data(
            job=job,
            progress=None if job.finished else tasks.import_progress(job.pk),
            stalled=not job.finished and job.updated_at < tasks.stalled_since(),
            summary=import_counts_message(job.file_name, job) if job.status == JobStatus.DONE else "",
            form=ImportUploadForm(),
            problems=problems[:SHOWN_PROBLEMS],
            hidden_problems=max(len(problems) - SHOWN_PROBLEMS, 0),
            **kwargs,
        )


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_import(request.user)
