"""Employers, vacancies, nominations, and what became of the women after training: salaried
placements, self-employment and the follow-ups at 3, 6 and 12 months.

Employers are outsiders: they see only candidates nominated to their own vacancies, and only while
the trainee consents to share her profile (Nomination.objects.visible_to_employer). Staff see the
records of their centres' trainees, by the querysets' for_user(user) (skills.models)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from skills.models import (
    CentreScopedQuerySet,
    Trade,
    Trainee,
    adult_if_born_by,
    private_storage,
    short_date,
)
from skills.storage import PrivateFileField


class Employer(models.Model):
    """An organisation that registers to hire trained women."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        SUSPENDED = "suspended", _("Suspended")

    organisation = models.CharField(_("organisation"), max_length=160)
    sector = models.CharField(_("sector"), max_length=80)
    district = models.CharField(_("district"), max_length=80)
    contact_person = models.CharField(_("contact person"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self):
        return self.organisation

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED


class EmployerAccount(models.Model):
    """Links a login to the employer it acts for; one employer may have several accounts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_account"
    )
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="accounts")
    email_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("employer account")

    def __str__(self):
        return f"{self.user} ({self.employer})"


class VacancyQuerySet(models.QuerySet):
    def published(self, today=None):
        """On the public board: published and not past the closing date (closing needs no one to act)."""
        today = today or timezone.localdate()
        return self.filter(
            status=Vacancy.Status.PUBLISHED,
            closing_date__gte=today,
            employer__status=Employer.Status.APPROVED,
        )


class Vacancy(models.Model):
    """A job an employer offers; coordinators publish or reject it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")

    class JobType(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        PART_TIME = "part_time", _("Part-time")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
        HOME_BASED = "home_based", _("Home-based")

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="vacancies"
    )
    title = models.CharField(_("title"), max_length=140)
    trades = models.ManyToManyField(Trade, verbose_name=_("trades"), blank=True, related_name="vacancies")
    description = models.TextField(_("description"))
    district = models.CharField(_("district"), max_length=80)
    openings = models.PositiveSmallIntegerField(_("openings"), default=1)
    pay_min = models.PositiveIntegerField(_("monthly pay from (₹)"))
    pay_max = models.PositiveIntegerField(_("monthly pay up to (₹)"))
    job_type = models.CharField(
        _("job type"), max_length=16, choices=JobType.choices, default=JobType.FULL_TIME
    )
    closing_date = models.DateField(_("closing date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["closing_date", "title"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        constraints = [
            models.CheckConstraint(condition=Q(pay_max__gte=F("pay_min")), name="vacancy_pay_range_in_order"),
            models.CheckConstraint(condition=Q(openings__gt=0), name="vacancy_has_openings"),
        ]
        indexes = [models.Index(fields=["status", "closing_date"])]

    def __str__(self):
        return f"{self.title} · {self.employer}"

    def get_absolute_url(self):
        return reverse("vacancy_detail", args=[self.pk])

    @property
    def is_open(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.closing_date >= timezone.localdate()
            and self.employer.is_approved
        )

    @property
    def effective_status(self):
        """Published vacancies past their closing date are closed, without anyone acting.

        The one status shown to people, in the admin, the portal and (as VacancyQuerySet.published,
        the same rule in SQL) the public board; the stored status is what people set."""
        if self.status == self.Status.PUBLISHED and not self.is_open:
            return self.Status.CLOSED
        return self.Status(self.status)

    effective_status.fget.short_description = _("status")

    def get_effective_status_display(self):
        return self.effective_status.label


class NominationQuerySet(CentreScopedQuerySet):
    centre_path = "trainee__centre"  # staff: nominations of the trainees of their centres

    def visible_to_employer(self, employer):
        """What an employer may see: its own vacancies' candidates who consent and are adults right
        now. Both are checked on every read, not only when nominating: consent can be withdrawn and
        a date of birth corrected after the nomination. Every portal door goes through here."""
        return self.filter(
            vacancy__employer=employer,
            trainee__consent_share_with_employers=True,
            trainee__date_of_birth__lte=adult_if_born_by(timezone.localdate()),
        ).exclude(status=Nomination.Status.WITHDRAWN)


class Nomination(models.Model):
    """A consenting trainee put forward for a vacancy by her coordinator."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        INTERVIEW = "interview", _("Interview")
        OFFERED = "offered", _("Offered")
        HIRED = "hired", _("Hired")
        REJECTED = "rejected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    EMPLOYER_STATUSES = [Status.INTERVIEW, Status.OFFERED, Status.HIRED, Status.REJECTED]

    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.CASCADE, related_name="nominations"
    )
    trainee = models.ForeignKey(
        Trainee, verbose_name=_("trainee"), on_delete=models.CASCADE, related_name="nominations"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NOMINATED)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nominated_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["-nominated_at"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "trainee"], name="nomination_once_per_vacancy")
        ]

    def __str__(self):
        return f"{self.trainee} → {self.vacancy.title}"


class OutcomeQuerySet(CentreScopedQuerySet):
    centre_path = "trainee__centre"

    def active_on(self, day):
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class Outcome(models.Model):
    """What a trainee earns from after training: a salaried placement or her own business."""

    trainee = models.ForeignKey(
        Trainee, verbose_name=_("trainee"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = []

    @property
    def is_active(self):
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)


class Placement(Outcome):
    """A salaried job, with a registered employer or one only named."""

    trainee = models.ForeignKey(
        Trainee, verbose_name=_("trainee"), on_delete=models.PROTECT, related_name="placements"
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("registered employer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
    )
    employer_name = models.CharField(_("employer (if not registered)"), max_length=160, blank=True)
    job_title = models.CharField(_("job title"), max_length=140)
    monthly_pay = models.PositiveIntegerField(_("monthly pay (₹)"))
    nomination = models.OneToOneField(
        Nomination, null=True, blank=True, on_delete=models.SET_NULL, related_name="placement"
    )
    evidence = PrivateFileField(
        _("evidence (offer letter, pay slip)"),
        storage=private_storage,
        upload_to="evidence/",
        blank=True,
        download_view="placements_placement:evidence_download",
    )

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="placement_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(employer__isnull=False) | ~Q(employer_name=""), name="placement_names_employer"
            ),
        ]
        indexes = [models.Index(fields=["start_date", "end_date"])]

    def __str__(self):
        return f"{self.job_title} · {self.employer or self.employer_name}"

    @property
    def employer_display(self):
        return str(self.employer) if self.employer_id else self.employer_name


class SelfEmployment(Outcome):
    """A trainee's own business."""

    trainee = models.ForeignKey(
        Trainee, verbose_name=_("trainee"), on_delete=models.PROTECT, related_name="self_employments"
    )
    kind = models.CharField(_("kind of business"), max_length=120)
    monthly_income = models.PositiveIntegerField(_("monthly income (₹)"))
    got_toolkit = models.BooleanField(_("received a toolkit"), default=False)
    got_loan = models.BooleanField(_("received a loan"), default=False)
    in_self_help_group = models.BooleanField(_("through a self-help group"), default=False)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("self-employment")
        verbose_name_plural = _("self-employment")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="self_employment_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["start_date", "end_date"])]

    def __str__(self):
        return self.kind


class FollowUpQuerySet(CentreScopedQuerySet):
    def pending(self):
        return self.filter(done_on__isnull=True)

    def due_by(self, day):
        """Pending follow-ups due on or before a day (overdue ones included), soonest first."""
        return (
            self.pending()
            .filter(due_on__lte=day)
            .select_related("placement__trainee", "self_employment__trainee")
            .order_by("due_on")
        )

    def for_centres(self, centres):
        # A follow-up is of a placement or of a self-employment: her centre is along either.
        return self.filter(
            Q(placement__trainee__centre__in=centres) | Q(self_employment__trainee__centre__in=centres)
        )


class FollowUp(models.Model):
    """A check at 3, 6 or 12 months on whether the work goes on, and what it earns."""

    class Result(models.TextChoices):
        STILL_WORKING = "still_working", _("Still working")
        STOPPED = "stopped", _("Stopped")
        UNREACHABLE = "unreachable", _("Could not be reached")

    MONTHS = (3, 6, 12)

    placement = models.ForeignKey(
        Placement, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    self_employment = models.ForeignKey(
        SelfEmployment, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    months = models.PositiveSmallIntegerField(_("months after start"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=14, choices=Result.choices, blank=True)
    monthly_income = models.PositiveIntegerField(_("monthly income then (₹)"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(placement__isnull=False, self_employment__isnull=True)
                | Q(placement__isnull=True, self_employment__isnull=False),
                name="follow_up_of_one_outcome",
            ),
            models.UniqueConstraint(
                fields=["placement", "months"], name="follow_up_once_per_placement_month"
            ),
            models.UniqueConstraint(
                fields=["self_employment", "months"], name="follow_up_once_per_business_month"
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(result=""), name="follow_up_done_has_result"
            ),
        ]
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self):
        return gettext("%(months)d-month follow-up, due %(date)s") % {
            "months": self.months,
            "date": short_date(self.due_on),
        }

    @property
    def outcome(self):
        return self.placement or self.self_employment

    @property
    def trainee(self):
        return self.outcome.trainee

    @property
    def audit_centre_id(self):
        return self.trainee.centre_id


def months_after(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last_day = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


class VacancyReport(models.Model):
    """A member of the public flags a vacancy as wrong or suspicious; coordinators review it."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="reports")
    reason = models.TextField(_("what is wrong"), max_length=1000)
    reported_at = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        ordering = ["resolved", "-reported_at"]
        verbose_name = _("vacancy report")
        verbose_name_plural = _("vacancy reports")

    def __str__(self):
        return f"Report on {self.vacancy.title}"


# Reporting summaries. placements.summaries keeps them in step with the tracker (the services that
# change what they count rewrite the rows of the women they touch, by explicit calls), so that placements.outcomes reads a state's figures from a row per
# woman instead of grouping a million enrolments per report. Years are bit masks: bit (year - 1999)
# is set when she completed a course in that calendar year (or Indian financial year starting in
# it), so "trained in 2016 to 2025" is one bitwise AND, and a woman trained in two years is one row.
# Reports may ask for the years 2000 to 2060; bits 0 to 62 (a signed 64-bit integer) hold them.
SUMMARY_BASE_YEAR, SUMMARY_LAST_YEAR = 1999, 2060


class TrainedWoman(models.Model):
    """A woman with at least one completed course, and the years in which she completed one."""

    trainee = models.OneToOneField(Trainee, primary_key=True, on_delete=models.CASCADE, related_name="+")
    centre = models.ForeignKey("skills.Centre", on_delete=models.CASCADE, related_name="+")  # home centre
    calendar_years = models.BigIntegerField()
    financial_years = models.BigIntegerField()

    def __str__(self):
        return f"Trainee #{self.trainee_id} trained"


class TrainedWomanTrade(models.Model):
    """The years in which a woman completed a course of one trade."""

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="+")
    trade = models.ForeignKey(Trade, on_delete=models.CASCADE, related_name="+")
    centre = models.ForeignKey("skills.Centre", on_delete=models.CASCADE, related_name="+")
    calendar_years = models.BigIntegerField()
    financial_years = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trainee", "trade"], name="trained_woman_trade_once")]

    def __str__(self):
        return f"Trainee #{self.trainee_id} trained in trade #{self.trade_id}"


class WorkSpell(models.Model):
    """A stretch of time in which one outcome (placement or self-employment) is a trained woman's
    latest: from its start until the next one starts (superseded_on, exclusive), and while it has
    not ended (ended_on, inclusive). Her years are copied from TrainedWoman so one table answers
    "trained in these years and in paying work on that day"."""

    SALARIED, SELF_EMPLOYED = 1, 2

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="+")
    centre = models.ForeignKey("skills.Centre", on_delete=models.CASCADE, related_name="+")
    calendar_years = models.BigIntegerField()
    financial_years = models.BigIntegerField()
    kind = models.PositiveSmallIntegerField()
    income = models.PositiveIntegerField()
    started_on = models.DateField()
    superseded_on = models.DateField(null=True)
    ended_on = models.DateField(null=True)

    def __str__(self):
        return f"Trainee #{self.trainee_id} in paying work from {self.started_on}"
