"""The tracker's operations that change more than one row or guard a limit.

Each runs in one transaction; the cohort row is locked (SELECT ... FOR UPDATE on PostgreSQL)
before seats are counted, and a check constraint on Cohort is the last line of defence.

A change to what the outcome figures count (enrolments, a woman's home centre, a cohort's course,
a course's trade) is announced through core.changes in the same transaction by the service that
makes it, whichever screen asked for it (the admin's generic forms save trainees, cohorts and
courses and delete enrolments through the services below); placements keeps its summaries by those
announcements."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from core import changes

from .models import AttendanceMark, Cohort, CohortSession, Enrolment, Trainee, short_date


class EnrolmentError(ValidationError):
    pass


def _locked_cohort(cohort):
    return Cohort.objects.select_for_update(no_key=True).get(pk=cohort.pk)


def _take_seats(cohort, count):
    try:
        with transaction.atomic():
            Cohort.objects.filter(pk=cohort.pk).update(seats_taken=F("seats_taken") + count)
    except IntegrityError as error:
        raise EnrolmentError(_("The cohort is full.")) from error
    cohort.seats_taken += count


def enrol(trainees, cohort, *, user=None, on=None):
    """Enrol one or more trainees in a cohort: all of them, or none if anything is wrong."""
    trainees = list(trainees)
    on = on or timezone.localdate()
    with transaction.atomic():
        cohort = _locked_cohort(cohort)
        if cohort.status not in (Cohort.Status.PLANNED, Cohort.Status.OPEN, Cohort.Status.RUNNING):
            raise EnrolmentError(
                _("This cohort is %(status)s and takes no enrolments.")
                % {"status": cohort.get_status_display().lower()}
            )
        elsewhere = sorted(t.full_name for t in trainees if t.centre_id != cohort.centre_id)
        if elsewhere:
            raise EnrolmentError(
                _("These trainees belong to another centre: %(names)s.") % {"names": ", ".join(elsewhere)}
            )
        already = set(
            Enrolment.objects.filter(cohort=cohort, trainee__in=trainees).values_list(
                "trainee__full_name", flat=True
            )
        )
        if already:
            raise EnrolmentError(
                _("Already enrolled in this cohort: %(names)s.") % {"names": ", ".join(sorted(already))}
            )
        if len(trainees) > cohort.seats_left:
            raise EnrolmentError(
                ngettext(
                    "You chose %(wanted)d; only %(left)d seat is left.",
                    "You chose %(wanted)d; only %(left)d seats are left.",
                    cohort.seats_left,
                )
                % {"left": cohort.seats_left, "wanted": len(trainees)}
            )
        _take_seats(cohort, len(trainees))
        enrolments = [Enrolment.objects.create(trainee=t, cohort=cohort, enrolled_on=on) for t in trainees]
        for enrolment in enrolments:
            log(instance=enrolment, action="wagtail.create", user=user)
        changes.changed(changes.ENROLMENTS, [t.pk for t in trainees])
    return enrolments


def drop_out(enrolment, reason, *, user=None, on=None):
    """Record a dropout with its reason; the seat is freed."""
    if not reason.strip():
        raise ValidationError({"dropout_reason": _("Give the reason for the dropout.")})
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != Enrolment.Status.ENROLLED:
            raise EnrolmentError(_("Only a current enrolment can be dropped."))
        cohort = _locked_cohort(enrolment.cohort)
        enrolment.status = Enrolment.Status.DROPPED
        enrolment.dropped_on = on or timezone.localdate()
        enrolment.dropout_reason = reason.strip()
        enrolment.save(update_fields=["status", "dropped_on", "dropout_reason"])
        Cohort.objects.filter(pk=cohort.pk).update(seats_taken=F("seats_taken") - 1)
        log(instance=enrolment, action="sakhi.drop_out", user=user)
        changes.changed(changes.ENROLMENTS, [enrolment.trainee_id])
    return enrolment


def complete(enrolment, *, passed, result="", early_reason="", user=None, on=None):
    """Record the end of training: completed (passed) or not passed, with the assessment.

    A completion before the cohort's end date is an exception (she found work, she moves away)
    and needs its reason, which is kept: a slip of the date must not pass for a finished course."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().select_related("cohort").get(pk=enrolment.pk)
        if enrolment.status == Enrolment.Status.DROPPED:
            raise EnrolmentError(_("She dropped out; reinstate her before recording completion."))
        completed_on = on or timezone.localdate()
        if completed_on < enrolment.enrolled_on:
            raise ValidationError(
                {
                    "completed_on": _("She enrolled on %(date)s; completion cannot be earlier.")
                    % {"date": enrolment.enrolled_on}
                }
            )
        early = passed and completed_on < enrolment.cohort.end_date
        if early and not early_reason.strip():
            raise ValidationError(
                {
                    "early_completion_reason": _(
                        "The cohort ends on %(date)s. To record her completion before then, give the reason."
                    )
                    % {"date": short_date(enrolment.cohort.end_date)}
                }
            )
        enrolment.status = Enrolment.Status.COMPLETED if passed else Enrolment.Status.NOT_PASSED
        enrolment.completed_on = completed_on if passed else None
        enrolment.assessment_result = result.strip()
        enrolment.early_completion_reason = early_reason.strip() if early else ""
        enrolment.full_clean(exclude=["trainee", "cohort"])
        enrolment.save(
            update_fields=["status", "completed_on", "assessment_result", "early_completion_reason"]
        )
        log(instance=enrolment, action="sakhi.complete", user=user)
        changes.changed(changes.ENROLMENTS, [enrolment.trainee_id])
    return enrolment


