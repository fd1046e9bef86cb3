"""Announcements of changes to the tracker's facts, for what apps higher up derive from them.

placements keeps reporting summaries of skills' records (placements.summaries), but skills may not
import placements. So a skills service that changes a fact those summaries count says so here, in
so many words, after writing it:

    changes.changed(changes.ENROLMENTS, trainee_ids)

and placements registers what to do about each kind of change once, at startup
(`changes.on(changes.ENROLMENTS, summaries.enrolments_changed)` in PlacementsConfig.ready). The
functions run at once, in the caller's transaction, so a reader never sees a change without what
is derived from it.

Not Django's model signals: they fire on save() and delete() only, so a QuerySet.update(), a
bulk_create or a raw import changes the facts without a word, and nothing in the service shows
that anything depends on what it writes (docs/decisions.md, "Outcome summaries: explicit calls").
"""

# The kinds of change, each with the ids it carries.
ENROLMENTS = "enrolments"  # trainee ids: enrolments of hers added, completed, dropped, moved or deleted
TRAINEE_CENTRES = "trainee_centres"  # trainee ids: her home centre changed
COHORT_COURSES = "cohort_courses"  # cohort ids: the cohort is now of another course
COURSE_TRADES = "course_trades"  # course ids: the course is now of another trade
RECORDS_IMPORTED = "records_imported"  # trainee ids: the historical import wrote enrolments of hers
# trainee ids: women the historical import created, with their enrolments, in the transaction that
# announces them; nothing else refers to them yet (no outcome, nothing derived). Their enrolments
# are not announced again as RECORDS_IMPORTED.
TRAINEES_IMPORTED = "trainees_imported"
KINDS = (ENROLMENTS, TRAINEE_CENTRES, COHORT_COURSES, COURSE_TRADES, RECORDS_IMPORTED, TRAINEES_IMPORTED)

receivers = {kind: [] for kind in KINDS}


def on(kind, function):
    """Call function(ids) whenever a change of this kind is announced. Once per function."""
    if kind not in receivers:
        raise ValueError(f"Unknown kind of change: {kind!r}")
    if function not in receivers[kind]:
        receivers[kind].append(function)


def changed(kind, ids):
    """Announce a change of this kind to the records with these ids (nothing if there are none)."""
    if kind not in receivers:
        raise ValueError(f"Unknown kind of change: {kind!r}")
    ids = sorted({pk for pk in ids if pk is not None})
    if ids:
        for function in receivers[kind]:
            function(ids)
