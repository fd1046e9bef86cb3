"""The training tracker: centres, trades, courses, cohorts, trainees, enrolments and attendance.

Rules that the database can hold are constraints; the rest live in querysets and in
skills.services. Staff reach records of the centres only through the querysets' for_user(user),
the one scoping rule: the permission policies, admin views, choosers, filters, exports and
reports all call it."""

from operator import attrgetter

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry
from wagtail.models.audit_log import LogEntryQuerySet, ModelLogEntryManager

from core.dates import age_on

from .roles import is_coordinator, is_reading, is_state_officer, sees_every_centre
from .storage import PrivateFileField, current_private_storage


def in_active_language(english, hindi):
    """The Hindi spelling on the Hindi site when there is one, else the English."""
    return hindi if hindi and get_language() == "hi" else english


def short_date(day):
    """ "5 Dec 2024", with the month in the active language (admin titles, choices)."""
    return formats.date_format(day, "j M Y")


def containing(model, fields, text):
    """What a search for the text finds among a model's records: those where any of the fields
    contains it, whatever its case (the condition of Wagtail's ORM search). Every admin list of
    the tracker and of placements searches with it (skills.views.ScopedIndexView), and the
    querysets' search() for their own search_fields.

    A field of a related record is tested in a subquery of that record's own table rather than
    through a join: `cohort__in=<the cohorts whose course's title contains it>`. Through the join
    PostgreSQL joined all 89,700 sessions of the state to their cohorts and courses before testing
    the title (it expected 18 matches of 17,550): 344 ms for the page and 226 ms for its count;
    the subquery is answered once and each session checked against its answer (4 and 24 ms).
    Only many-to-one paths are rewritten, so no row can match twice or differently.
    No fields is a mistake, not a search that finds everything: it raises ValueError."""
    if not fields:
        raise ValueError(f"A search of {model.__name__} needs the fields it looks in")
    condition = Q()
    related_fields = {}
    for path in fields:
        name, _sep, rest = path.partition("__")
        field = model._meta.get_field(name) if rest else None
        if field is not None and field.many_to_one:
            related_fields.setdefault(field, []).append(rest)
        else:
            condition |= Q(**{f"{path}__icontains": text})
    for field, rests in related_fields.items():
        related = field.related_model._base_manager.filter(containing(field.related_model, rests, text))
        condition |= Q(**{f"{field.name}__in": related.values(field.target_field.name)})
    return condition


class SearchableQuerySet(models.QuerySet):
    """Records found by a search of their `search_fields` (see containing)."""

    search_fields = ()

    def search(self, text):
        """The records where any of the queryset's search_fields contains the text."""
        return self.filter(containing(self.model, self.search_fields, text))


class CentreScopedQuerySet(SearchableQuerySet):
    """Records that belong to a centre, found along `centre_path` (e.g. "cohort__centre")."""

    centre_path = None

    def for_user(self, user, action="view"):
        """The records the user may read (action "view") or change (any other action; given a
        list of actions, reading only if every one is "view"): those of Centre.objects.for_user."""
        if is_reading(action) and sees_every_centre(user):
            return self.all()  # no join to centres: state-wide lists stay fast
        return self.for_centres(Centre.objects.for_user(user, action))

    def for_centres(self, centres):
        return self.filter(**{f"{self.centre_path}__in": centres})


class CentreQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_user(self, user, action="view"):
        """The centres whose records the user may read (action "view") or change (anything else):
        superusers every centre; state officers read every centre and change none; coordinators
        read and change their own centres; anyone else, and an inactive account, none."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or (is_reading(action) and is_state_officer(user)):
            return self.all()
        if is_coordinator(user):
            return self.filter(coordinators=user)
        return self.none()


class Centre(models.Model):
    """A One Stop Centre (Sakhi centre) that runs vocational training for the women it supports."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    code = models.CharField(
        _("code"),
        max_length=5,
        unique=True,
        help_text=_("Short capital-letter code used in certificate numbers, e.g. LKO."),
    )
    name_hi = models.CharField(_("name in Hindi"), max_length=120, blank=True)
    district = models.CharField(_("district"), max_length=80)
    district_hi = models.CharField(_("district in Hindi"), max_length=80, blank=True)
    state = models.CharField(_("state"), max_length=80)
    state_hi = models.CharField(_("state in Hindi"), max_length=80, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinators"),
        blank=True,
        related_name="coordinated_centres",
        help_text=_("Staff who see and change this centre's trainees and cohorts."),
    )

    objects = CentreQuerySet.as_manager()

    class Meta:
        ordering = ["state", "district", "name"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2,5}$"), name="centre_code_capitals"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def localized_name(self):
        return in_active_language(self.name, self.name_hi)

    @property
    def localized_district(self):
        return in_active_language(self.district, self.district_hi)

    @property
    def localized_state(self):
        return in_active_language(self.state, self.state_hi)


