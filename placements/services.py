"""The rules of placements: who may be nominated, what an employer may change, how a hire
becomes a placement, and the follow-up schedule.

Every change to a placement or self-employment rewrites the reporting summaries of its woman in the
same transaction (placements.summaries.outcomes_changed), here where the change is made:
record_outcome (recorded or edited, by any screen), record_follow_up (ended by a "stopped") and
delete_outcome."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from skills.permissions import centres_changeable_by

from . import emails, summaries
from .models import Employer, FollowUp, Nomination, Placement, SelfEmployment, Vacancy, months_after


def review_employer(employer, status, *, user):
    """Approve or suspend an employer (coordinators)."""
    if status not in (Employer.Status.APPROVED, Employer.Status.SUSPENDED):
        raise ValidationError(_("An employer can only be approved or suspended."))
    changed = employer.status != status
    employer.status = status
    employer.reviewed_by, employer.reviewed_at = user, timezone.now()
    employer.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    log(instance=employer, action=f"sakhi.employer_{status}", user=user)
    if changed:
        # After the commit: no e-mail about a change that was rolled back.
        transaction.on_commit(lambda: emails.send_review_email(employer))
    return employer


def submit_vacancy(vacancy):
    if vacancy.status not in (Vacancy.Status.DRAFT, Vacancy.Status.REJECTED):
        raise ValidationError(_("Only a draft or a rejected vacancy can be submitted for approval."))
    if vacancy.closing_date < timezone.localdate():
        raise ValidationError({"closing_date": _("The closing date has passed; choose a later one.")})
    vacancy.status = Vacancy.Status.SUBMITTED
    vacancy.rejection_reason = ""
    vacancy.save(update_fields=["status", "rejection_reason"])
    return vacancy


def publish_vacancy(vacancy, *, user):
    if vacancy.status != Vacancy.Status.SUBMITTED:
        raise ValidationError(_("Only a vacancy submitted for approval can be published."))
    if not vacancy.employer.is_approved:
        raise ValidationError(_("Approve the employer before publishing its vacancies."))
    vacancy.status = Vacancy.Status.PUBLISHED
    vacancy.published_at = timezone.now()
    vacancy.save(update_fields=["status", "published_at"])
    log(instance=vacancy, action="sakhi.vacancy_publish", user=user)
    return vacancy


def reject_vacancy(vacancy, reason, *, user):
    if not reason.strip():
        raise ValidationError({"rejection_reason": _("Tell the employer why, so that they can correct it.")})
    if vacancy.status != Vacancy.Status.SUBMITTED:
        raise ValidationError(_("Only a vacancy submitted for approval can be rejected."))
    vacancy.status = Vacancy.Status.REJECTED
    vacancy.rejection_reason = reason.strip()
    vacancy.save(update_fields=["status", "rejection_reason"])
    log(instance=vacancy, action="sakhi.vacancy_reject", user=user, data={"reason": vacancy.rejection_reason})
    return vacancy


def close_vacancy(vacancy):
    if vacancy.status == Vacancy.Status.CLOSED:
        raise ValidationError(_("This vacancy is already closed."))
    vacancy.status = Vacancy.Status.CLOSED
    vacancy.save(update_fields=["status"])
    return vacancy


def why_not_nominate(trainee, vacancy, user=None):
    """The reason this trainee cannot be nominated for this vacancy, or ""."""
    if user is not None and not centres_changeable_by(user).filter(pk=trainee.centre_id).exists():
        return _("she is not a trainee of your centres")
    if not trainee.consent_share_with_employers:
        return _("she has not agreed to share her profile with employers")
    if not trainee.is_adult:
        return _("she is under 18")
    if not vacancy.is_open:
        return _("the vacancy is not open")
    if Nomination.objects.filter(vacancy=vacancy, trainee=trainee).exists():
        return _("she is already nominated for this vacancy")
    return ""


def nominate(trainee, vacancy, *, user):
    reason = why_not_nominate(trainee, vacancy, user)
    if reason:
        raise ValidationError(
            _("Cannot nominate %(name)s: %(reason)s.") % {"name": trainee.full_name, "reason": reason}
        )
    nomination = Nomination.objects.create(trainee=trainee, vacancy=vacancy, nominated_by=user)
    log(instance=nomination, action="sakhi.nominate", user=user)
    return nomination


def update_nomination_by_employer(nomination, status, *, employer, user=None):
    """An employer moves its own candidate to interview, offered, hired or not selected."""
    visible = Nomination.objects.visible_to_employer(employer).filter(pk=nomination.pk).exists()
    if not visible:
        raise PermissionDenied
    if status not in Nomination.EMPLOYER_STATUSES:
        raise ValidationError(_("Choose interview, offered, hired or not selected."))
    nomination.status = status
    nomination.save(update_fields=["status", "updated_at"])
    log(instance=nomination, action="sakhi.nomination_status", user=user, data={"status": status})
    return nomination


def withdraw_nomination(nomination, *, user):
    nomination.status = Nomination.Status.WITHDRAWN
    nomination.save(update_fields=["status", "updated_at"])
    log(instance=nomination, action="sakhi.nomination_status", user=user, data={"status": "withdrawn"})
    return nomination


def proposed_placement(nomination):
    """A hire, as an unsaved Placement pre-filled from the vacancy, for the coordinator to confirm."""
    vacancy = nomination.vacancy
    return Placement(
        trainee=nomination.trainee,
        employer=vacancy.employer,
        job_title=vacancy.title,
        monthly_pay=vacancy.pay_min,
        start_date=timezone.localdate(),
        nomination=nomination,
    )


def schedule_follow_ups(outcome, *, is_new=False):
    """Create the follow-ups due 3, 6 and 12 months after the outcome started, those it does not
    have yet. Each is saved on its own, not in bulk, so that Wagtail's reference index hears of it."""
    field = "placement" if isinstance(outcome, Placement) else "self_employment"
    if is_new:  # it has none yet, and no one else can be adding them
        for months in FollowUp.MONTHS:
            FollowUp.objects.create(
                **{field: outcome}, months=months, due_on=months_after(outcome.start_date, months)
            )
        return
    scheduled = set(FollowUp.objects.filter(**{field: outcome}).values_list("months", flat=True))
    for months in FollowUp.MONTHS:
        if months not in scheduled:
            FollowUp.objects.get_or_create(
                **{field: outcome},
                months=months,
                defaults={"due_on": months_after(outcome.start_date, months)},
            )