def delete_enrolment(enrolment, *, user=None):
    """Delete an enrolment made by mistake: the seat she held (unless she had dropped out) is free
    again, and the figures lose her completion if it was one."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        cohort = _locked_cohort(enrolment.cohort)
        log(instance=enrolment, action="wagtail.delete", user=user, deleted=True)
        enrolment.delete()
        if enrolment.is_active:
            Cohort.objects.filter(pk=cohort.pk).update(seats_taken=F("seats_taken") - 1)
        changes.changed(changes.ENROLMENTS, [enrolment.trainee_id])
    return enrolment


def save_trainee(trainee, *, user=None):
    """Save a trainee as a form gave her, new or edited. The consent flags it set are what she
    said: they are recorded through record_consent, which stamps when and by whom (a new trainee
    starts with both off). A new home centre moves her figures to that centre's."""
    wanted = {
        "share_with_employers": trainee.consent_share_with_employers,
        "follow_up": trainee.consent_follow_up,
    }
    with transaction.atomic():
        is_new = trainee.pk is None
        stored = None if is_new else Trainee.objects.select_for_update(no_key=True).get(pk=trainee.pk)
        trainee.consent_share_with_employers = stored.consent_share_with_employers if stored else False
        trainee.consent_follow_up = stored.consent_follow_up if stored else False
        trainee.save()
        log(instance=trainee, action="wagtail.create" if is_new else "wagtail.edit", user=user)
        if stored is not None and stored.centre_id != trainee.centre_id:
            changes.changed(changes.TRAINEE_CENTRES, [trainee.pk])
        record_consent(trainee, **wanted, user=user)
    trainee.refresh_from_db()
    return trainee


def save_cohort(cohort, *, user=None):
    """Save an edited cohort. Under another course, its completions may count under another trade.
    Its seats taken belong to enrol and drop_out: the copy read when the form loaded would undo an
    enrolment made meanwhile, so the locked row's count is kept."""
    return _save_edited(cohort, "course_id", changes.COHORT_COURSES, user=user, kept=("seats_taken",))


def save_course(course, *, user=None):
    """Save an edited course. Under another trade, so are the completions of its cohorts."""
    return _save_edited(course, "trade_id", changes.COURSE_TRADES, user=user)


def _save_edited(record, counted_field, kind, *, user, kept=()):
    """Save and log an edited record; announce `kind` if `counted_field`, which the figures count, changed.
    The `kept` fields are not the form's to change: they are saved as the locked row holds them."""
    with transaction.atomic():
        stored = type(record).objects.select_for_update(no_key=True).filter(pk=record.pk)
        before, *kept_values = stored.values_list(counted_field, *kept).get()
        for name, value in zip(kept, kept_values, strict=True):
            setattr(record, name, value)
        record.save()
        log(instance=record, action="wagtail.edit", user=user)
        if before != getattr(record, counted_field):
            changes.changed(kind, [record.pk])
    return record