class Trade(models.Model):
    """A vocational trade taught at the centres, such as tailoring or food processing."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    name_hi = models.CharField(_("name in Hindi"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    sector = models.CharField(_("sector"), max_length=80, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("trade")
        verbose_name_plural = _("trades")

    def __str__(self):
        return self.name

    @property
    def localized_name(self):
        return in_active_language(self.name, self.name_hi)


class Course(models.Model):
    """A curriculum of a trade, e.g. "Tailoring, 3 months". Cohorts are its runs at a centre."""

    trade = models.ForeignKey(
        Trade, verbose_name=_("trade"), on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(_("title"), max_length=120)
    title_hi = models.CharField(_("title in Hindi"), max_length=120, blank=True)
    duration_days = models.PositiveSmallIntegerField(_("duration in days"), default=90)
    hours = models.PositiveSmallIntegerField(_("hours"), default=240)
    eligibility = models.TextField(_("eligibility"), blank=True)
    syllabus = models.TextField(_("syllabus"), blank=True)
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance for a certificate (%)"), default=80
    )

    class Meta:
        ordering = ["trade__name", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["trade", "title"], name="course_unique_title_per_trade"),
            models.CheckConstraint(
                condition=Q(min_attendance_percent__lte=100), name="course_attendance_at_most_100"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def localized_title(self):
        return in_active_language(self.title, self.title_hi)


class CohortQuerySet(CentreScopedQuerySet):
    centre_path = "centre"

    def open_for_enrolment(self):
        return self.filter(status__in=[Cohort.Status.PLANNED, Cohort.Status.OPEN, Cohort.Status.RUNNING])

    def upcoming_or_open(self, today=None):
        """What the public may join: open or planned cohorts that have not ended."""
        today = today or timezone.localdate()
        return self.filter(status__in=[Cohort.Status.PLANNED, Cohort.Status.OPEN], end_date__gte=today)

    def in_year(self, year):
        return self.filter(start_date__year__lte=year, end_date__year__gte=year)


class Cohort(models.Model):
    """A batch: one run of a course at a centre, with its dates, trainer and seats."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for enrolment")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="cohorts"
    )
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="cohorts"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    schedule = models.CharField(
        _("schedule"), max_length=120, blank=True, help_text=_("e.g. Mon–Fri, 10:00–13:00")
    )
    venue = models.CharField(_("venue"), max_length=120, blank=True)
    trainer = models.CharField(_("trainer"), max_length=120, blank=True)
    capacity = models.PositiveSmallIntegerField(_("seats"))
    # Seats held by enrolments that are not dropped. Kept by skills.services under a row lock,
    # so the check constraint below makes overbooking impossible even under concurrency.
    seats_taken = models.PositiveSmallIntegerField(_("seats taken"), default=0, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    funding = models.CharField(_("funding scheme or partner"), max_length=120, blank=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "centre__name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="cohort_dates_in_order"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="cohort_has_seats"),
            models.CheckConstraint(condition=Q(seats_taken__lte=F("capacity")), name="cohort_not_overbooked"),
        ]
        indexes = [
            models.Index(fields=["centre", "start_date"]),
            models.Index(fields=["status", "start_date"]),
            # The state-wide list walks it in its order (then sorts each day's few by centre).
            models.Index(fields=["start_date"], name="skills_cohort_start_date_idx"),
        ]

    def __str__(self):
        return f"{self.course} · {self.centre.code} · {short_date(self.start_date)}"

    @property
    def seats_left(self):
        return max(self.capacity - self.seats_taken, 0)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A cohort cannot end before it starts.")})
        if self.capacity is not None and self.capacity < self.seats_taken:
            raise ValidationError(
                {
                    "capacity": ngettext_lazy(
                        "%(taken)s seat is already taken.", "%(taken)s seats are already taken.", "taken"
                    )
                    % {"taken": self.seats_taken}
                }
            )


def adult_if_born_by(day):
    """The latest date of birth of a woman who is 18 or older on `day` (Trainee.age_on agrees).

    Born on 29 February, she turns 18 on 1 March in a year without one."""
    try:
        return day.replace(year=day.year - 18)
    except ValueError:
        return day.replace(year=day.year - 18, day=28)


class TraineeQuerySet(CentreScopedQuerySet):
    centre_path = "centre"
    # Her name, in English or Hindi, or her register number.
    search_fields = ("full_name", "name_hi", "register_number")

    def adults(self, on=None):
        return self.filter(date_of_birth__lte=adult_if_born_by(on or timezone.localdate()))

    def consenting_to_employers(self):
        return self.filter(consent_share_with_employers=True)

    def with_an_enrolment(self, **conditions):
        """The women with an enrolment that meets every condition (one and the same enrolment)."""
        return self.filter(Exists(Enrolment.objects.filter(trainee=OuterRef("pk"), **conditions)))

    def count_with_an_enrolment(self, **conditions):
        """self.with_an_enrolment(**conditions).count(), counted from the enrolments' side: the
        distinct women of the enrolments that meet them. PostgreSQL answers the EXISTS by testing
        every woman in scope against them (the state's 300,000 for its 2024 completions: 90 to
        220 ms); the enrolments meeting them are found by index and counted in 20 to 35 ms."""
        enrolments = Enrolment.objects.filter(**conditions)
        if self.query.has_filters():  # scoped to a centre or searched: only these women
            enrolments = enrolments.filter(trainee__in=self.values("pk"))
        return enrolments.aggregate(women=Count("trainee", distinct=True))["women"]


class Trainee(models.Model):
    """A woman in training. The least data the work needs: no case details, no address."""

    class Education(models.TextChoices):
        NONE = "none", _("No schooling")
        PRIMARY = "primary", _("Primary (up to class 5)")
        MIDDLE = "middle", _("Middle (class 6 to 8)")
        SECONDARY = "secondary", _("Secondary (class 9 to 10)")
        HIGHER_SECONDARY = "higher_secondary", _("Higher secondary (class 11 to 12)")
        GRADUATE = "graduate", _("Graduate or above")

    class Referral(models.TextChoices):
        OSC_CASE = "osc_case", _("OSC case")
        WALK_IN = "walk_in", _("Walk-in")
        POLICE = "police", _("Police")
        NGO = "ngo", _("NGO")
        OTHER = "other", _("Other")

    centre = models.ForeignKey(
        Centre, verbose_name=_("home centre"), on_delete=models.PROTECT, related_name="trainees"
    )
    register_number = models.CharField(
        _("register number"),
        max_length=30,
        blank=True,
        help_text=_("The number in the centre's paper register, if any."),
    )
    full_name = models.CharField(_("full name"), max_length=120)
    name_hi = models.CharField(_("name in Hindi"), max_length=120, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    district = models.CharField(_("district"), max_length=80, blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    referred_by = models.CharField(_("referred by"), max_length=12, choices=Referral.choices, blank=True)
    guardian_consent_basis = models.TextField(
        _("guardian consent basis"),
        blank=True,
        help_text=_("Required for trainees under 18: who consented to her training, and how."),
    )

    consent_share_with_employers = models.BooleanField(_("shares profile with employers"), default=False)
    consent_share_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    consent_share_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_follow_up = models.BooleanField(_("may be contacted for follow-up"), default=False)
    consent_follow_up_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    consent_follow_up_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Safety when calling her: follow-up screens show these first.
    do_not_contact = models.BooleanField(
        _("do not contact"), default=False, help_text=_("Never call or message her, for her safety.")
    )
    safe_phone = models.CharField(_("safe phone"), max_length=20, blank=True)
    safe_time_to_call = models.CharField(_("safe time to call"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TraineeQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "register_number"],
                condition=~Q(register_number=""),
                name="trainee_register_number_unique_per_centre",
            ),
        ]
        indexes = [models.Index(fields=["centre", "full_name"]), models.Index(fields=["full_name", "id"])]

    def __str__(self):
        return self.full_name

    def age_on(self, day):
        return age_on(self.date_of_birth, day)

    @property
    def age(self):
        return self.age_on(timezone.localdate())

    @property
    def is_adult(self):
        return self.age >= 18

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.date_of_birth:
            if self.date_of_birth > timezone.localdate():
                raise ValidationError({"date_of_birth": _("The date of birth is in the future.")})
            if not self.is_adult and not self.guardian_consent_basis.strip():
                raise ValidationError(
                    {"guardian_consent_basis": _("She is under 18: record the guardian consent basis.")}
                )


class EnrolmentQuerySet(CentreScopedQuerySet):
    centre_path = "cohort__centre"
    # The woman's name, in English or Hindi.
    search_fields = ("trainee__full_name", "trainee__name_hi")

    def holding_seats(self):
        return self.exclude(status=Enrolment.Status.DROPPED)

    def completed(self):
        return self.filter(status=Enrolment.Status.COMPLETED)

    def completed_in(self, year):
        return self.completed().filter(completed_on__year=year)

    def on_register(self, day):
        """Who is on the register of a session on this day: holding a seat, enrolled by then."""
        return self.holding_seats().filter(enrolled_on__lte=day)

    def with_attendance(self):
        """Annotate sessions held, sessions present and the attendance percentage, in SQL.

        Attendance counts from her enrolment date: a woman who joins late is not absent from the
        sessions held before she came (the register, completion, certificates and lists all read this)."""
        held = (
            CohortSession.objects.filter(
                cohort=models.OuterRef("cohort"), date__gte=models.OuterRef("enrolled_on")
            )
            .order_by()
            .values("cohort")
            .annotate(n=Count("pk"))
            .values("n")
        )
        present = (
            AttendanceMark.objects.filter(
                enrolment=models.OuterRef("pk"),
                present=True,
                session__date__gte=models.OuterRef("enrolled_on"),
            )
            .order_by()
            .values("enrolment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        qs = self.annotate(
            sessions_held=models.functions.Coalesce(models.Subquery(held), 0),
            sessions_present=models.functions.Coalesce(models.Subquery(present), 0),
        )
        return qs.annotate(
            attendance_percent=models.Case(
                models.When(sessions_held=0, then=None),
                default=Cast(F("sessions_present"), models.FloatField()) * 100.0 / F("sessions_held"),
                output_field=models.FloatField(),
            )
        )


class Enrolment(models.Model):
    """A trainee's place in a cohort, from enrolment to completion or dropout."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        DROPPED = "dropped", _("Dropped out")
        COMPLETED = "completed", _("Completed")
        NOT_PASSED = "not_passed", _("Not passed")

    trainee = models.ForeignKey(
        Trainee, verbose_name=_("trainee"), on_delete=models.PROTECT, related_name="enrolments"
    )
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ENROLLED)
    enrolled_on = models.DateField(_("enrolled on"), default=timezone.localdate)
    dropped_on = models.DateField(_("dropped on"), null=True, blank=True)
    dropout_reason = models.CharField(_("dropout reason"), max_length=200, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    assessment_result = models.CharField(_("assessment result"), max_length=60, blank=True)
    early_completion_reason = models.CharField(
        _("reason for completing before the cohort ends"), max_length=200, blank=True
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_on", "-id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["trainee", "cohort"], name="enrolment_once_per_cohort"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("enrolled_on")),
                name="enrolment_completed_after_enrolled",
            ),
            models.CheckConstraint(
                condition=Q(dropped_on__isnull=True) | Q(dropped_on__gte=F("enrolled_on")),
                name="enrolment_dropped_after_enrolled",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="enrolment_completed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "completed_on"]),
            models.Index(fields=["enrolled_on", "id"]),
            # Everything the lists ask of a woman's enrolments, read from the index alone: her
            # enrolments of a year and status (the trainees filtered by them), and the dates and
            # ids of the enrolments of the women a search found (sorted for a later page).
            models.Index(
                fields=["trainee", "enrolled_on", "status", "id"], name="skills_enrolment_by_trainee"
            ),
        ]

    def __str__(self):
        return f"{self.trainee} · {self.cohort}"

    def clean(self):
        # A completion is recorded when it has happened; the outcome reports count every completion
        # up to today as this year's, so a future date would be counted early.
        from django.core.exceptions import ValidationError

        if self.completed_on and self.completed_on > timezone.localdate():
            raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})

    @property
    def is_active(self):
        return self.status != self.Status.DROPPED

    def attended_period(self):
        """(first day, last day) of the training she actually attended: from the later of the
        cohort's start and her enrolment, to her completion (never a day still to come)."""
        start = max(self.cohort.start_date, self.enrolled_on)
        end = self.completed_on or min(self.cohort.end_date, timezone.localdate())
        return start, max(start, end)


class CohortSessionQuerySet(CentreScopedQuerySet):
    centre_path = "cohort__centre"


class CohortSession(models.Model):
    """One day of teaching in a cohort, on which attendance is taken."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=120, blank=True)

    objects = CohortSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [models.UniqueConstraint(fields=["cohort", "date"], name="session_once_per_day")]
        # The state-wide list of sessions reads its first page from it instead of sorting them all.
        indexes = [models.Index(fields=["date"], name="skills_session_date_idx")]

    def __str__(self):
        return f"{self.cohort} · {short_date(self.date)}"

    def clean(self):
        # A session is a day that has happened, within the cohort: a mistyped date must not count
        # against every woman's attendance (services.take_register and the admin form both check).
        from django.core.exceptions import ValidationError

        if self.date is None or self.cohort_id is None:
            return
        if self.date > timezone.localdate():
            raise ValidationError(
                {
                    "date": _("%(date)s is in the future: attendance is taken on the day or after it.")
                    % {"date": short_date(self.date)}
                }
            )
        if self.date < self.cohort.start_date:
            raise ValidationError(
                {
                    "date": _("The cohort starts on %(start)s: there is no session on %(date)s.")
                    % {"start": short_date(self.cohort.start_date), "date": short_date(self.date)}
                }
            )

    def get_absolute_url(self):
        return reverse("skills_cohortsession:attendance", args=[self.pk])


class AttendanceMark(models.Model):
    """Whether one trainee was present at one session."""

    session = models.ForeignKey(CohortSession, on_delete=models.CASCADE, related_name="marks")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance_marks")
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        verbose_name = _("attendance mark")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once_per_session")
        ]

    def __str__(self):
        return f"{self.enrolment} · {self.session.date}: {'present' if self.present else 'absent'}"


class TrackerLogEntryQuerySet(CentreScopedQuerySet, LogEntryQuerySet):
    centre_path = "centre"


class TrackerLogEntryManager(ModelLogEntryManager):
    def get_queryset(self):
        return TrackerLogEntryQuerySet(self.model, using=self._db)

    def get_instance_title(self, instance):
        # The audit trail names records by number, never by a trainee's name.
        return f"{capfirst(instance._meta.verbose_name)} #{instance.pk}"

    def log_action(self, instance, action, **kwargs):
        kwargs.setdefault("centre_id", centre_id_of(instance))
        return super().log_action(instance, action, **kwargs)

    def viewable_by_user(self, user):
        return self.get_queryset().for_user(user)


def centre_id_of(instance):
    """The centre an audited record belongs to; models elsewhere may say via audit_centre_id."""
    if isinstance(instance, Centre):
        return instance.pk
    if hasattr(instance, "audit_centre_id"):
        return instance.audit_centre_id
    for path in ("centre_id", "cohort.centre_id", "trainee.centre_id"):
        try:
            return attrgetter(path)(instance)
        except AttributeError:
            continue
    return None


class TrackerLogEntry(BaseLogEntry):
    """The audit trail of the tracker: who viewed or changed which record, when.

    Kept apart from Wagtail's general log so that each entry carries its centre, and only
    staff who may see that centre may read it (state officers: every centre)."""

    object_id = models.CharField(max_length=255, blank=False, db_index=True)
    centre = models.ForeignKey(Centre, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = TrackerLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("tracker log entry")
        verbose_name_plural = _("tracker log entries")

    def __str__(self):
        return f"{self.action} on {self.label} by {self.user_id} at {self.timestamp:%Y-%m-%d %H:%M}"


VERIFICATION_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L look-alikes
VERIFICATION_CODE_LENGTH = 17  # 17 symbols of 31 = 84 bits of randomness


def normalise_verification_code(typed):
    """What a person typed or a scanner read, as stored: capitals, no spaces or dashes."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())[:40]


def private_storage():
    """The private storage of the moment (skills.storage.CurrentPrivateStorage)."""
    return current_private_storage


class CertificateQuerySet(CentreScopedQuerySet):
    centre_path = "centre"

    def valid(self):
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    """The certificate a trainee shows an employer: a number, a code anyone can verify, a PDF.

    Numbers run without gaps per centre and year (LKO-2024-000001, …). A reissue revokes the old
    certificate with the reason "reissued" and makes a new one with a new number and code."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="certificates"
    )
    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("number"), max_length=24, unique=True)
    verification_code = models.CharField(
        _("verification code"), max_length=VERIFICATION_CODE_LENGTH, unique=True
    )
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = PrivateFileField(_("PDF"), storage=private_storage, upload_to="certificates/", editable=False)
    # The signed credential beside the PDF, its compact token in the QR code, and its entry in the
    # programme's revocation list (skills/credentials.py). Blank for certificates issued before.
    credential = models.TextField(_("signed credential"), blank=True, editable=False)
    offline_token = models.TextField(_("offline token"), blank=True, editable=False)
    status_index = models.PositiveIntegerField(
        _("status list index"), null=True, blank=True, unique=True, editable=False
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year", "serial"], name="certificate_serial_per_centre_year"
            ),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_valid_per_enrolment",
            ),
            models.CheckConstraint(condition=Q(serial__gt=0), name="certificate_serial_positive"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_valid(self):
        return self.revoked_at is None

    @property
    def display_code(self):
        code = self.verification_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

    def get_verification_url(self):
        return reverse("certificate_verify_code", kwargs={"code": self.verification_code})


class CredentialKey(models.Model):
    """A key the programme signs credentials with (Ed25519). The newest signs; every key ever used
    stays published in the issuer's DID document, so what an old key signed still verifies."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    public_key = models.CharField(_("public key"), max_length=64)  # base64url, 32 bytes
    # base64url, 32 bytes; blank when the operator keeps private keys in SAKHI_CREDENTIAL_KEY_DIR.
    private_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("credential signing key")
        verbose_name_plural = _("credential signing keys")

    def __str__(self):
        return f"key-{self.number}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BackgroundJobQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])

    def stalled(self, since):
        """Unfinished jobs that have not moved since then: their worker died (a task a killed
        worker left running is never picked up again) or their task was lost. Safe to run again."""
        return self.unfinished().filter(updated_at__lt=since)


class BackgroundJob(models.Model):
    """Work a coordinator started that runs in the task worker (skills/tasks.py); she follows it on
    its progress page. Running a job again is always safe, so a stalled one is simply run again."""

    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    # Moves whenever the job makes progress: how a stalled job is told from a slow one.
    updated_at = models.DateTimeField(_("last progress at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The kind of error only (an exception's class): messages can quote personal data.
    error = models.CharField(_("error"), max_length=200, blank=True)
    # The language she started it in: reasons and problems are written in it.
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE, editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class CertificateJobQuerySet(BackgroundJobQuerySet, CentreScopedQuerySet):
    centre_path = "cohort__centre"


class CertificateJob(BackgroundJob):
    """The certificates of one cohort, issued in one go by the task worker, then gathered into one
    PDF for printing. Each enrolment's outcome is an item, written in the same transaction as its
    certificate: a job killed midway and run again goes on from where it stopped."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="+")
    # Fixed when the job starts, so that a job resumed after midnight on 31 December still
    # numbers its certificates in the year it was started.
    issued_on = models.DateField(_("issued on"))
    total = models.PositiveIntegerField(_("enrolments"), default=0)
    file = PrivateFileField(_("PDF"), storage=private_storage, upload_to="certificate-jobs/", blank=True)
    # The certificates printed in the file, for the audit trail of each download.
    certificates_in_file = models.JSONField(default=list, blank=True, editable=False)

    objects = CertificateJobQuerySet.as_manager()

    class Meta(BackgroundJob.Meta):
        verbose_name = _("certificate job")
        verbose_name_plural = _("certificate jobs")

    def __str__(self):
        return f"{self.cohort} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def audit_centre_id(self):
        return self.cohort.centre_id

    def get_absolute_url(self):
        return reverse("skills_certificate_job", args=[self.pk])


class CertificateJobItem(models.Model):
    """One enrolment's outcome in a certificate job: the certificate issued, or why none was."""

    job = models.ForeignKey(CertificateJob, on_delete=models.CASCADE, related_name="items")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["job", "enrolment"], name="certificate_job_item_once"),
        ]

    def __str__(self):
        return f"{self.job_id}: {self.enrolment_id}"


class ImportJobQuerySet(BackgroundJobQuerySet):
    def for_user(self, user, action="view"):
        """Her own imports: a file may span several centres, and its problems quote its lines."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(created_by=user)


class ImportJob(BackgroundJob):
    """A large historical import (skills/importer), written by the task worker in one transaction:
    all of it or nothing. The file waits in private storage until the job ends."""

    file_name = models.CharField(_("file"), max_length=255)
    upload = models.CharField(max_length=255, blank=True, editable=False)  # its name in private storage
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_trainees = models.PositiveIntegerField(default=0)
    created_cohorts = models.PositiveIntegerField(default=0)
    created_courses = models.PositiveIntegerField(default=0)
    created_enrolments = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    # [[line, column, message], …] as skills.importer.Problem: shown to her, deleted with the job.
    problems = models.JSONField(default=list, blank=True, editable=False)

    objects = ImportJobQuerySet.as_manager()

    class Meta(BackgroundJob.Meta):
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("skills_import_job", args=[self.pk])
