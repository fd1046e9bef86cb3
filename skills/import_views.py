"""Admin views of the historical import: upload a CSV file, preview what it would do, confirm.

Between preview and confirm the uploaded file waits in a private file named by a random token
that only the session knows: no personal data travels in a URL or sits in the session table.
Confirm deletes it, and an upload clears files that abandoned previews left for a day."""

import datetime
import os
import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.uploads import CSV, checked_upload

from .importer import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, import_records, user_can_import

SESSION_KEY = "sakhi_import_upload"
TOKEN = re.compile(r"[0-9a-f]{32}")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
SHOWN_PROBLEMS = 500
ABANDONED_AFTER = datetime.timedelta(days=1)


def upload_dir():
    return Path(settings.PRIVATE_MEDIA_ROOT) / "import-uploads"


def keep_upload(request, data, name):
    """Hold the uploaded bytes until the user confirms; the session keeps only the token."""
    discard_upload(request)
    folder = upload_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    cutoff = time.time() - ABANDONED_AFTER.total_seconds()
    for old in folder.glob("*.csv"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    descriptor = os.open(folder / f"{token}.csv", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    request.session[SESSION_KEY] = {"token": token, "name": name}


def pending_upload(request):
    """The path of the file waiting for confirmation, and its name, if there is one."""
    pending = request.session.get(SESSION_KEY) or {}
    token = pending.get("token", "")
    if not TOKEN.fullmatch(token):
        return None, ""
    path = upload_dir() / f"{token}.csv"
    return (path if path.exists() else None), pending.get("name", "")


def discard_upload(request):
    path, _name = pending_upload(request)
    if path is not None:
        path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)


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
            keep_upload(self.request, data, upload.name)
        else:
            discard_upload(self.request)
        return self.render_preview(result, upload.name)


class ImportConfirmView(ImportRecordsView):
    """The real import of the file previewed: all of it, or nothing if anything changed meanwhile."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        path, name = pending_upload(request)
        if path is None:
            messages.error(request, _("There is no previewed file to import; upload it again."))
            return redirect("skills_import")
        data = path.read_bytes()
        discard_upload(request)
        result = import_records(data, user=request.user)
        if not result.ok:
            return self.render_preview(result, name)
        messages.success(
            request,
            # Counts as "label: number", so that one row or one trainee reads right in both languages.
            _(
                "Imported %(name)s. Rows: %(rows)d. Created: trainees %(trainees)d, cohorts %(cohorts)d, "
                "enrolments %(enrolments)d. Already in the tracker: %(unchanged)d."
            )
            % {
                "rows": result.rows,
                "name": name,
                "trainees": result.created_trainees,
                "cohorts": result.created_cohorts,
                "enrolments": result.created_enrolments,
                "unchanged": result.unchanged,
            },
        )
        return redirect("skills_trainee:index")


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_import(request.user)