def record_outcome(outcome, *, user=None):
    """Save a placement or self-employment, new or edited, and schedule its follow-ups. An edit may
    move it to another woman: the summaries of both are rewritten."""
    if not isinstance(outcome, (Placement, SelfEmployment)):
        raise TypeError(outcome)
    with transaction.atomic():
        outcome.full_clean()
        is_new = outcome.pk is None
        stored = type(outcome).objects.filter(pk=outcome.pk).values_list("trainee_id", flat=True)
        trainee_before = None if is_new else stored.first()
        outcome.save()
        schedule_follow_ups(outcome, is_new=is_new)
        log(instance=outcome, action="wagtail.create" if is_new else "wagtail.edit", user=user)
        summaries.outcomes_changed({outcome.trainee_id, trainee_before} - {None})
    return outcome


def delete_outcome(outcome, *, user=None):
    """Delete a placement or self-employment recorded by mistake, with its follow-ups."""
    with transaction.atomic():
        log(instance=outcome, action="wagtail.delete", user=user, deleted=True)
        outcome.delete()
        summaries.outcomes_changed([outcome.trainee_id])


def record_follow_up(follow_up, *, result, monthly_income=None, on=None, user=None):
    """Record a follow-up; "stopped" ends the placement or business on that day."""
    if result not in FollowUp.Result.values:
        raise ValidationError({"result": _("Choose still working, stopped or could not be reached.")})
    on = on or timezone.localdate()
    with transaction.atomic():
        follow_up.result, follow_up.done_on = result, on
        follow_up.monthly_income = monthly_income
        follow_up.recorded_by = user
        follow_up.save(update_fields=["result", "done_on", "monthly_income", "recorded_by"])
        outcome = follow_up.outcome
        if result == FollowUp.Result.STOPPED and outcome.end_date is None:
            outcome.end_date = max(on, outcome.start_date)
            outcome.save(update_fields=["end_date"])
            summaries.outcomes_changed([outcome.trainee_id])
        log(instance=follow_up, action="sakhi.follow_up", user=user, data={"result": result})
    return follow_up
