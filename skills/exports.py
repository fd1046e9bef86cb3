"""The one door every staff download of a list or a report goes through: it writes the file with
core.exports (spreadsheet-safe cells, control characters cleaned) and puts the export in the
audit trail, since one export reads every woman of a list at once.

The entry says who, which list, which filters, which format and how many rows. Of a free-text
search it keeps only that there was one: what was typed may be a woman's name."""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.exports import spreadsheet_response

from .models import Centre, TrackerLogEntry
from .roles import sees_every_centre

EXPORT_ACTION = "sakhi.export"
# An export is of a list, not of one record. Wagtail's audit report looks each entry's record up
# by id to link to it; no record has id 0, so an export entry shows without a link.
LIST_OBJECT_ID = "0"
SEARCH_PARAMETER = "q"
LONGEST_FILTER_VALUE = 100


def audited_spreadsheet(
    request, *, model, list_name, fmt, header, rows, row_count, filter_names, filename, **options
):
    """The download of header and rows (see core.exports.spreadsheet_response for the options),
    logged as an export of row_count rows of list_name, filtered by the request's filter_names."""
    log_export(
        request, model=model, list_name=list_name, fmt=fmt, row_count=row_count, filter_names=filter_names
    )
    return spreadsheet_response(fmt, header, rows, filename=filename, **options)


def log_export(request, *, model, list_name, fmt, row_count, filter_names):
    """One entry in the audit trail of each centre that may read it (see audit_centre_ids); the
    entries of one export share a uuid."""
    user = request.user
    label = _("%(list)s: %(format)s export, %(rows)d rows") % {
        "list": capfirst(str(list_name)),
        "format": fmt.upper(),
        "rows": row_count,
    }
    data = {
        "list": str(list_name),
        "format": fmt,
        "rows": row_count,
        "filters": chosen_filters(request.GET, filter_names),
        "search": bool(request.GET.get(SEARCH_PARAMETER, "").strip()),
    }
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    export, now = uuid.uuid4(), timezone.now()
    return [
        TrackerLogEntry.objects.create(
            content_type=content_type,
            object_id=LIST_OBJECT_ID,
            label=label,
            action=EXPORT_ACTION,
            timestamp=now,
            uuid=export,
            user=user,
            centre_id=centre_id,
            data=data,
        )
        for centre_id in audit_centre_ids(user)
    ]


def chosen_filters(query, filter_names):
    """The filters of a request as the audit keeps them: ids, years, statuses and orderings,
    only for the names the list's filter form knows (anything else in a URL could be a name)."""
    return {
        name: ", ".join(value[:LONGEST_FILTER_VALUE] for value in query.getlist(name))
        for name in sorted(set(filter_names) - {SEARCH_PARAMETER})
        if any(query.getlist(name))
    }


def audit_centre_ids(user):
    """The centres in whose audit trail an export appears. A coordinator's export is of her own
    centres' records, and each of them shows it. State officers and administrators export every
    centre at once: their exports are in the state's audit trail (no centre), which they read."""
    if sees_every_centre(user):
        return [None]
    return list(Centre.objects.for_user(user).values_list("pk", flat=True)) or [None]