def certificate_eligibility(enrolment):
    """(eligible, reason): completed, and attendance at least the course's minimum."""
    if enrolment.status != Enrolment.Status.COMPLETED:
        return False, _("not completed")
    percent = getattr(enrolment, "attendance_percent", None)
    if percent is None:
        percent = Enrolment.objects.with_attendance().get(pk=enrolment.pk).attendance_percent
    minimum = enrolment.cohort.course.min_attendance_percent
    if percent is None or percent < minimum:
        return False, _("attendance below %(minimum)s%%") % {"minimum": minimum}
    return True, ""


def check_session_date(cohort, day):
    """Refuse a day in the future or before the cohort starts (the rule is CohortSession.clean)."""
    CohortSession(cohort=cohort, date=day).clean()


def take_register(cohort, day, present_enrolment_ids, *, user=None):
    """Save the register of a cohort for a day. The session comes into being here, with its marks:
    opening a register to look at it creates nothing. Returns (session, present, total)."""
    check_session_date(cohort, day)
    with transaction.atomic():
        session, created = CohortSession.objects.get_or_create(cohort=cohort, date=day)
        if created:
            log(instance=session, action="wagtail.create", user=user)
        present, total = record_attendance(session, present_enrolment_ids, user=user)
    return session, present, total


def delete_session(session, *, user=None):
    """Delete a session taken by mistake, with its marks; attendance is computed from the marks
    that remain, so every percentage is right again at once. The audit trail keeps the deletion."""
    with transaction.atomic():
        marks = session.marks.count()
        log(
            instance=session,
            action="wagtail.delete",
            user=user,
            data={"date": session.date.isoformat(), "marks": marks},
        )
        session.delete()


def record_attendance(session, present_enrolment_ids, *, user=None):
    """Save the whole register of one session in one go: present if ticked, else absent.

    The register holds the women enrolled by the session's day (see EnrolmentQuerySet.on_register)."""
    present = {int(pk) for pk in present_enrolment_ids}
    enrolments = list(session.cohort.enrolments.on_register(session.date).values_list("pk", flat=True))
    unknown = present - set(enrolments)
    if unknown:
        raise ValidationError(_("Some ticked trainees are not enrolled in this cohort."))
    with transaction.atomic():
        AttendanceMark.objects.filter(session=session).delete()
        AttendanceMark.objects.bulk_create(
            AttendanceMark(session=session, enrolment_id=pk, present=pk in present) for pk in enrolments
        )
        log(
            instance=session,
            action="sakhi.attendance",
            user=user,
            data={"present": len(present), "of": len(enrolments)},
        )
    return len(present), len(enrolments)


def record_consent(trainee, *, share_with_employers=None, follow_up=None, user=None):
    """Set or withdraw a consent flag, stamping when and by whom."""
    now = timezone.now()
    changed = []
    if share_with_employers is not None and share_with_employers != trainee.consent_share_with_employers:
        trainee.consent_share_with_employers = share_with_employers
        trainee.consent_share_recorded_at, trainee.consent_share_recorded_by = now, user
        changed += ["consent_share_with_employers", "consent_share_recorded_at", "consent_share_recorded_by"]
    if follow_up is not None and follow_up != trainee.consent_follow_up:
        trainee.consent_follow_up = follow_up
        trainee.consent_follow_up_recorded_at, trainee.consent_follow_up_recorded_by = now, user
        changed += ["consent_follow_up", "consent_follow_up_recorded_at", "consent_follow_up_recorded_by"]
    if changed:
        Trainee.objects.filter(pk=trainee.pk).update(**{name: getattr(trainee, name) for name in changed})
        log(instance=trainee, action="sakhi.consent", user=user, data={"fields": changed[::3]})
    return bool(changed)


def log_view(trainee, user):
    """Reads of a trainee's record go into the same audit trail as changes."""
    log(instance=trainee, action="sakhi.view", user=user)
